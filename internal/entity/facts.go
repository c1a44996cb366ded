package entity

import "sync/atomic"

// nameFacts are what resolution derives from a name or word as written,
// remembered together in one memo: detection, local entities and the
// merger ask for several of them about one name (its entry in the
// gazetteer, its words, its keys, and for a word its folds and
// skeletons), and a memo is a large map,
// cold in the CPU's caches, whose lookups cost more than most of what
// they remember. One entry per name costs one such lookup where a memo
// per fact cost one per fact. Each fact is computed on first use; the
// values are shared and must not be modified.
type nameFacts struct {
	words    atomic.Pointer[[]string] // nameWordsOf
	keys     atomic.Pointer[[]string] // nameKeysOf
	skelKeys atomic.Pointer[[]string] // skeletonKeysOf
	folds    atomic.Pointer[[]string] // foldsOf
	skel     atomic.Pointer[[]string] // skeletonsOf
	// gaz is the built-in gazetteer's Lookup answer, noEntry for none
	gaz atomic.Pointer[GazEntry]
}

var factsMemo memo[*nameFacts]

// factsOf returns the facts of a name, remembered.
func factsOf(name string) *nameFacts {
	return factsMemo.get(name, func(string) *nameFacts { return &nameFacts{} })
}

// fact returns the fact p of a name, computing it with of on first use.
// Two goroutines may both compute it: they store equal values.
func fact(p *atomic.Pointer[[]string], name string, of func(string) []string) []string {
	if v := p.Load(); v != nil {
		return *v
	}
	v := of(name)
	p.Store(&v)
	return v
}

// nameWords splits a name into words, possessive endings dropped
// (nameWordsOf). Its value is remembered and shared: it must not be
// modified.
func nameWords(name string) []string { return fact(&factsOf(name).words, name, nameWordsOf) }

// nameKeys is NameKeys, remembered: its value is shared and must not be
// modified.
func nameKeys(name string) []string { return fact(&factsOf(name).keys, name, nameKeysOf) }

// skeletonKeys are the keys of a name across scripts: the skeletons of its
// words, when they are long enough to say something (skeletonKeysOf). Its
// value is remembered and shared: it must not be modified.
func skeletonKeys(name string) []string {
	return fact(&factsOf(name).skelKeys, name, skeletonKeysOf)
}

// folds is Folds, remembered: its value is shared and must not be modified.
func folds(word string) []string { return fact(&factsOf(word).folds, word, foldsOf) }

// skeletons is Skeletons, remembered: its value is shared and must not be
// modified.
func skeletons(word string) []string { return fact(&factsOf(word).skel, word, skeletonsOf) }
