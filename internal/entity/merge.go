package entity

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/storyline-news/storyline"
)

// cluster is one entity across articles while Resolve builds it.
type cluster struct {
	typ    string
	gaz    string
	locals []*local
	names  [][2]string // first and last names of the people merged
	// nameForms are the forms (merger.forms) of names, nil for an
	// unknown first name
	nameForms [][2]*nameFacts
	written   []string // each of names as first written
	mentions  int
	why       []string
	// skPos is the position of the cluster in merger.bySkel per skeleton
	// (a cluster has few), fkeys the blocking keys of its first names
	// (firstIndexKeys).
	skPos []skelPos
	fkeys []string
}

// surnames sums up the surnames of a cluster's names for the comparisons
// with a surname (addPerson, surnameCands): per script (surnameScript),
// the fold bits (nameFacts.foldBits) of its surnames in that script, and
// bit 63 when it has one. A cluster whose surnames of a word's script
// share no fold bit with it, and that has no surname of the other
// script, has no surname SameWord's rule can match with the word. The
// merger keeps them side by side (merger.surnames), not in the clusters:
// a scan of many clusters reads 16 bytes of each.
type surnames [2]uint64

// surnameScript is the index of a word's script in surnames: 1 for
// Cyrillic, 0 for any other.
func surnameScript(f *nameFacts) int {
	if f.cyr() {
		return 1
	}
	return 0
}

// mayMatch tells whether some surname of the cluster may be the word
// whose script index is s and whose fold bits are bits: false only when
// none can be by SameWord's rule (sameForms) or sameSurnameForms.
func (c surnames) mayMatch(s int, bits uint64) bool { return c[s]&bits != 0 || c[1-s] != 0 }

// add records a surname (script index s, fold bits bits).
func (c *surnames) add(s int, bits uint64) { c[s] |= 1<<63 | bits }

// merger merges the local entities of all articles into clusters. Every
// lookup goes through an index, so the cost per article does not grow with
// the number of entities already seen.
type merger struct {
	docs     []Doc
	g        *Gazetteer
	clusters []*cluster
	surnames []surnames       // per cluster
	bySkel   map[string][]int // person: Skeleton of a surname → clusters
	byInit   map[string][]int // person: initials of first name and surname skeletons → clusters
	byGaz    map[string]int
	byKey    map[string]int    // other names: NameKey → cluster
	bySkelK  map[scriptKey]int // other names: skeletons of every word → cluster
	// roleHolders lists, per country, the people given a role of that
	// country, for role nouns no person of their article holds.
	roleHolders map[string][]int
	// forms folds each name word once for the comparisons of SameWord's
	// rule, which a common surname makes against many clusters.
	forms *wordForms
	// byBlock lists, per surname skeleton and blocking key of a first
	// name, the positions in bySkel[skeleton] of the clusters with such a
	// first name: a full name is compared only with the clusters whose
	// first names can be compatible with its own, in bySkel's order.
	byBlock map[blockKey][]int
	// blockPos and blockIDs are block's buffers, reused from call to call
	blockPos, blockIDs []int
	// entity's buffers, reused from entity to entity
	entNames                          []string
	entCounts, entDocs, entIdx, entBy []int
	// bySurname keeps addSurname's candidates per surname; skVer counts
	// per skeleton the names given to the clusters under it, which make
	// them stale.
	bySurname map[string]*surnameCands
	skVer     map[string]int
	// roleBest remembers addRoleNoun's choice per country and role while
	// roleHolders stands (only role nouns join clusters meanwhile, and they
	// add no names with roles).
	roleBest map[[2]string]roleChoice
}

// skelPos is the position of a cluster in merger.bySkel[sk].
type skelPos struct {
	sk  string
	pos int
}

// blockKey is a key of merger.byBlock: a surname skeleton and a blocking
// key of a first name.
type blockKey struct{ sk, first string }

type roleChoice struct {
	id   int
	role string
}

// firstKeys are the blocking keys of a first name: those it is indexed
// under and those it looks up. firstCompatibleForms(a, b) implies that a
// lookup key of b is an index key of a: an initial is indexed under "I:"
// and its letter, any other name under "i:" and its first letter (for
// initials to find it) and under its folds ("f:") and skeletons ("s:")
// for SameWord; an empty first name under "*", which every name looks up.
type firstKeys struct{ index, lookup []string }

func newMerger(docs []Doc, g *Gazetteer) *merger {
	return &merger{docs: docs, g: g, bySkel: map[string][]int{}, byInit: map[string][]int{}, byGaz: map[string]int{},
		byKey: map[string]int{}, bySkelK: map[scriptKey]int{}, forms: newWordForms(), byBlock: map[blockKey][]int{},
		bySurname: map[string]*surnameCands{}, skVer: map[string]int{}}
}

// mergeAll merges local entities into the merger's clusters, in the order
// that decides ties: full person names first, then gazetteer entries, then
// surnames, handles and other names, and role nouns last. Resolve calls it
// once over every article; Incremental over each batch of new articles.
func (m *merger) mergeAll(locals []*local) {
	if len(m.clusters) == 0 && len(locals) >= 1024 {
		// a new merger given many entities: its indexes sized for
		// them (about one key in 6 to 12 local entities, measured on
		// news), not grown step by step
		n := len(locals)
		m.bySkel, m.skVer, m.byInit = make(map[string][]int, n/16), make(map[string]int, n/16), make(map[string][]int, n/64)
		m.byKey, m.bySkelK = make(map[string]int, n/8), make(map[scriptKey]int, n/12)
		m.byBlock, m.bySurname = make(map[blockKey][]int, n/6), make(map[string]*surnameCands, n/8)
	}
	for _, l := range locals {
		if !l.roleNoun && l.last != "" && l.typ == Person && l.full {
			m.addPerson(l)
		}
	}
	for _, l := range locals {
		if l.gaz != "" && len(l.mentions) > 0 {
			m.addGaz(l)
		}
	}
	for _, l := range locals {
		switch {
		case l.roleNoun || l.global >= 0 || len(l.mentions) == 0 || l.gaz != "":
		case l.weak:
			m.addSurname(l)
		case l.typ == Person || (l.typ == "" && !l.full && !strings.HasPrefix(l.last, "@")):
			if !m.addSurname(l) && l.typ == "" {
				m.addName(l)
			}
		case strings.HasPrefix(l.last, "@"):
			m.addHandle(l)
		case l.typ == Location && !l.full:
			// a word typed a place by a cue ("to Trump") that no gazetteer
			// knows is a person's surname when some person has it
			if !m.addSurname(l) {
				m.addName(l)
			}
		default:
			m.addName(l)
		}
	}
	for _, l := range locals {
		if l.roleNoun {
			m.addRoleNoun(l)
		}
	}
}

func (m *merger) newCluster(l *local, typ string) int {
	m.clusters = append(m.clusters, &cluster{typ: typ})
	m.surnames = append(m.surnames, surnames{})
	id := len(m.clusters) - 1
	m.join(id, l, "")
	return id
}

// roomFor tells whether cluster id keeps more evidence: join drops the
// reason given once the cluster has maxEvidence, which need not be
// written then.
func (m *merger) roomFor(id int) bool { return len(m.clusters[id].why) < maxEvidence }

func (m *merger) join(id int, l *local, why string) {
	c := m.clusters[id]
	c.locals = append(c.locals, l)
	c.mentions += len(l.mentions)
	l.global = id
	if why != "" && len(c.why) < maxEvidence {
		c.why = append(c.why, why)
	}
	for _, w := range l.why {
		if len(c.why) < maxEvidence {
			c.why = append(c.why, w)
		}
	}
}

func (m *merger) mention(l *local, k int) Mention { return m.docs[l.doc].Mentions[l.mentions[k]] }

// addPerson places a person named with first name and surname: into the
// cluster of a person with the same surname (in any spelling) and a
// compatible first name, or into a new cluster.
func (m *merger) addPerson(l *local) {
	// the cluster chosen, and the name and pass that chose it, for the
	// evidence (written only when the cluster has room for it)
	best, bestK, bestFuzzy := -1, 0, false
	lf, ff := m.lastFacts(l), m.firstFacts(l)
	ls, lbits := surnameScript(lf), lf.foldBits()
	consider := func(ids []int, fuzzy bool) {
		for _, id := range ids {
			if !m.surnames[id].mayMatch(ls, lbits) {
				// no surname of the same script shares a fold, and
				// none of the other script: neither test below holds
				continue
			}
			c := m.clusters[id]
			for k, n := range c.names {
				nf := c.nameForms[k]
				ok := sameForms(nf[1], lf) && firstCompatibleForms(nf[0], ff)
				if !ok && fuzzy && nf[1].cyr() != lf.cyr() && n[0] != "" && l.first != "" &&
					similarWord(n[0], l.first, 3) && similarWord(n[1], l.last, 4) {
					ok = true
				}
				if ok {
					if best < 0 || c.mentions > m.clusters[best].mentions {
						best, bestK, bestFuzzy = id, k, fuzzy
					}
					break
				}
			}
		}
	}
	for _, sk := range lf.skeletons() {
		consider(m.block(sk, ff), false)
	}
	if best < 0 {
		consider(m.byInit[initialsOf(ff, lf)], true)
	}
	if best < 0 {
		best = m.newCluster(l, Person)
	} else {
		why := ""
		if c := m.clusters[best]; m.roomFor(best) {
			if w := m.fullName(l); w != c.written[bestK] {
				why = fmt.Sprintf("%q ~ %q: same first name and surname in another spelling", w, c.written[bestK])
				if bestFuzzy {
					why = fmt.Sprintf("%q ~ %q: same name in another script", w, c.written[bestK])
				}
			}
		}
		m.join(best, l, why)
	}
	c := m.clusters[best]
	for _, n := range c.names {
		if n == [2]string{l.first, l.last} {
			return
		}
	}
	c.names = append(c.names, [2]string{l.first, l.last})
	c.nameForms = append(c.nameForms, [2]*nameFacts{ff, lf})
	m.surnames[best].add(ls, lbits)
	c.written = append(c.written, m.fullName(l))
	m.indexPerson(best, ff, lf)
	m.index(m.byInit, initialsOf(ff, lf), best)
}

// lastFacts returns the facts of the surname of a local entity (or its
// one word): those localEntities found, else the merger's.
func (m *merger) lastFacts(l *local) *nameFacts {
	if l.lastF == nil {
		l.lastF = m.forms.get(l.last)
	}
	return l.lastF
}

// firstFacts returns the facts of the first name of a local entity, nil
// for none.
func (m *merger) firstFacts(l *local) *nameFacts {
	if l.firstF == nil {
		l.firstF = m.firstForms(l.first)
	}
	return l.firstF
}

// firstForms returns the facts of a first name, nil for none.
func (m *merger) firstForms(first string) *nameFacts {
	if first == "" {
		return nil
	}
	return m.forms.get(first)
}

// firstKeysOf returns the blocking keys of a first name given by its
// facts, nil for none; they are among the facts of the name.
func firstKeysOf(first *nameFacts) *firstKeys {
	if first == nil {
		return noFirstKeys
	}
	return first.firstKeys()
}

// noFirstKeys are the blocking keys of an unknown first name.
var noFirstKeys = &firstKeys{index: []string{"*"}}

// firstKeysOfName is firstKeysOf for a first name, not remembered.
func firstKeysOfName(first string) *firstKeys {
	k := &firstKeys{}
	t := strings.TrimSuffix(first, ".")
	r, _ := utf8.DecodeRuneInString(Latin(t))
	if utf8.RuneCountInString(t) == 1 {
		k.index = []string{"I:" + string(r)}
		k.lookup = []string{"*", "I:" + string(r), "i:" + string(r)}
	} else {
		k.index = []string{"i:" + string(r)}
		k.lookup = []string{"*", "I:" + string(r)}
		for _, f := range folds(first) {
			k.index = append(k.index, "f:"+f)
			k.lookup = append(k.lookup, "f:"+f)
		}
		for _, f := range skeletons(first) {
			k.index = append(k.index, "s:"+f)
			k.lookup = append(k.lookup, "s:"+f)
		}
	}
	return k
}

// indexPerson indexes a cluster under the skeletons of a surname and the
// blocking keys of a first name it was given: every skeleton of the
// cluster's surnames gets every key of its first names.
func (m *merger) indexPerson(id int, first, last *nameFacts) {
	c := m.clusters[id]
	var fresh []string
	for _, k := range firstKeysOf(first).index {
		if !slices.Contains(c.fkeys, k) {
			fresh = append(fresh, k)
		}
	}
	for _, sp := range c.skPos {
		for _, k := range fresh {
			bk := blockKey{sp.sk, k}
			m.byBlock[bk] = append(m.byBlock[bk], sp.pos)
		}
	}
	c.fkeys = append(c.fkeys, fresh...)
next:
	for _, sk := range last.skeletons() {
		for _, sp := range c.skPos {
			if sp.sk == sk {
				continue next
			}
		}
		pos := len(m.bySkel[sk])
		c.skPos = append(c.skPos, skelPos{sk, pos})
		m.bySkel[sk] = append(m.bySkel[sk], id)
		for _, k := range c.fkeys {
			bk := blockKey{sk, k}
			m.byBlock[bk] = append(m.byBlock[bk], pos)
		}
	}
	for _, sp := range c.skPos {
		m.skVer[sp.sk]++
	}
}

// block returns the clusters of bySkel[sk] whose first names may be
// compatible with first, in bySkel's order: the only ones addPerson's
// comparison can accept. The slice is valid until the next call.
func (m *merger) block(sk string, first *nameFacts) []int {
	all := m.bySkel[sk]
	if first == nil {
		return all
	}
	pos := m.blockPos[:0]
	for _, k := range first.firstKeys().lookup {
		pos = append(pos, m.byBlock[blockKey{sk, k}]...)
	}
	slices.Sort(pos)
	pos = slices.Compact(pos)
	ids := m.blockIDs[:0]
	for _, p := range pos {
		ids = append(ids, all[p])
	}
	m.blockPos, m.blockIDs = pos, ids
	return ids
}

// fullName is the first name of two words or more a local entity was
// written with.
func (m *merger) fullName(l *local) string {
	if l.written == "" {
		l.written = m.fullNameOf(l)
	}
	return l.written
}

func (m *merger) fullNameOf(l *local) string {
	for k := range l.mentions {
		if mn := m.mention(l, k); mn.Kind == KindName && len(nameWords(mn.Name)) >= 2 {
			return mn.Name
		}
	}
	return l.first + " " + l.last
}

// initials is the blocking key for fuzzy matches of full names across
// scripts: the first letters of the skeletons of first name and surname.
func initials(first, last string) string {
	a, b := Skeleton(first), Skeleton(last)
	if a == "" || b == "" {
		return ""
	}
	return a[:1] + b[:1]
}

// initialsOf is initials for the forms of a first name (nil for none,
// whose skeleton is "") and a surname.
func initialsOf(first, last *nameFacts) string {
	if first == nil {
		return ""
	}
	a, b := first.skeletons()[0], last.skeletons()[0]
	if a == "" || b == "" {
		return ""
	}
	return a[:1] + b[:1]
}

// similarWord tells whether two words of different scripts are close
// enough to be one name when the other half of the name matches too:
// skeletons equal, or of min letters or more and one letter apart.
func similarWord(a, b string, min int) bool {
	if SameWord(a, b) {
		return true
	}
	for _, x := range skeletons(a) {
		for _, y := range skeletons(b) {
			if len(x) >= min && len(y) >= min && SimilarSkeleton(x, y) {
				return true
			}
		}
	}
	return false
}

func (m *merger) index(ix map[string][]int, key string, id int) {
	for _, x := range ix[key] {
		if x == id {
			return
		}
	}
	ix[key] = append(ix[key], id)
}

// addSurname places a name of one word that may be a surname: into the
// person with that surname when one person has it, or clearly dominates
// those who have it (four times the mentions); into a cluster of its own
// when the name is ambiguous. It reports false when no person has the
// name and the name was not known to be a person's.
func (m *merger) addSurname(l *local) bool {
	lf := m.lastFacts(l)
	sc := m.surnameCands(l.last, lf)
	// the two first of the candidates ordered by mentions, most first, in
	// their order among equals (a stable sort's first two)
	var cands []int
	if len(sc.cands) > 0 {
		i0 := 0
		for i, id := range sc.cands {
			if m.clusters[id].mentions > m.clusters[sc.cands[i0]].mentions {
				i0 = i
			}
		}
		cands = append(cands, sc.cands[i0])
		i1 := -1
		for i, id := range sc.cands {
			if i != i0 && (i1 < 0 || m.clusters[id].mentions > m.clusters[sc.cands[i1]].mentions) {
				i1 = i
			}
		}
		if i1 >= 0 {
			cands = append(cands, sc.cands[i1])
		}
	}
	switch {
	case len(sc.cands) == 1 && len(m.clusters[cands[0]].names) > 0 && m.clusters[cands[0]].names[0][0] != "":
		why := ""
		if m.roomFor(cands[0]) {
			why = fmt.Sprintf("%q in article %s: the only person of that surname", l.last, short(m.docs[l.doc].ID))
		}
		m.join(cands[0], l, why)
		return true
	case len(sc.cands) > 1 && m.clusters[cands[0]].names[0][0] != "" && m.clusters[cands[0]].mentions >= 4*m.clusters[cands[1]].mentions:
		why := ""
		if m.roomFor(cands[0]) {
			why = fmt.Sprintf("%q in article %s: the person of that surname named far most often", l.last, short(m.docs[l.doc].ID))
		}
		m.join(cands[0], l, why)
		return true
	case len(sc.cands) == 1:
		m.join(cands[0], l, "")
		return true
	}
	if l.typ != Person {
		return false
	}
	// a person known by surname only, or an ambiguous surname: its own cluster
	if sc.only >= 0 {
		m.join(sc.only, l, "")
		return true
	}
	id := m.newCluster(l, Person)
	m.clusters[id].names = [][2]string{{"", l.last}}
	m.clusters[id].nameForms = [][2]*nameFacts{{nil, lf}}
	m.surnames[id].add(surnameScript(lf), lf.foldBits())
	m.clusters[id].written = []string{l.last}
	m.indexPerson(id, nil, lf)
	return true
}

// surnameCands are, for a surname alone, the clusters of a person with
// that surname (sameSurname), in the order of bySkel, and the first
// cluster of a person known by that surname only (or -1). They depend
// on the names of the clusters under the skeletons of the surname only,
// so they are kept until one of those is given a name (skVer).
type surnameCands struct {
	vers  []int
	cands []int
	only  int
}

func (m *merger) surnameCands(last string, lf *nameFacts) *surnameCands {
	sks := lf.skeletons()
	if sc := m.bySurname[last]; sc != nil && m.current(sc, sks) {
		return sc
	}
	vers := make([]int, len(sks))
	for i, sk := range sks {
		vers[i] = m.skVer[sk]
	}
	sc := &surnameCands{vers: vers, only: -1}
	// a cluster stands once under each skeleton: only several skeletons
	// can list it twice
	var seen map[int]bool
	if len(sks) > 1 {
		seen = map[int]bool{}
	}
	ls, lbits := surnameScript(lf), lf.foldBits()
	for _, sk := range sks {
		for _, id := range m.bySkel[sk] {
			if seen != nil {
				if seen[id] {
					continue
				}
				seen[id] = true
			}
			if !m.surnames[id].mayMatch(ls, lbits) {
				continue // sameSurnameForms holds for none of its names
			}
			for _, nf := range m.clusters[id].nameForms {
				if sameSurnameForms(nf[1], lf) {
					sc.cands = append(sc.cands, id)
					break
				}
			}
		}
	}
	for _, sk := range sks {
		for _, id := range m.bySkel[sk] {
			if sc.only >= 0 || !m.surnames[id].mayMatch(ls, lbits) {
				continue
			}
			if c := m.clusters[id]; len(c.names) == 1 && c.names[0][0] == "" && sameForms(c.nameForms[0][1], lf) {
				sc.only = id
			}
		}
	}
	m.bySurname[last] = sc
	return sc
}

// current tells whether surname candidates kept for a surname of the
// skeletons sks still hold: no cluster under them was given a name since.
func (m *merger) current(sc *surnameCands, sks []string) bool {
	if len(sc.vers) != len(sks) {
		return false
	}
	for i, sk := range sks {
		if sc.vers[i] != m.skVer[sk] {
			return false
		}
	}
	return true
}

// sameSurnameForms tells, for the forms of two words, whether a surname alone can be the surname of a full
// name: same script and same key, or across scripts the same skeleton of
// four letters or more (Путин alone is not enough to be Patten's).
func sameSurnameForms(x, y *nameFacts) bool {
	if x.cyr() == y.cyr() {
		return x.foldBits()&y.foldBits() != 0 && overlap(x.folds(), y.folds())
	}
	for _, a := range x.skeletons() {
		for _, b := range y.skeletons() {
			if a == b && len(a) >= 4 {
				return true
			}
		}
	}
	return false
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func (m *merger) addGaz(l *local) {
	if id, ok := m.byGaz[l.gaz]; ok {
		m.join(id, l, "")
		return
	}
	m.byGaz[l.gaz] = m.newCluster(l, l.typ)
	m.clusters[m.byGaz[l.gaz]].gaz = l.gaz
}

// addHandle places a handle into the person whose surname it contains.
func (m *merger) addHandle(l *local) {
	best := -1
	for id, c := range m.clusters {
		if c.typ != Person {
			continue
		}
		for _, n := range c.names {
			if handleHasName(l.last, n[1]) {
				if best < 0 || c.mentions > m.clusters[best].mentions {
					best = id
				}
				break
			}
		}
	}
	if best >= 0 {
		m.join(best, l, fmt.Sprintf("handle %s contains the surname of %s", l.last, m.clusters[best].names[0][1]))
		return
	}
	m.addName(l)
}

// addName places any other name: by its keys, then across scripts by the
// skeletons of its words, against the names seen so far and the
// gazetteer.
func (m *merger) addName(l *local) {
	f := m.nameFacts(l)
	name := f.name // the first mention's name
	for _, k := range l.keys {
		if id, ok := m.byKey[k]; ok {
			m.join(id, l, "")
			m.indexName(l, id, f)
			return
		}
	}
	sks := f.skeletonKeys()
	other := !f.cyr() // the other script
	for _, sk := range sks {
		if id, ok := m.bySkelK[scriptKey{other, sk}]; ok {
			m.join(id, l, fmt.Sprintf("%q ~ %q: one name in two scripts", name, m.mention(m.clusters[id].locals[0], 0).Name))
			m.indexName(l, id, f)
			return
		}
	}
	for _, sk := range sks {
		if e, ok := m.g.bySkel[scriptKey{other, sk}]; ok {
			if id, ok := m.byGaz[e.ID]; ok {
				m.join(id, l, fmt.Sprintf("%q ~ %s: one name in two scripts", name, e.Name))
				m.indexName(l, id, f)
				return
			}
			l.gaz, l.typ = e.ID, e.Type
			m.addGaz(l)
			m.clusters[l.global].why = append(m.clusters[l.global].why, fmt.Sprintf("%q ~ %s: one name in two scripts", name, e.Name))
			return
		}
	}
	id := m.newCluster(l, l.typ)
	m.indexName(l, id, f)
}

// nameFacts returns the facts of the name of a local entity's first
// mention: those localEntities found, else the memo's.
func (m *merger) nameFacts(l *local) *nameFacts {
	if l.nameF == nil {
		l.nameF = factsOf(m.docs[l.doc].Mentions[l.mentions[0]].Name)
	}
	return l.nameF
}

// indexName indexes cluster id under the keys of l and the skeletonKeys
// of l's first name, whose facts are f.
func (m *merger) indexName(l *local, id int, f *nameFacts) {
	for _, k := range l.keys {
		if _, ok := m.byKey[k]; !ok {
			m.byKey[k] = id
		}
	}
	cyr := f.cyr()
	for _, sk := range f.skeletonKeys() {
		if _, ok := m.bySkelK[scriptKey{cyr, sk}]; !ok {
			m.bySkelK[scriptKey{cyr, sk}] = id
		}
	}
}

// scriptKey is a skeleton key with the script of the name it is of:
// skeletons only join names written in different scripts, within one
// script the keys of NameKeys decide.
type scriptKey struct {
	cyrillic bool
	key      string
}

// skeletonKeysOf is skeletonKeys, not remembered.
func skeletonKeysOf(name string) []string {
	keys := []string{""}
	for i, w := range nameWords(name) {
		var next []string
		for _, k := range keys {
			for _, s := range skeletons(w) {
				if len(next) < maxKeys {
					if i > 0 {
						s = k + " " + s
					}
					next = append(next, s)
				}
			}
		}
		keys = next
	}
	var out []string
	for _, k := range keys {
		if len(strings.ReplaceAll(k, " ", "")) >= 4 {
			out = append(out, k)
		}
	}
	return out
}

// addRoleNoun places a role noun no person of its article holds ("the
// Ukrainian leader" in an article that names no Ukrainian leader) into the
// person most often given a compatible role of that country elsewhere.
func (m *merger) addRoleNoun(l *local) {
	if m.roleHolders == nil {
		m.roleBest = map[[2]string]roleChoice{}
		m.roleHolders = map[string][]int{}
		for id, c := range m.clusters {
			if c.typ != Person {
				continue
			}
			seen := map[string]bool{}
			for _, cl := range c.locals {
				if cl.country != "" && !seen[cl.country] {
					seen[cl.country] = true
					m.roleHolders[cl.country] = append(m.roleHolders[cl.country], id)
				}
			}
		}
	}
	rn := m.mention(l, 0)
	if c, ok := m.roleBest[[2]string{l.country, rn.Role}]; ok {
		if c.id >= 0 {
			why := ""
			if m.roomFor(c.id) {
				why = fmt.Sprintf("%q in article %s: the person most often called %s", rn.Name, short(m.docs[l.doc].ID), c.role)
			}
			m.join(c.id, l, why)
		}
		return
	}
	best, bestN, bestRole := -1, 0, ""
	for _, id := range m.roleHolders[l.country] {
		n, role := 0, ""
		for _, cl := range m.clusters[id].locals {
			for k := range cl.mentions {
				mn := m.mention(cl, k)
				if mn.Kind == KindName && officeCompatible(mn.Role, rn.Role) && roleCountry(mn.Role, m.g) == l.country {
					n++
					role = mn.Role
				}
			}
		}
		if n > bestN {
			best, bestN, bestRole = id, n, role
		}
	}
	m.roleBest[[2]string{l.country, rn.Role}] = roleChoice{best, bestRole}
	if best >= 0 {
		m.join(best, l, fmt.Sprintf("%q in article %s: the person most often called %s", rn.Name, short(m.docs[l.doc].ID), bestRole))
	}
}

// result turns the clusters into entities and links every mention.
func (m *merger) result(locals []*local, res Result) Result {
	for d, doc := range m.docs {
		res.Mentions[d] = make([]Linked, len(doc.Mentions))
		for i, mn := range doc.Mentions {
			res.Mentions[d][i] = Linked{Mention: mn, Entity: -1}
		}
	}
	type built struct {
		e   storyline.Entity
		idx int
	}
	out := make([]built, 0, len(m.clusters))
	for id, c := range m.clusters {
		if c.mentions == 0 {
			continue
		}
		out = append(out, built{e: m.entity(c), idx: id})
	}
	// by mentions, name and ID, stable: sorted by those and the position,
	// which orders every entity (an unstable sort does), as small keys
	// side by side, not the large entities themselves
	type sortKey struct {
		mentions int
		name, id string
		pos      int
	}
	order := make([]sortKey, len(out))
	for i := range order {
		e := &out[i].e
		order[i] = sortKey{e.Mentions, e.Name, e.ID, i}
	}
	slices.SortFunc(order, func(a, b sortKey) int {
		if a.mentions != b.mentions {
			return b.mentions - a.mentions
		}
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := strings.Compare(a.id, b.id); c != 0 {
			return c
		}
		return a.pos - b.pos
	})
	pos := make([]int, len(m.clusters))
	ids := make(map[string]int, len(out))
	if len(out) > 0 {
		res.Entities = make([]storyline.Entity, 0, len(out))
	}
	for i, k := range order {
		e := &out[k.pos].e
		base := e.ID
		for n := 2; ids[e.ID] > 0; n++ {
			e.ID = fmt.Sprintf("%s-%d", base, n)
		}
		ids[e.ID]++
		pos[out[k.pos].idx] = i
		res.Entities = append(res.Entities, *e)
	}
	for _, l := range locals {
		if l.global < 0 {
			continue
		}
		for _, i := range l.mentions {
			res.Mentions[l.doc][i].Entity = pos[l.global]
		}
	}
	return res
}

// entity builds the entity of a cluster: canonical name, variants,
// articles, roles with their dates, evidence.
func (m *merger) entity(c *cluster) storyline.Entity {
	// the names written, in order of first use, with their counts; an
	// index by name only for clusters of many names
	order, counts := m.entNames[:0], m.entCounts[:0]
	var at map[string]int
	docs := m.entDocs[:0] // the articles of the entity
	defer func() {
		clear(order) // keeps no names
		m.entNames, m.entCounts, m.entDocs = order[:0], counts[:0], docs[:0]
	}()
	e := storyline.Entity{Roles: []storyline.EntityRole{}, Evidence: []string{}}
	var seenRole map[[2]string]bool
	var types [3]int // mentions typed Person, Organization, Location
	for _, l := range c.locals {
		doc := &m.docs[l.doc]
		if len(docs) == 0 || docs[len(docs)-1] != l.doc {
			docs = append(docs, l.doc)
		}
		for _, mi := range l.mentions {
			mn := &doc.Mentions[mi]
			e.Mentions++
			switch mn.Type {
			case Person:
				types[0]++
			case Organization:
				types[1]++
			case Location:
				types[2]++
			}
			if mn.Role != "" && mn.Kind == KindName && !m.seenRole(&e, &seenRole, mn.Role, doc.ID) {
				var date *string
				if doc.Date != "" {
					d := doc.Date // a copy: the entity must not share the caller's Doc
					date = &d
				}
				e.Roles = append(e.Roles, storyline.EntityRole{Role: mn.Role, Date: date, Article: doc.ID})
			}
			if mn.Kind == KindRole {
				continue
			}
			k := -1
			if at != nil {
				if i, ok := at[mn.Name]; ok {
					k = i
				}
			} else {
				for i, v := range order {
					if v == mn.Name {
						k = i
						break
					}
				}
			}
			if k < 0 {
				k = len(order)
				order = append(order, mn.Name)
				counts = append(counts, 0)
				if at != nil {
					at[mn.Name] = k
				} else if len(order) > 16 {
					at = make(map[string]int, 64)
					for i, v := range order {
						at[v] = i
					}
				}
			}
			counts[k]++
		}
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	if len(docs) > 0 {
		e.Articles = make([]string, 0, len(docs))
	}
	for _, d := range docs {
		e.Articles = append(e.Articles, m.docs[d].ID)
	}
	// variants by count, most first, in order of first use among equals
	idx := m.entIdx[:0]
	for i := range order {
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int { return counts[b] - counts[a] })
	e.Variants = make([]string, len(order))
	sorted := m.entBy[:0]
	for i, k := range idx {
		e.Variants[i] = order[k]
		sorted = append(sorted, counts[k])
	}
	m.entIdx, m.entBy = idx[:0], sorted[:0]
	if len(order) == 0 {
		e.Variants = nil
	}
	e.Type = c.typ
	if e.Type == "" || e.Type == Other {
		e.Type = Other
		best := 0
		for i, t := range []string{Person, Organization, Location} {
			if types[i] > best {
				e.Type, best = t, types[i]
			}
		}
		if e.Type == Other && len(e.Variants) > 0 && isAcronym(e.Variants[0]) {
			e.Type = Organization
		}
	}
	e.Name = canonical(e.Variants, sorted, e.Type)
	if c.gaz != "" {
		if g, ok := m.g.ByID(c.gaz); ok {
			e.Name = g.Name
		}
		e.ID = entityID(c.gaz, "")
	} else {
		e.ID = entityID(e.Type+"|", NameKey(e.Name))
	}
	e.Evidence = append(e.Evidence, c.why...)
	return e
}

// entityID is "ent_" and the first 12 hex digits of text.Hash("entity",
// key), key being a and b written one after the other: the hash of the
// key written into a buffer on the stack, without Hash's copies.
func entityID(a, b string) string {
	var buf [96]byte
	in := append(append(append(buf[:0], "entity\x00"...), a...), b...)
	sum := sha256.Sum256(in)
	var id [4 + 12]byte
	copy(id[:], "ent_")
	hex.Encode(id[4:], sum[:6])
	return string(id[:])
}

// seenRole tells whether the entity has the role in the article already:
// by its roles, or by an index of them once they are many.
func (m *merger) seenRole(e *storyline.Entity, seen *map[[2]string]bool, role, article string) bool {
	if *seen != nil {
		if (*seen)[[2]string{role, article}] {
			return true
		}
		(*seen)[[2]string{role, article}] = true
		return false
	}
	for _, r := range e.Roles {
		if r.Role == role && r.Article == article {
			return true
		}
	}
	if len(e.Roles) >= 16 {
		*seen = make(map[[2]string]bool, 64)
		for _, r := range e.Roles {
			(*seen)[[2]string{r.Role, r.Article}] = true
		}
		(*seen)[[2]string{role, article}] = true
	}
	return false
}

// canonical picks the name an entity goes by: for a person, the most
// frequent full name in Latin letters (else in any script); for anything
// else, the most frequent name. Ties go to the longer, then the first in
// alphabetical order. counts[i] is the count of variants[i].
func canonical(variants []string, counts []int, typ string) string {
	best, bestScore := "", 0
	score := func(i int) int {
		v := variants[i]
		s := counts[i] * 4
		if typ == Person && twoNameWords(v) {
			s += 1 << 20
		}
		if !IsCyrillic(v) {
			s += 1 << 19
		}
		if strings.HasPrefix(v, "@") {
			s -= 1 << 21
		}
		return s
	}
	for i, v := range variants {
		if best == "" {
			best, bestScore = v, score(i)
			continue
		}
		sc := score(i)
		switch {
		case sc > bestScore:
			best, bestScore = v, sc
		case sc == bestScore && (len(v) > len(best) || len(v) == len(best) && v < best):
			best, bestScore = v, sc
		}
	}
	return best
}
