package entity

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/storyline-news/storyline/internal/text"
)

// casingCounter counts casing the way Casing does: per word in lower case,
// how often it is written in lower case and how often capitalised. Its
// table is open addressing with the counts in the slots, and a word of 16
// bytes or less in the slot too (packed into two words, which are its
// hash's input): counting a word hashes it without a call and compares it
// with a slot's bytes, not with a string elsewhere, and a capitalised
// ASCII word is lower-cased in those two words without a copy.
type casingCounter struct {
	// slots are empty when their tag is 0; len(slots) is 0 or a power of
	// two, at least twice len(words)
	slots []casingSlot
	words []string // the words, in lower case, by id
	// big holds, by id, what a slot's count could not (a word counted
	// more than 4,294,967,295 times in one way): added to the slot's
	big map[uint32][2]int
	buf []byte
}

// casingSlot is one word of a casingCounter.
type casingSlot struct {
	w   [2]uint64 // the word's first 16 bytes, little-endian, zero after its end
	tag uint32    // 0 when empty, else casingTag of the word's hash and length
	id  uint32    // the word's number in casingCounter.words
	n   [2]uint32 // the counts, lower case then capitalised
}

// casingSeeds key the hash of packed words, so that text written to
// collide in the table is not known ahead.
var casingSeeds = [2]uint64{maphash.String(wordSeed, "casing 0"), maphash.String(wordSeed, "casing 1")}

// casingPack packs a word's first 16 bytes (fewer when it is shorter),
// little-endian, zero after its end.
func casingPack(w string) (p [2]uint64) {
	if len(w) >= 16 {
		p[0], p[1] = load64(w), load64(w[8:])
		return p
	}
	k := 0
	if len(w) >= 8 {
		p[0], k, w = load64(w), 1, w[8:]
	}
	var x uint64
	for i := len(w) - 1; i >= 0; i-- {
		x = x<<8 | uint64(w[i])
	}
	p[k] = x
	return p
}

// load64 reads the first eight bytes of s, little-endian; s has eight or
// more.
func load64(s string) uint64 {
	return binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8))
}

// casingHash hashes a word given packed (casingPack): the packed words
// and the length mixed for a word of 16 bytes or less, maphash beyond.
func casingHash(w string, p [2]uint64) uint64 {
	if len(w) > 16 {
		return wordHash(w)
	}
	h := (p[0]^casingSeeds[0])*0x9e3779b97f4a7c15 ^ (p[1]^casingSeeds[1]^uint64(len(w)))*0xc2b2ae3d27d4eb4f
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// casingTag is a slot's tag for a word of hash h and length n: the
// hash's upper bits and the length (255 for longer), never 0 for a word
// of one byte or more.
func casingTag(h uint64, n int) uint32 { return uint32(h>>32)&^0xff | uint32(min(n, 255)) }

// find returns the slot of the word w (packed p, hash h), or the empty
// slot where it goes; the table has slots.
func (c *casingCounter) find(w string, p [2]uint64, h uint64) *casingSlot {
	mask := uint64(len(c.slots) - 1)
	tag := casingTag(h, len(w))
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &c.slots[i]
		if sl.tag == 0 {
			return sl
		}
		if sl.tag == tag && sl.w == p && (len(w) <= 16 || c.words[sl.id] == w) {
			return sl
		}
	}
}

// slot returns the slot of a word in lower case (packed p, hash h), added
// with no counts when new. A new word is kept as the word: a copy of it
// when clone is set, else w itself, which must not change then.
func (c *casingCounter) slot(w string, p [2]uint64, h uint64, clone bool) *casingSlot {
	if 2*(len(c.words)+1) > len(c.slots) {
		c.grow()
	}
	sl := c.find(w, p, h)
	if sl.tag == 0 {
		if clone {
			w = strings.Clone(w)
		}
		*sl = casingSlot{w: p, tag: casingTag(h, len(w)), id: uint32(len(c.words))}
		c.words = append(c.words, w)
	}
	return sl
}

// grow doubles the slots (1,024 at first) and puts the words back.
func (c *casingCounter) grow() {
	old := c.slots
	c.slots = make([]casingSlot, max(1024, 2*len(old)))
	mask := uint64(len(c.slots) - 1)
	for _, sl := range old {
		if sl.tag == 0 {
			continue
		}
		i := casingHash(c.words[sl.id], sl.w) & mask
		for c.slots[i].tag != 0 {
			i = (i + 1) & mask
		}
		c.slots[i] = sl
	}
}

// inc adds one to count k (0 lower case, 1 capitalised) of a slot.
func (c *casingCounter) inc(sl *casingSlot, k int) {
	if sl.n[k] == math.MaxUint32 {
		c.spill(sl, k, 0)
	}
	sl.n[k]++
}

// spill moves count k of a slot, and v more, to big.
func (c *casingCounter) spill(sl *casingSlot, k, v int) {
	if c.big == nil {
		c.big = map[uint32][2]int{}
	}
	b := c.big[sl.id]
	b[k] += int(sl.n[k]) + v
	c.big[sl.id] = b
	sl.n[k] = 0
}

// counts returns the counts of a slot.
func (c *casingCounter) counts(sl *casingSlot) [2]int {
	n := [2]int{int(sl.n[0]), int(sl.n[1])}
	if b, ok := c.big[sl.id]; ok {
		n[0] += b[0]
		n[1] += b[1]
	}
	return n
}

// get returns the counts of a word in lower case.
func (c *casingCounter) get(w string) [2]int {
	if len(c.slots) == 0 || w == "" {
		return [2]int{}
	}
	p := casingPack(w)
	if sl := c.find(w, p, casingHash(w, p)); sl.tag != 0 {
		return c.counts(sl)
	}
	return [2]int{}
}

// addCounts adds counts n to the word w in lower case, which it keeps
// when new.
func (c *casingCounter) addCounts(w string, n [2]int) {
	p := casingPack(w)
	sl := c.slot(w, p, casingHash(w, p), false)
	for k, v := range n {
		if int(sl.n[k])+v > math.MaxUint32 {
			c.spill(sl, k, v)
		} else {
			sl.n[k] += uint32(v)
		}
	}
}

// add adds the counts of another counter.
func (c *casingCounter) add(o *casingCounter) {
	for i := range o.slots {
		if sl := &o.slots[i]; sl.tag != 0 {
			c.addCounts(o.words[sl.id], o.counts(sl))
		}
	}
}

// casing adds the counts to out (a new Casing when out is nil) and
// returns it.
func (c *casingCounter) casing(out Casing) Casing {
	if out == nil {
		out = make(Casing, len(c.words))
	}
	for i := range c.slots {
		if sl := &c.slots[i]; sl.tag != 0 {
			w, n := c.words[sl.id], c.counts(sl)
			o := out[w]
			out[w] = [2]int{o[0] + n[0], o[1] + n[1]}
		}
	}
	return out
}

// count adds the casing of the words of the texts: a word is a run of
// letters, hyphens and apostrophes.
func (c *casingCounter) count(texts []string) {
	if c.slots == nil {
		n := 0
		for _, t := range texts {
			n += len(t)
		}
		// about one distinct word in 100 bytes of news text (one in
		// 107 in 1,000 generated articles of bench --ingest), the
		// table at most half full
		est := min(n/100, 1<<20)
		size := 1024
		for size < 2*est {
			size *= 2
		}
		c.slots, c.words = make([]casingSlot, size), make([]string, 0, est)
	}
	for _, t := range texts {
		start := -1
		for i := 0; i < len(t); {
			// plain ASCII without decoding: its letters are a-z and A-Z
			inWord, size := false, 1
			if b := t[i]; b < utf8.RuneSelf {
				inWord = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '-' || b == '\''
			} else {
				var r rune
				r, size = utf8.DecodeRuneInString(t[i:])
				inWord = unicode.IsLetter(r) || r == '’'
			}
			if !inWord {
				if start >= 0 {
					c.addWord(t[start:i])
					start = -1
				}
			} else if start < 0 {
				start = i
			}
			i += size
		}
		if start >= 0 {
			c.addWord(t[start:])
		}
	}
}

// addWord counts one word of a text (kept as the word when new and in
// lower case).
func (c *casingCounter) addWord(w string) {
	if b := w[0]; b < utf8.RuneSelf && !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z') {
		return // '-' or '\'': neither lower nor upper case
	}
	r, _ := utf8.DecodeRuneInString(w)
	switch {
	case unicode.IsLower(r):
		p := casingPack(w)
		c.inc(c.slot(w, p, casingHash(w, p), false), 0)
	case unicode.IsUpper(r):
		if len(w) <= 16 && text.IsASCII(w) {
			// lower-cased packed, the string made for a new word only
			p := casingPack(w)
			p[0] |= asciiUpper8(p[0]) >> 2
			p[1] |= asciiUpper8(p[1]) >> 2
			h := casingHash(w, p)
			if sl := c.find(w, p, h); sl.tag != 0 {
				c.inc(sl, 1)
				return
			}
			c.inc(c.slot(string(text.AppendLower(c.buf[:0], w)), p, h, false), 1)
			return
		}
		// in lower case in the buffer, copied when new
		c.buf = text.AppendLower(c.buf[:0], w)
		lw := unsafe.String(unsafe.SliceData(c.buf), len(c.buf))
		p := casingPack(lw)
		c.inc(c.slot(lw, p, casingHash(lw, p), true), 1)
	}
}
