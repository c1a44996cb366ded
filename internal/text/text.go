// Package text holds the text basics every analysis stage shares:
// sentence splitting that survives abbreviations ("U.N.", "Gen.", "Jan.",
// "U.S."), word tokens, normalisation for comparison and hashing, and
// language identification.
package text

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// Span is a piece of a text with its byte offsets.
type Span struct {
	Start, End int
	Text       string
}

// abbreviations end with a full stop that does not end a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "gen": true, "lt": true, "col": true,
	"maj": true, "capt": true, "cpt": true, "sgt": true, "adm": true, "gov": true, "sen": true, "rep": true,
	"rev": true, "st": true, "jr": true, "sr": true, "hon": true, "pres": true, "supt": true, "cmdr": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true,
	"sept": true, "oct": true, "nov": true, "dec": true, "no": true, "vs": true, "etc": true, "inc": true,
	"ltd": true, "co": true, "corp": true, "approx": true, "est": true, "dept": true, "univ": true,
	"mt": true, "ft": true, "fig": true, "al": true, "ave": true, "blvd": true, "e.g": true, "i.e": true,
}

// Sentences splits a paragraph into sentences. A full stop, question or
// exclamation mark (with any closing quotes and brackets after it) ends a
// sentence when the next word starts with a capital, a digit or an opening
// quote, unless the stop belongs to an abbreviation ("Gen.", "Jan.") or an
// initialism ("U.S.", "U.N."), or to a single initial ("J. Smith").
func Sentences(p string) []Span {
	var out []Span
	start := 0
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		if r != '.' && r != '!' && r != '?' && r != '…' {
			i += size
			continue
		}
		end := i + size
		for end < len(p) {
			c, s := utf8.DecodeRuneInString(p[end:])
			if strings.ContainsRune(`.!?…"”’')]»`, c) {
				end += s
				continue
			}
			break
		}
		if end >= len(p) {
			break
		}
		next, _ := utf8.DecodeRuneInString(p[end:])
		if !unicode.IsSpace(next) {
			i = end
			continue
		}
		j := end
		for j < len(p) {
			c, s := utf8.DecodeRuneInString(p[j:])
			if !unicode.IsSpace(c) {
				break
			}
			j += s
		}
		if j >= len(p) {
			break
		}
		first, _ := utf8.DecodeRuneInString(p[j:])
		startsNew := unicode.IsUpper(first) || unicode.IsDigit(first) || strings.ContainsRune(`"“‘'«„(—–-`, first)
		if !startsNew || (r == '.' && isAbbreviation(p[start:i], first)) {
			i = end
			continue
		}
		out = appendSpan(out, p, start, end)
		start = j
		i = j
	}
	return appendSpan(out, p, start, len(p))
}

func appendSpan(out []Span, p string, start, end int) []Span {
	t := strings.TrimSpace(p[start:end])
	if t == "" {
		return out
	}
	lead := strings.Index(p[start:end], t)
	return append(out, Span{Start: start + lead, End: start + lead + len(t), Text: t})
}

// isAbbreviation tells whether the text before a full stop ends with an
// abbreviation or initialism, so that the stop does not end a sentence.
func isAbbreviation(before string, next rune) bool {
	k := len(before)
	for k > 0 {
		r, s := utf8.DecodeLastRuneInString(before[:k])
		if unicode.IsSpace(r) || r == '(' || r == '"' || r == '“' {
			break
		}
		k -= s
	}
	word := before[k:]
	if word == "" {
		return false
	}
	lw := strings.ToLower(strings.TrimRight(word, "."))
	if abbreviations[lw] {
		return true
	}
	// single initial: "J. Smith"
	if utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]) {
		return true
	}
	// initialism with inner stops: "U.S", "U.N", "a.m"; it ends a sentence
	// only if the next word could not continue it, which we cannot know:
	// keep it inside unless a new sentence obviously starts (a quote).
	if strings.Contains(word, ".") && utf8.RuneCountInString(strings.ReplaceAll(word, ".", "")) <= 4 {
		return !strings.ContainsRune(`"“‘«`, next)
	}
	return false
}

// Words splits a text into word tokens: runs of letters and digits, with
// inner apostrophes, hyphens and dots kept ("don't", "cease-fire", "U.S.").
func Words(s string) []Span {
	// about one word a space: one allocation for most texts
	out := AppendWords(make([]Span, 0, strings.Count(s, " ")+1), s)
	if len(out) == 0 {
		return nil
	}
	return out
}

// AppendWords appends the word tokens of s (as Words gives them) to dst
// and returns it: a caller splitting text after text reuses one buffer.
func AppendWords(dst []Span, s string) []Span {
	for i := 0; ; {
		start, end := nextWord(s, i)
		if start < 0 {
			return dst
		}
		dst = append(dst, wordSpan(s, start, end))
		i = end
	}
}

// AppendLower appends s in lower case to dst, byte for byte as
// strings.ToLower(s) would write it (an invalid byte becomes U+FFFD), so
// that a lookup by the lower case of a word needs no new string: a map
// indexed by string(AppendLower(buf[:0], s)) copies nothing.
func AppendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			for _, r := range s {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// wordClass classifies an ASCII byte for nextWord.
var wordClass = func() (c [utf8.RuneSelf]uint8) {
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

// asciiKey is, for each byte, the ASCII letter, digit, apostrophe, hyphen
// or dot it is, lower-cased, and 0 for any other byte.
var asciiKey = func() (k [256]byte) {
	for c := range utf8.RuneSelf {
		if wordClass[c] != wordSep {
			k[c] = byte(unicode.ToLower(rune(c)))
		}
	}
	return k
}()

const (
	wordSep   = iota // ends a word
	wordChar         // a letter, a digit or a combining mark
	wordInner        // an apostrophe, hyphen or dot: kept inside a word
)

// classOf classifies a character outside ASCII for nextWord.
func classOf(r rune) uint8 {
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
// it; start is -1 when there is none. Eight bytes of ASCII at a time are
// classified together (inRange), the others one character at a
// time.
func nextWord(s string, i int) (start, end int) {
	// to the first letter, digit or mark
	for i < len(s) {
		if i+8 <= len(s) {
			if x := load8(s, i); x&highBits == 0 {
				chars := wordChars(x)
				if chars == 0 {
					i += 8
					continue
				}
				i += bits.TrailingZeros64(chars) >> 3
				break
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			if wordClass[c] == wordChar {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if classOf(r) == wordChar {
			break
		}
		i += size
	}
	if i >= len(s) {
		return -1, len(s)
	}
	// to the separator after it
	start = i
	for i < len(s) {
		if i+8 <= len(s) {
			if x := load8(s, i); x&highBits == 0 {
				// neither a letter or digit nor an apostrophe, hyphen or dot
				seps := ^(wordChars(x) | inRange(x, '\'', '\'') | inRange(x, '-', '.')) & highBits
				if seps == 0 {
					i += 8
					continue
				}
				return start, i + bits.TrailingZeros64(seps)>>3
			}
		}
		if c := s[i]; c < utf8.RuneSelf {
			if wordClass[c] == wordSep {
				return start, i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if classOf(r) == wordSep {
			return start, i
		}
		i += size
	}
	return start, len(s)
}

const (
	lowBits  = 0x0101010101010101 // the low bit of each of eight bytes
	highBits = 0x8080808080808080 // the high bit of each of eight bytes
)

// load8 reads the eight bytes of s from i on, the first lowest.
func load8(s string, i int) uint64 {
	// one load: the compiler combines the eight
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// wordChars has the high bit of each letter or digit among eight ASCII
// bytes (all below 0x80) set: wordClass's wordChar.
func wordChars(x uint64) uint64 {
	// setting 0x20 lower-cases a letter
	return inRange(x|0x2020202020202020, 'a', 'z') | inRange(x, '0', '9')
}

// inRange has the high bit of each byte of x (all below 0x80) from lo to
// hi set: adding 0x80-lo sets it in those from lo on, adding 0x7f-hi in
// those after hi, and no sum carries into the next byte.
func inRange(x uint64, lo, hi byte) uint64 {
	return (x + (0x80-uint64(lo))*lowBits) &^ (x + (0x7f-uint64(hi))*lowBits) & highBits
}

// trimWord drops the apostrophes, hyphens and dots that end a token.
func trimWord(t string) string {
	for len(t) > 0 {
		switch c := t[len(t)-1]; {
		case c == '\'' || c == '-' || c == '.':
			t = t[:len(t)-1]
		case c < utf8.RuneSelf:
			return t // a letter or digit: most words end so
		case strings.HasSuffix(t, "’"):
			t = t[:len(t)-len("’")]
		default:
			return t
		}
	}
	return t
}

func wordSpan(s string, start, end int) Span {
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
	return Span{Start: start, End: start + len(trimmed), Text: trimmed}
}

// Fold normalises a text for comparison: NFKC, lower case, typographic
// quotes and dashes made plain, white space folded to single spaces.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false // white space since the last character written
	for i := 0; i < len(s); {
		if j := plainRun(s, i); j > i {
			// a run of characters Fold keeps as they are
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i:j])
			i = j
			continue
		}
		r, size := rune(s[i]), 1
		if r < utf8.RuneSelf {
			if asciiSpace[r] {
				space = true
				i++
				continue
			}
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			r = foldRune(unicode.ToLower(r))
			if unicode.IsSpace(r) {
				space = true
				i += size
				continue
			}
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// plainRun returns the end of the run of ASCII characters from i on that
// Fold keeps as they are: no upper-case letter, no white space but single
// spaces between two of them.
func plainRun(s string, i int) int {
	j := i
	for j < len(s) {
		c := s[j]
		if c == ' ' && j > i && j+1 < len(s) && isPlain(s[j+1]) {
			j++
			continue
		}
		if !isPlain(c) {
			break
		}
		j++
	}
	return j
}

func isPlain(c byte) bool { return c < utf8.RuneSelf && !asciiSpace[c] && (c < 'A' || c > 'Z') }

// asciiSpace are the ASCII characters unicode.IsSpace tells white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// foldRune makes typographic quotes and dashes plain.
func foldRune(r rune) rune {
	switch r {
	case '’', '‘', '‚', '‹', '›':
		return '\''
	case '“', '”', '„', '«', '»':
		return '"'
	case '–', '—', '‐', '‑', '−':
		return '-'
	}
	return r
}

// ContentKey is the normalised content an article's identity rests on: its
// words, folded, in order, without punctuation or layout.
func ContentKey(s string) string {
	b := AppendContentKey(make([]byte, 0, len(s)), s)
	if len(b) == 0 {
		return ""
	}
	// b is not used after this: the key is its bytes, not a copy
	return unsafe.String(&b[0], len(b))
}

// AppendContentKey appends ContentKey(s) to dst and returns the extended
// buffer. With a buffer reused from text to text it allocates nothing for a
// text already in NFKC (as ASCII is).
//
// It reads s once, folding each character as Fold does and splitting words
// as nextWord does on the folded text: white space only separates words,
// so its folding into single spaces does not matter here. Folded, the only
// characters kept inside a word but not at its end are an apostrophe, a
// hyphen and a dot (Fold makes ’ an apostrophe), so a word is written as
// it is read and cut back to its last letter, digit or mark when it ends.
func AppendContentKey(dst []byte, s string) []byte {
	if IsASCII(s) {
		return appendASCIIKey(dst, s) // ASCII is in NFKC: norm would only check it
	}
	return appendFoldedKey(dst, norm.NFKC.String(s))
}

// appendFoldedKey is AppendContentKey for s in NFKC.
func appendFoldedKey(dst []byte, s string) []byte {
	base := len(dst)
	dst = slices.Grow(dst, len(s)) // room for all but what lower-casing lengthens
	in := false                    // inside a word
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		class := uint8(wordSep)
		if r < utf8.RuneSelf {
			class = wordClass[r]
			if class == wordChar {
				// a run of ASCII letters, digits, apostrophes, hyphens
				// and dots from a letter or digit on, most of a text:
				// written lower-cased as it is read
				if !in {
					if len(dst) > base {
						dst = append(dst, ' ')
					}
					in = true
				}
				for i < len(s) {
					c := asciiKey[s[i]]
					if c == 0 {
						break
					}
					dst = append(dst, c)
					i++
				}
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
			r = foldRune(unicode.ToLower(r))
			if r < utf8.RuneSelf {
				class = wordClass[r]
			} else {
				class = classOf(r) // white space is a separator
			}
		}
		i += size
		switch class {
		case wordSep:
			if in {
				dst, in = trimInner(dst), false
			}
			continue
		case wordInner:
			if !in {
				continue
			}
		case wordChar:
			if !in {
				if len(dst) > base {
					dst = append(dst, ' ')
				}
				in = true
			}
		}
		if r < utf8.RuneSelf {
			dst = append(dst, byte(r))
		} else {
			dst = utf8.AppendRune(dst, r)
		}
	}
	if in {
		dst = trimInner(dst)
	}
	return dst
}

// trimInner cuts a word at the end of key back to its last letter, digit
// or mark: the apostrophes, hyphens and dots after it go. Folded, these
// three are the only characters kept inside a word but not at its end, and
// a letter, digit or mark outside ASCII is written as bytes above 0x7f, so
// the cut stops at the word's last one.
func trimInner(key []byte) []byte {
	for len(key) > 0 {
		switch key[len(key)-1] {
		case '\'', '-', '.':
			key = key[:len(key)-1]
		default:
			return key
		}
	}
	return key
}

// appendASCIIKey is AppendContentKey for an all-ASCII s, which folds to
// itself lower-cased: a word is a run of letters, digits, apostrophes,
// hyphens and dots from a letter or digit on, written lower-cased and cut
// back to its last letter or digit. The key is no longer than s (each
// space written stands for a separator read), so it is written into room
// made once, without a check of capacity per byte; eight bytes at a time
// while eight are left to read (all eight are written, lower-cased, and
// the key goes on after the word's part of them: what follows is written
// over).
func appendASCIIKey(dst []byte, s string) []byte {
	base := len(dst)
	dst = slices.Grow(dst, len(s))
	out := dst[:base+len(s)]
	j := base // out[base:j] is the key so far; j-base <= i
	for i := 0; i < len(s); {
		if wordClass[s[i]&0x7f] != wordChar {
			i++
			continue
		}
		if j > base {
			out[j] = ' '
			j++
		}
		for i+8 <= len(s) {
			x := load8(s, i)
			binary.LittleEndian.PutUint64(out[j:], x|inRange(x, 'A', 'Z')>>2) // 0x80>>2 is 0x20: lower case
			seps := ^(wordChars(x) | inRange(x, '\'', '\'') | inRange(x, '-', '.')) & highBits
			if seps != 0 {
				n := bits.TrailingZeros64(seps) >> 3
				i, j = i+n, j+n
				break
			}
			i, j = i+8, j+8
		}
		if i+8 > len(s) {
			for ; i < len(s); i++ {
				c := asciiKey[s[i]]
				if c == 0 {
					break
				}
				out[j] = c
				j++
			}
		}
		// the word began with a letter or digit: this stops there at most
		for c := out[j-1]; c == '\'' || c == '-' || c == '.'; c = out[j-1] {
			j--
		}
	}
	return out[:j]
}

// IsASCII tells whether s is all ASCII, reading it eight bytes at a time.
func IsASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if load8(s, i)&highBits != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// WithContentKey calls f with ContentKey(s), as bytes in a buffer reused
// from call to call: f must not keep them.
func WithContentKey(s string, f func(key []byte)) {
	buf := keyBuffers.Get().(*[]byte)
	*buf = AppendContentKey((*buf)[:0], s)
	f(*buf)
	if cap(*buf) <= maxPooledKey {
		keyBuffers.Put(buf)
	}
}

// keyBuffers are WithContentKey's buffers.
var keyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledKey is the largest key buffer kept for reuse: a rare huge text
// does not pin its buffer.
const maxPooledKey = 1 << 20

// ContentHash is Hash(ContentKey(s)), without keeping the key.
func ContentHash(s string) string {
	var sum [sha256.Size]byte
	WithContentKey(s, func(key []byte) { sum = sha256.Sum256(key) })
	var h [16]byte
	hex.Encode(h[:], sum[:8])
	return string(h[:])
}

// Hash returns a short stable ID for a key: the first 16 hex digits of its
// SHA-256.
func Hash(parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
