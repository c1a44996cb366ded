package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/text"
)

// appendWords appends the word tokens of s to dst, exactly as text.Words(s)
// gives them, so that detection can split article after article into one
// reused buffer: text.Words allocates a slice as long as the article for
// each, the largest allocation of entity resolution. It is text.Words's
// algorithm, and TestAppendWordsIsTextWords holds the two together.
func appendWords(dst []text.Span, s string) []text.Span {
	for i := 0; ; {
		start, end := nextWord(s, i)
		if start < 0 {
			return dst
		}
		dst = append(dst, wordSpan(s, start, end))
		i = end
	}
}

// wordByte classifies an ASCII byte for nextWord.
var wordByte = func() (c [utf8.RuneSelf]uint8) {
	for b := range c {
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
			c[b] = wordChar
		case b == '\'' || b == '-' || b == '.':
			c[b] = wordInner
		}
	}
	return c
}()

const (
	wordSep   = iota // ends a word
	wordChar         // a letter, a digit or a combining mark
	wordInner        // an apostrophe, hyphen or dot: kept inside a word
)

// wordRune classifies a character outside ASCII for nextWord.
func wordRune(r rune) uint8 {
	if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
		return wordChar
	}
	if r == '’' {
		return wordInner
	}
	return wordSep
}

// nextWord finds the first word token at or after byte i of s, untrimmed:
// from its first letter, digit or combining mark to the separator after
// it; start is -1 when there is none.
func nextWord(s string, i int) (start, end int) {
	start = -1
	for i < len(s) {
		class, size := uint8(0), 1
		if c := s[i]; c < utf8.RuneSelf {
			class = wordByte[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			class = wordRune(r)
		}
		switch class {
		case wordChar:
			if start < 0 {
				start = i
			}
		case wordSep:
			if start >= 0 {
				return start, i
			}
		}
		i += size
	}
	if start < 0 {
		return -1, len(s)
	}
	return start, len(s)
}

// trimWord drops the apostrophes, hyphens and dots that end a token.
func trimWord(t string) string {
	for len(t) > 0 {
		switch c := t[len(t)-1]; {
		case c == '\'' || c == '-' || c == '.':
			t = t[:len(t)-1]
		case strings.HasSuffix(t, "’"):
			t = t[:len(t)-len("’")]
		default:
			return t
		}
	}
	return t
}

func wordSpan(s string, start, end int) text.Span {
	t := s[start:end]
	trimmed := trimWord(t)
	// keep the final dot of an initialism such as "U.S."
	if len(trimmed) < 8 && t[len(t)-1] == '.' && strings.IndexByte(trimmed, '.') >= 0 {
		if t[len(trimmed)] == '.' {
			trimmed = t[:len(trimmed)+1]
		} else {
			trimmed += "." // "U.S'." gives "U.S."
		}
	}
	return text.Span{Start: start, End: start + len(trimmed), Text: trimmed}
}
