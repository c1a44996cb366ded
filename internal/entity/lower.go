package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// appendLower appends s in lower case to dst, byte for byte as
// strings.ToLower(s) would write it (an invalid byte becomes U+FFFD), so
// that a lookup by the lower case of a word needs no new string: a map
// indexed by string(appendLower(buf[:0], s)) copies nothing.
func appendLower(dst []byte, s string) []byte {
	if isASCII(s) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	for _, r := range s {
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// phraseKey appends to dst the words joined by single spaces, their full
// stops dropped, in lower case: strings.ToLower(strings.ReplaceAll(
// strings.Join(words, " "), ".", "")) without the three copies. The
// stops go before the case is changed, as there: dropping one may join
// the bytes of a character. scratch is a buffer for the words before
// their case is changed.
func phraseKey(dst, scratch []byte, words []string) []byte {
	b := scratch[:0]
	for k, w := range words {
		if k > 0 {
			b = append(b, ' ')
		}
		for i := 0; i < len(w); i++ {
			if w[i] != '.' {
				b = append(b, w[i])
			}
		}
	}
	return appendLowerBytes(dst, b)
}

// appendLowerBytes is appendLower for a word given as bytes.
func appendLowerBytes(dst, s []byte) []byte {
	ascii := true
	for _, c := range s {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		for _, c := range s {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s) // (RuneError, 1) for an invalid byte, as in strings.Map
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		s = s[n:]
	}
	return dst
}

// fieldsJoined is strings.Join(strings.Fields(s), " "): s itself, not a
// copy, when it is plain ASCII with single spaces between its words only.
func fieldsJoined(s string) string {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return strings.Join(strings.Fields(s), " ")
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r', c == ' ' && s[i-1] == ' ':
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}
