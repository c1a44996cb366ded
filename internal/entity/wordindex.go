package entity

import "hash/maphash"

// wordIndex numbers the distinct words (or names) of an article, for the
// tables that say what is known of each (detectCtx.words, wordForms): an
// open-addressing table whose slots hold the upper half of a word's hash
// and its number, with the words in the order numbered. A lookup hashes
// the word once, reads one slot and compares the word only when the
// halves agree. Unlike a Go map it is emptied at the cost of its slots (8
// bytes a slot), which an article pays once.
type wordIndex struct {
	// slots are 0 when empty, else the hash's upper 32 bits and the
	// word's number plus one; len(slots) is 0 or a power of two, at
	// least twice len(keys)
	slots []uint64
	keys  []string // the words, by number
}

// maxWordSlots bounds the slots an index keeps when emptied; a longer
// article's table is dropped after it.
const maxWordSlots = 1 << 14

var wordSeed = maphash.MakeSeed()

func wordHash(s string) uint64 { return maphash.String(wordSeed, s) }

// len is the number of words.
func (x *wordIndex) len() int { return len(x.keys) }

// find returns the number of the word s, whose hash is h.
func (x *wordIndex) find(s string, h uint64) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	tag := h >> 32 << 32
	for i := h & mask; ; i = (i + 1) & mask {
		v := x.slots[i]
		if v == 0 {
			return 0, false
		}
		if v&^0xffffffff == tag {
			if id := int32(uint32(v)) - 1; x.keys[id] == s {
				return id, true
			}
		}
	}
}

// add numbers the word s, whose hash is h and which the index does not
// hold, and returns its number: the number of words before it.
func (x *wordIndex) add(s string, h uint64) int32 {
	if 2*(len(x.keys)+1) > len(x.slots) {
		x.grow()
	}
	id := int32(len(x.keys))
	x.keys = append(x.keys, s)
	x.put(h, id)
	return id
}

func (x *wordIndex) put(h uint64, id int32) {
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = h>>32<<32 | uint64(uint32(id+1))
}

// grow doubles the slots (256 at first) and puts the words back.
func (x *wordIndex) grow() {
	x.slots = make([]uint64, max(256, 2*len(x.slots)))
	for id, s := range x.keys {
		x.put(wordHash(s), int32(id))
	}
}

// truncate empties the index for the next article, its slots cleared
// (they are the table) but not its list of words, which the next words
// overwrite; reset clears that too. Slots that are many are dropped.
func (x *wordIndex) truncate() {
	if len(x.slots) > maxWordSlots {
		x.slots = nil
	} else if len(x.keys) > 0 {
		clear(x.slots)
	}
	x.keys = x.keys[:0]
	if cap(x.keys) > maxWordSlots/2 {
		x.keys = nil
	}
}

// reset empties the index and clears its words to their capacity, so
// that it keeps none.
func (x *wordIndex) reset() {
	x.truncate()
	clear(x.keys[:cap(x.keys)])
}
