package entity

import (
	"fmt"
	"sort"

	"github.com/storyline-news/storyline"
)

// Incremental is entity resolution kept up to date as articles come, for a
// server that must not resolve its whole store again for every new
// article. Add runs Resolve's two halves on the new articles only: the
// per-article half (detection and the links within each article, on every
// CPU) and the cross-article merge of their entities into those found so
// far; the articles added before keep their links.
//
// Articles added in one call get exactly the entities Resolve gives them
// (Result equals Resolve's result). Added over several calls, the result
// may differ from Resolve's over all of them in two ways: a sentence's
// first word is read with the casing counts of the articles added up to
// then, and where a later article would have changed how an earlier
// article's names were merged (a second person of a surname that used to
// be unambiguous), the earlier merge stands.
//
// An Incremental is not safe for concurrent use; the results it returns
// are never modified by later calls.
type Incremental struct {
	g      *Gazetteer
	casing Casing
	m      *merger
	links  [][]int32          // per article, per mention: its cluster, -1 for none
	ents   []storyline.Entity // per cluster, as m.entity builds it (base ID)
	dirty  map[int]bool       // clusters changed since ents was built
	prev   []storyline.Entity // the last Current's entities, reused where not dirty
}

// NewIncremental returns an Incremental with no article.
func NewIncremental() *Incremental {
	g := Default()
	return &Incremental{g: g, m: newMerger(nil, g), dirty: map[int]bool{}}
}

// Len returns the number of articles added.
func (x *Incremental) Len() int { return len(x.m.docs) }

// Add resolves the entities of more articles against those added before.
// Like Resolve, it detects the mentions of the documents that have none
// (setting their Mentions), counting the casing of words over every
// document added so far.
func (x *Incremental) Add(docs []Doc) {
	if len(docs) == 0 {
		return
	}
	base := len(x.m.docs)
	if undetected(docs) {
		x.addCasing(CountCasing(texts(docs)...))
	}
	var casing *casingTable
	if x.casing != nil {
		casing = &casingTable{m: x.casing}
	}
	locals := localsOf(docs, base, casing, x.g)
	m := x.m
	m.docs = append(m.docs, docs...)
	m.roleHolders = nil // built again with the people found so far
	// the cross-article half: Resolve's merge over the new articles'
	// entities
	m.mergeAll(locals)
	for d := range docs {
		ls := make([]int32, len(docs[d].Mentions))
		for i := range ls {
			ls[i] = -1
		}
		x.links = append(x.links, ls)
	}
	for _, l := range locals {
		if l.global < 0 {
			continue
		}
		x.dirty[l.global] = true
		for _, i := range l.mentions {
			x.links[l.doc][i] = int32(l.global)
		}
	}
}

// addCasing adds casing counts to those of the articles added before.
func (x *Incremental) addCasing(c Casing) {
	if x.casing == nil {
		x.casing = c
		return
	}
	for w, n := range c {
		o := x.casing[w]
		x.casing[w] = [2]int{o[0] + n[0], o[1] + n[1]}
	}
}

// Links are the linked mentions of the articles added up to some call of
// Current, kept compactly (an entity index per mention) and shared with
// the Incremental: Of makes an article's []Linked when asked. A Links
// value may be read while more articles are added.
type Links struct {
	docs  []Doc
	links [][]int32
}

// Len returns the number of articles.
func (l Links) Len() int { return len(l.links) }

// Of returns the linked mentions of article d (a new slice).
func (l Links) Of(d int) []Linked {
	ms := l.docs[d].Mentions
	out := make([]Linked, len(ms))
	for i, m := range ms {
		out[i] = Linked{Mention: m, Entity: int(l.links[d][i])}
	}
	return out
}

// Entities returns the entity index of every mention of article d, -1
// for none (shared: do not modify).
func (l Links) Entities(d int) []int32 { return l.links[d] }

// Current returns the resolution of every article added so far. Unlike
// Resolve's, its entities are in the order they were first found, so that
// an entity keeps its index as articles are added and the mentions of an
// article keep their links, which Links gives. order lists the indexes of
// the entities by number of mentions, most first, then by name and ID, as
// Resolve orders them; an index not in order holds no entity (its Mentions
// is 0). Entity IDs are Resolve's: where two entities would have the same
// ID, the one of more mentions keeps it and the other gets "-2", "-3"….
func (x *Incremental) Current() (ents []storyline.Entity, order []int, links Links) {
	for len(x.ents) < len(x.m.clusters) {
		x.ents = append(x.ents, storyline.Entity{})
		x.dirty[len(x.ents)-1] = true
	}
	for id := range x.dirty {
		if c := x.m.clusters[id]; c.mentions > 0 {
			x.ents[id] = x.m.entity(c)
		}
	}
	ents = make([]storyline.Entity, len(x.ents))
	copy(ents, x.ents)
	for id, e := range ents {
		if e.Mentions > 0 {
			order = append(order, id)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := ents[order[i]], ents[order[j]]
		if a.Mentions != b.Mentions {
			return a.Mentions > b.Mentions
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	ids := make(map[string]int, len(order))
	for _, id := range order {
		e := &ents[id]
		base := e.ID
		for n := 2; ids[e.ID] > 0; n++ {
			e.ID = fmt.Sprintf("%s-%d", base, n)
		}
		ids[e.ID]++
	}
	// an entity that did not change and kept its ID is the earlier
	// result's value, so that its slices are shared, not copied
	for id := range ents {
		if !x.dirty[id] && id < len(x.prev) && x.prev[id].ID == ents[id].ID {
			ents[id] = x.prev[id]
		}
	}
	clear(x.dirty)
	x.prev = ents
	n := len(x.links)
	return ents, order, Links{docs: x.m.docs[:n:n], links: x.links[:n:n]}
}

// Result returns the resolution of every article added so far as Resolve
// gives it: entities by number of mentions, most first, and every
// article's mentions linked (a new slice each).
func (x *Incremental) Result() Result {
	ents, order, links := x.Current()
	pos := make([]int, len(ents))
	res := Result{Mentions: make([][]Linked, links.Len())}
	for i, id := range order {
		pos[id] = i
		res.Entities = append(res.Entities, ents[id])
	}
	for d := range res.Mentions {
		ms := links.Of(d)
		for i, m := range ms {
			if m.Entity >= 0 {
				ms[i].Entity = pos[m.Entity]
			}
		}
		res.Mentions[d] = ms
	}
	return res
}
