package ingest

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// parseArticle reads one JSON object into a as json.Unmarshal(raw, a)
// would, for the objects article files hold: string or null values for
// the article's fields (whose names match as encoding/json matches them:
// exactly, or in another case of ASCII letters), any valid JSON for other
// names, and strings that hold valid UTF-8 and no lone surrogate escape.
// The text and html values are decoded into text and html, not into a,
// so that the body needs no second copy. It returns false for anything
// else, valid or not, possibly having set some fields: the caller then
// starts over with encoding/json, which decides (and names the error) as
// always.
//
// encoding/json reads an object twice, once to check it and once to
// decode it, through a state machine called for every byte, and copies
// the body twice more ([]byte to string to []byte); this reads it once
// and copies the body once.
func parseArticle(raw []byte, a *jsonArticle, text, html *[]byte) bool {
	p := jsonParser{s: raw}
	p.space()
	if !p.byte('{') {
		return false
	}
	p.space()
	if p.byte('}') {
		p.space()
		return p.i == len(p.s)
	}
	for {
		p.space()
		key, ok := p.key()
		if !ok {
			return false
		}
		p.space()
		if !p.byte(':') {
			return false
		}
		p.space()
		f := articleField(key)
		switch {
		case f == fieldNone:
			if !p.skipValue(0) {
				return false
			}
		case p.literal("null"):
			// null leaves a string as it is
		default:
			v, esc, ok := p.stringValue()
			if !ok {
				return false
			}
			if f == fieldText || f == fieldHTML {
				body := make([]byte, 0, len(v))
				if body, ok = unescape(body, v); !ok {
					return false
				}
				if f == fieldText {
					*text = body
				} else {
					*html = body
				}
				break
			}
			if esc {
				if p.buf, ok = unescape(p.buf[:0], v); !ok {
					return false
				}
				v = p.buf
			}
			switch f {
			case fieldURL:
				a.URL = string(v)
			case fieldTitle:
				a.Title = string(v)
			case fieldPublished:
				a.Published = string(v)
			case fieldOutlet:
				a.Outlet = string(v)
			case fieldAuthor:
				a.Author = string(v)
			}
		}
		p.space()
		if p.byte(',') {
			continue
		}
		if !p.byte('}') {
			return false
		}
		p.space()
		return p.i == len(p.s)
	}
}

// The fields of jsonArticle.
const (
	fieldNone = iota
	fieldURL
	fieldTitle
	fieldText
	fieldHTML
	fieldPublished
	fieldOutlet
	fieldAuthor
)

// articleField returns the field of jsonArticle a key names, as
// encoding/json matches a key of ASCII characters to a field: its tag
// name exactly, or with other cases of ASCII letters (the tag names are
// lower case).
func articleField(key []byte) int {
	var buf [len("published")]byte
	if len(key) > len(buf) {
		return fieldNone
	}
	k := buf[:len(key)]
	for i, c := range key {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		k[i] = c
	}
	switch string(k) {
	case "url":
		return fieldURL
	case "title":
		return fieldTitle
	case "text":
		return fieldText
	case "html":
		return fieldHTML
	case "published":
		return fieldPublished
	case "outlet":
		return fieldOutlet
	case "author":
		return fieldAuthor
	}
	return fieldNone
}

// jsonParser reads JSON from s at i.
type jsonParser struct {
	s   []byte
	i   int
	buf []byte // a string's value, when it holds escapes
}

// space skips JSON white space.
func (p *jsonParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c if it comes next.
func (p *jsonParser) byte(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// literal consumes lit (true, false or null) if it comes next.
func (p *jsonParser) literal(lit string) bool {
	if len(p.s)-p.i >= len(lit) && string(p.s[p.i:p.i+len(lit)]) == lit {
		p.i += len(lit)
		return true
	}
	return false
}

// key reads an object's key: a string of printable ASCII characters
// without escapes (any other key is left to encoding/json, which folds
// the case of other characters too).
func (p *jsonParser) key() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '"' {
			p.i++
			return p.s[start : p.i-1], true
		}
		if c == '\\' || c < ' ' || c >= utf8.RuneSelf {
			return nil, false
		}
		p.i++
	}
	return nil, false
}

// stringValue reads a string and returns its bytes between the quotes;
// esc tells whether they hold escapes (see unescape). A string that holds
// a control character or is not valid UTF-8 is refused. Its bytes are
// valid UTF-8 as they are when they are so once unescaped (an escape is
// ASCII, and encodes a whole character), and the other way round.
//
// It reads eight bytes at a time to the next quote, backslash or control
// character (most text holds one every few dozen bytes).
func (p *jsonParser) stringValue() (v []byte, esc, ok bool) {
	s := p.s
	if p.i >= len(s) || s[p.i] != '"' {
		return nil, false, false
	}
	start := p.i + 1
	var high8 uint64 // the bytes read eight at a time, or-ed
	var high byte    // the bytes read one at a time, or-ed
	for i := start; ; {
		for i+8 <= len(s) {
			x := binary.LittleEndian.Uint64(s[i:])
			if special8(x) {
				break
			}
			high8 |= x
			i += 8
		}
		if i >= len(s) {
			return nil, false, false
		}
		switch c := s[i]; {
		case c == '"':
			v = s[start:i]
			p.i = i + 1
			if (high8&0x8080808080808080 != 0 || high >= utf8.RuneSelf) && !utf8.Valid(v) {
				return nil, false, false
			}
			return v, esc, true
		case c == '\\':
			// the escaped byte ends no string: unescape checks it
			esc = true
			i += 2
		case c < ' ':
			return nil, false, false
		default:
			high |= c
			i++
		}
	}
}

// special8 tells whether one of the eight bytes of x is a quote, a
// backslash or a control character (the tests for a zero byte and for a
// byte less than n of "Bit Twiddling Hacks", exact for whether there is
// one).
func special8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	q := x ^ (lo * '"')
	b := x ^ (lo * '\\')
	return ((q-lo)&^q|(b-lo)&^b|(x-lo*' ')&^x)&hi != 0
}

// unescape appends the value of the bytes of a string (between its quotes)
// that holds escapes to dst, as encoding/json decodes them; ok is false
// for an escape it does not know and for a lone surrogate (which
// encoding/json would replace by U+FFFD).
func unescape(dst, s []byte) ([]byte, bool) {
	for {
		k := bytes.IndexByte(s, '\\')
		if k < 0 {
			return append(dst, s...), true
		}
		dst = append(dst, s[:k]...)
		s = s[k:]
		if len(s) < 2 {
			return nil, false
		}
		switch e := s[1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[2:])
			if r < 0 {
				return nil, false
			}
			s = s[4:]
			if utf16.IsSurrogate(r) {
				// only a high surrogate followed by a low one
				if r >= 0xdc00 || len(s) < 8 || s[2] != '\\' || s[3] != 'u' {
					return nil, false
				}
				r2 := hex4(s[4:])
				if r2 < 0xdc00 || r2 > 0xdfff {
					return nil, false
				}
				s = s[6:]
				r = utf16.DecodeRune(r, r2)
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return nil, false
		}
		s = s[2:]
	}
}

// hex4 reads four hexadecimal digits, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// maxSkipDepth is how deeply nested a value skipValue reads; a deeper one
// is left to encoding/json.
const maxSkipDepth = 64

// skipValue reads over one JSON value, checking it as encoding/json
// checks a document (any bytes but the quote, the backslash and control
// characters in a string, as its scanner allows).
func (p *jsonParser) skipValue(depth int) bool {
	if p.i >= len(p.s) || depth > maxSkipDepth {
		return false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		return p.skipString()
	case c == '{':
		p.i++
		p.space()
		if p.byte('}') {
			return true
		}
		for {
			p.space()
			if !p.skipString() {
				return false
			}
			p.space()
			if !p.byte(':') {
				return false
			}
			p.space()
			if !p.skipValue(depth + 1) {
				return false
			}
			p.space()
			if p.byte(',') {
				continue
			}
			return p.byte('}')
		}
	case c == '[':
		p.i++
		p.space()
		if p.byte(']') {
			return true
		}
		for {
			p.space()
			if !p.skipValue(depth + 1) {
				return false
			}
			p.space()
			if p.byte(',') {
				continue
			}
			return p.byte(']')
		}
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return p.skipNumber()
	}
	return false
}

// skipString reads over a string, checking its escapes.
func (p *jsonParser) skipString() bool {
	if !p.byte('"') {
		return false
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return true
		case c < ' ':
			return false
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return false
			}
			switch p.s[p.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i += 2
			case 'u':
				if hex4(p.s[p.i+2:]) < 0 {
					return false
				}
				p.i += 6
			default:
				return false
			}
		default:
			p.i++
		}
	}
	return false
}

// skipNumber reads over a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) skipNumber() bool {
	p.byte('-')
	if p.byte('0') {
		// no more digits before the fraction
	} else if !p.digits() {
		return false
	}
	if p.byte('.') && !p.digits() {
		return false
	}
	if p.byte('e') || p.byte('E') {
		if !p.byte('+') {
			p.byte('-')
		}
		if !p.digits() {
			return false
		}
	}
	return true
}

// digits reads over one digit or more.
func (p *jsonParser) digits() bool {
	start := p.i
	for p.i < len(p.s) && '0' <= p.s[p.i] && p.s[p.i] <= '9' {
		p.i++
	}
	return p.i > start
}
