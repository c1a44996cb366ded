package entity

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// nameFacts are what resolution derives from a name or word as written,
// remembered together in one entry of one memo (factsMemo): detection,
// local entities and the merger ask for several of them about one name
// (its entry in the gazetteer, its words, its keys, and for a word its
// folds, skeletons, script, whether it is an initial or a first name).
// Each fact is computed on first use and kept in the entry itself, so
// that asking for a fact of a name costs one probe of the memo and reads
// one object. The values are shared and must not be modified.
//
// A fact is published by setting its bit in done after its field was
// written (under mu, so that two goroutines that computed it store it
// once); a field whose bit is set is never written again and is read
// without the lock.
//
// An entry is 192 bytes, which Go allocates at multiples of 64: three
// cache lines. The first holds what a lookup compares (the name, in buf
// when short) and the facts asked most (the flags, the gazetteer entry),
// so that looking a name up and reading those touches one line.
type nameFacts struct {
	name string
	// buf holds name when it is short: the name compared at a lookup is
	// in the entry, not in an allocation of its own
	buf  [24]byte
	done atomic.Uint32 // the facts computed (fact* bits) and the booleans' values (val* bits)
	init rune          // initRune, once factInit is set
	gaz  *GazEntry     // the built-in gazetteer's Lookup answer, noEntry for none
	// fkeys are the merger's blocking keys of the name as a first name
	// (firstKeysOfName)
	fkeys *firstKeys
	fbits uint64 // foldBitsOf the folds, once factFoldBits is set
	mu    sync.Mutex
	// the lists: nameWordsOf, nameKeysOf, foldsOf and skeletonsOf of the
	// name, and skeletonKeysOf (asked rarely, by the merger: behind a
	// pointer, which keeps the entry at 192 bytes)
	words, keys, fold, skel []string
	skelKeys                *[]string
}

// The bits of nameFacts.done.
const (
	factWords uint32 = 1 << iota
	factKeys
	factSkelKeys
	factFolds
	factSkel
	factGaz
	factGiven
	valGiven
	factCyr
	valCyr
	factInitial
	valInitial
	factInit
	factFirstKeys
	factGazWords
	valGazWords
	factFoldBits
)

// newFacts returns the entry of a name with no fact computed yet; it
// keeps a copy of the name (often a slice of an article's text, which
// the memo must not hold).
func newFacts(name string) *nameFacts {
	f := &nameFacts{}
	if len(name) <= len(f.buf) {
		n := copy(f.buf[:], name)
		f.name = unsafe.String(&f.buf[0], n)
	} else {
		f.name = strings.Clone(name)
	}
	return f
}

// list returns the fact of bit kept in *p, computing it with of on first
// use. Two goroutines may both compute it: one value is stored.
func (f *nameFacts) list(bit uint32, p *[]string, of func(string) []string) []string {
	if f.done.Load()&bit != 0 {
		return *p
	}
	return keep(f, bit, p, of(f.name))
}

// keep stores v as the fact of bit in *p unless another goroutine stored
// it first, and returns the value stored.
func keep[T any](f *nameFacts, bit uint32, p *T, v T) T {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done.Load()&bit == 0 {
		*p = v
		f.done.Or(bit)
	}
	return *p
}

// flag returns the boolean fact of bit whose value is the bit is,
// computing it with of on first use.
func (f *nameFacts) flag(bit, is uint32, of func(string) bool) bool {
	if d := f.done.Load(); d&bit != 0 {
		return d&is != 0
	}
	v := of(f.name)
	if v {
		f.done.Or(bit | is)
	} else {
		f.done.Or(bit)
	}
	return v
}

func (f *nameFacts) nameWords() []string { return f.list(factWords, &f.words, nameWordsOf) }
func (f *nameFacts) nameKeys() []string  { return f.list(factKeys, &f.keys, nameKeysOf) }
func (f *nameFacts) folds() []string     { return f.list(factFolds, &f.fold, foldsOf) }
func (f *nameFacts) skeletons() []string { return f.list(factSkel, &f.skel, skeletonsOf) }

// skeletonKeys is skeletonKeysOf(name), remembered.
func (f *nameFacts) skeletonKeys() []string {
	if f.done.Load()&factSkelKeys != 0 {
		return *f.skelKeys
	}
	v := skeletonKeysOf(f.name)
	return *keep(f, factSkelKeys, &f.skelKeys, &v)
}

// isGivenName is isGivenName(name), remembered.
func (f *nameFacts) isGivenName() bool { return f.flag(factGiven, valGiven, givenName) }

// cyr is IsCyrillic(name), remembered.
func (f *nameFacts) cyr() bool { return f.flag(factCyr, valCyr, IsCyrillic) }

// initial tells whether the word is one letter, with or without a full
// stop: "J.", "J".
func (f *nameFacts) initial() bool { return f.flag(factInitial, valInitial, isOneLetter) }

func isOneLetter(w string) bool { return utf8.RuneCountInString(strings.TrimSuffix(w, ".")) == 1 }

// initRune is the first letter of the word, full stop trimmed, in Latin
// letters (utf8.RuneError when none).
func (f *nameFacts) initRune() rune {
	if f.done.Load()&factInit != 0 {
		return f.init
	}
	r, _ := utf8.DecodeRuneInString(Latin(strings.TrimSuffix(f.name, ".")))
	return keep(f, factInit, &f.init, r)
}

// foldBits are foldBitsOf the word's folds, remembered: two words whose
// folds overlap share a bit.
func (f *nameFacts) foldBits() uint64 {
	if f.done.Load()&factFoldBits != 0 {
		return f.fbits
	}
	return keep(f, factFoldBits, &f.fbits, foldBitsOf(f.folds()))
}

// foldBitsOf are the bits (0 to 62) of some folds, one per fold: lists
// that share a fold share its bit.
func foldBitsOf(folds []string) uint64 {
	var b uint64
	for _, k := range folds {
		h := uint64(14695981039346656037) // FNV-1a
		for i := 0; i < len(k); i++ {
			h ^= uint64(k[i])
			h *= 1099511628211
		}
		b |= 1 << (h % 63)
	}
	return b
}

// firstKeys are the blocking keys of the word as a first name,
// remembered.
func (f *nameFacts) firstKeys() *firstKeys {
	if f.done.Load()&factFirstKeys != 0 {
		return f.fkeys
	}
	return keep(f, factFirstKeys, &f.fkeys, firstKeysOfName(f.name))
}

// gazEntry is the built-in gazetteer's Lookup answer for the name, nil
// for none.
func (f *nameFacts) gazEntry(g *Gazetteer) *GazEntry {
	var e *GazEntry
	if f.done.Load()&factGaz != 0 {
		e = f.gaz
	} else {
		if e = g.lookupFacts(f); e == nil {
			e = noEntry
		}
		e = keep(f, factGaz, &f.gaz, e)
	}
	if e == noEntry {
		return nil
	}
	return e
}

// gazWords tells whether every word of the name has a spelling among the
// words of the gazetteer's keys (g.mayHaveEntry), remembered for the
// built-in gazetteer.
func (f *nameFacts) gazWords(g *Gazetteer) bool {
	if !g.builtin {
		return g.mayHaveEntry(f.name)
	}
	return f.flag(factGazWords, valGazWords, builtinMayHaveEntry)
}

func builtinMayHaveEntry(name string) bool { return Default().mayHaveEntry(name) }

// factsMemo remembers the facts of the names and words asked about.
var factsMemo factTable

// factsOf returns the facts of a name, remembered.
func factsOf(name string) *nameFacts { return factsMemo.get(name) }

// nameWords splits a name into words, possessive endings dropped
// (nameWordsOf). Its value is remembered and shared: it must not be
// modified.
func nameWords(name string) []string { return factsOf(name).nameWords() }

// nameKeys is NameKeys, remembered: its value is shared and must not be
// modified.
func nameKeys(name string) []string { return factsOf(name).nameKeys() }

// skeletonKeys are the keys of a name across scripts: the skeletons of its
// words, when they are long enough to say something (skeletonKeysOf). Its
// value is remembered and shared: it must not be modified.
func skeletonKeys(name string) []string { return factsOf(name).skeletonKeys() }

// folds is Folds, remembered: its value is shared and must not be modified.
func folds(word string) []string { return factsOf(word).folds() }

// skeletons is Skeletons, remembered: its value is shared and must not be
// modified.
func skeletons(word string) []string { return factsOf(word).skeletons() }

// factTable is a concurrent memo of nameFacts by name: 64 shards, each an
// open-addressing table of hashes and entries whose readers take no lock
// and write nothing (a lookup hashes the name once and compares it with
// the entries of its hash only). A shard that holds factShardMax entries
// starts a new table, so the memo holds at most 64×1,024 names however
// long the process runs.
type factTable struct {
	shards [factShards]factShard
}

type factShard struct {
	tab atomic.Pointer[factTab]
	mu  sync.Mutex // serialises inserts
	_   [48]byte   // one cache line per shard: inserts into one do not disturb readers of another
}

// factTab is one table of a shard: len(slots) is a power of two, at least
// twice the entries it may hold. An entry is stored before its hash, so
// that a reader that finds the hash finds the entry.
type factTab struct {
	slots []factSlot
	n     int // entries, written under the shard's lock
}

type factSlot struct {
	hash atomic.Uint64 // 0: empty
	f    atomic.Pointer[nameFacts]
}

const (
	factShardBits = 6
	factShards    = 1 << factShardBits
	factShardMax  = 1024
)

var factSeed = maphash.MakeSeed()

// get returns the entry of a name, a new one (no fact computed yet) when
// the table does not hold it.
func (t *factTable) get(name string) *nameFacts {
	h := maphash.String(factSeed, name)
	if h == 0 {
		h = 1 // 0 marks an empty slot
	}
	s := &t.shards[h>>(64-factShardBits)]
	if tab := s.tab.Load(); tab != nil {
		if f := tab.find(h, name); f != nil {
			return f
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tab := s.tab.Load()
	if tab != nil {
		if f := tab.find(h, name); f != nil {
			return f // inserted meanwhile
		}
	}
	if tab == nil || tab.n >= factShardMax {
		tab = &factTab{slots: make([]factSlot, 2*factShardMax)}
		s.tab.Store(tab)
	}
	f := newFacts(name)
	mask := uint64(len(tab.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		if sl := &tab.slots[i]; sl.hash.Load() == 0 {
			sl.f.Store(f)
			sl.hash.Store(h)
			break
		}
	}
	tab.n++
	return f
}

// find returns the entry of name, whose hash is h, or nil.
func (tab *factTab) find(h uint64, name string) *nameFacts {
	mask := uint64(len(tab.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &tab.slots[i]
		switch sl.hash.Load() {
		case 0:
			return nil
		case h:
			if f := sl.f.Load(); f != nil && f.name == name {
				return f
			}
		}
	}
}
