package entity

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/storyline-news/storyline/internal/text"
)

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

// appendLowerBytes is text.AppendLower for a word given as bytes.
func appendLowerBytes(dst, s []byte) []byte {
	// the string is read during the call only
	return text.AppendLower(dst, unsafe.String(unsafe.SliceData(s), len(s)))
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
