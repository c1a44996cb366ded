package entity

import (
	"bytes"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/text"
)

// Other is the type of a name that is neither a known person, organisation
// nor place ("Brexit", "Economy"); reports leave such entities out.
const Other = "other"

// Docs makes the input of Resolve from clean articles, in their order.
func Docs(articles []storyline.Article) []Doc {
	out := make([]Doc, len(articles))
	for i := range articles {
		out[i] = Doc{ID: articles[i].ID, Date: articles[i].PublishedString(), Text: articles[i].Text}
	}
	return out
}

// Named returns the entities of a known kind (person, organisation,
// place): those a report shows.
func (r Result) Named() []storyline.Entity {
	out := []storyline.Entity{}
	for _, e := range r.Entities {
		if e.Type != Other {
			out = append(out, e)
		}
	}
	return out
}

// Doc is one article as entity resolution sees it.
type Doc struct {
	ID   string // the article ID
	Date string // the publish date as reports write it; "" when unknown
	Text string // the clean text
	// Mentions are the article's mentions; when nil, Resolve detects them.
	Mentions []Mention
}

// Linked is a mention with the index of its entity in Result.Entities, or
// -1 when it refers to none.
type Linked struct {
	Mention
	Entity int
}

// Result is the outcome of Resolve.
type Result struct {
	// Entities are every entity found, by number of mentions, most
	// first; those of type Other are names of no known kind.
	Entities []storyline.Entity
	Mentions [][]Linked
}

// maxEvidence bounds the evidence kept per entity.
const maxEvidence = 40

// local is one entity within one article: the mentions an article makes
// of it.
type local struct {
	doc      int
	mentions []int
	typ      string
	gaz      string
	first    string   // first name of the longest full name, if any
	last     string   // surname, or the one word of a single-word name
	full     bool     // has a name of two words or more
	keys     []string // NameKeys of the first name written, for names of no person
	country  string
	roleNoun bool
	weak     bool // a sentence's capitalised first word: only a known surname
	global   int
	why      []string
	// the facts of first and last, for the people of localEntities
	firstF, lastF *nameFacts
	nameF         *nameFacts // the facts of the first mention's name, when known
	written       string     // merger.fullName, once asked

}

// Resolve finds the entities of a set of articles: it links the mentions
// within each article (surnames to full names, role nouns to the person
// holding the role, handles to people), then merges the entities of all
// articles (spelling, transliteration and case variants of one name),
// never merging two people whose first names differ. The result depends
// only on the documents and their order.
func Resolve(docs []Doc) Result {
	g := Default()
	res := Result{Mentions: make([][]Linked, len(docs))}
	var casing *casingTable
	if undetected(docs) {
		casing = &casingTable{c: countCasing(texts(docs))}
	}
	locals := localsOf(docs, 0, casing, g)
	m := newMerger(docs, g)
	m.mergeAll(locals)
	return m.result(locals, res)
}

// undetected tells whether some document has no mentions detected yet.
func undetected(docs []Doc) bool {
	for _, d := range docs {
		if d.Mentions == nil {
			return true
		}
	}
	return false
}

// texts returns the documents' texts.
func texts(docs []Doc) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Text
	}
	return out
}

// localsOf detects the mentions of the documents that have none (with the
// casing counts given) and groups each document's mentions into local
// entities, numbering the documents from base. Both depend on one article
// alone (and the casing): they run on every CPU, and the local entities
// come back in article order.
func localsOf(docs []Doc, base int, casing *casingTable, g *Gazetteer) []*local {
	perDoc := make([][]*local, len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(docs)) {
		wg.Go(func() {
			// a detector and scratch space kept from an earlier call
			// when there is one: their buffers have grown already
			sc, _ := localScratches.Get().(*localScratch)
			if sc == nil {
				sc = newLocalScratch()
			}
			defer func() {
				sc.det.wipe() // kept: with no text
				sc.drop()
				localScratches.Put(sc)
			}()
			for {
				d := int(next.Add(1) - 1)
				if d >= len(docs) {
					return
				}
				if docs[d].Mentions == nil {
					// the facts of the names detection looked up stay
					// in sc.forms for localEntities, which resets them
					docs[d].Mentions = sc.keepMentions(sc.det.detectArticle(docs[d].Text, casing))
				}
				perDoc[d] = sc.keepLocals(localEntities(base+d, docs[d].Mentions, g, sc))
			}
		})
	}
	wg.Wait()
	n := 0
	for _, ls := range perDoc {
		n += len(ls)
	}
	if n == 0 {
		return nil
	}
	locals := make([]*local, 0, n)
	for _, ls := range perDoc {
		locals = append(locals, ls...)
	}
	return locals
}

// localScratch is what detection and localEntities need for one article
// besides its result: a worker keeps it for the next article, cleared so
// that it keeps no text.
type localScratch struct {
	det *detector
	// forms are the facts of the article's names and words, once asked
	// (the detector's): a name written again costs a lookup in a small map
	// rather than in the shared memo, which is large and cold in the CPU's
	// caches
	forms              *wordForms
	byGaz, byKey, weak map[string]*local
	people             []*local
	words              [][]string // nameWords of each mention, once split
	split, owned       []bool
	out                []*local // localEntities' list, copied by keepLocals
	// the chunks the call's local entities, their first mentions, the
	// lists of them and the detected mentions are cut from: one
	// allocation for many articles, dropped at the end of the call
	// (what was cut from them is the caller's)
	slab   []local
	firsts []int
	lists  []*local
	ms     []Mention
}

// The largest chunks of localScratch, in elements: what a worker may
// leave unused of them at the end of a call is under 100 KB.
const (
	maxLocalChunk   = 256
	maxMentionChunk = 256
)

// chunkFor returns chunk when it has room for n more elements, else a new
// chunk with room for n and for later articles: twice the capacity of
// the last one, from 16 elements to most.
func chunkFor[T any](chunk []T, n, most int) []T {
	if cap(chunk)-len(chunk) >= n {
		return chunk
	}
	return make([]T, 0, max(n, min(most, max(16, 2*cap(chunk)))))
}

// keepMentions returns a copy of the mentions detected in an article (a
// view of the detector's buffer), cut from the scratch's chunk, or an
// empty list for none.
func (sc *localScratch) keepMentions(ms []Mention) []Mention {
	if len(ms) == 0 {
		return []Mention{} // detected: none
	}
	sc.ms = chunkFor(sc.ms, len(ms), maxMentionChunk)
	n := len(sc.ms)
	sc.ms = append(sc.ms, ms...)
	return sc.ms[n:len(sc.ms):len(sc.ms)]
}

// keepLocals returns a copy of an article's local entities (a view of the
// scratch's list), cut from the scratch's chunk, nil for none.
func (sc *localScratch) keepLocals(ls []*local) []*local {
	if len(ls) == 0 {
		return nil
	}
	sc.lists = chunkFor(sc.lists, len(ls), maxLocalChunk)
	n := len(sc.lists)
	sc.lists = append(sc.lists, ls...)
	clear(ls)
	return sc.lists[n:len(sc.lists):len(sc.lists)]
}

// newLocal returns a new local entity of the article d, first mentioned
// by its mention i, cut from the scratch's chunks.
func (sc *localScratch) newLocal(d, i int, typ string) *local {
	sc.slab = chunkFor(sc.slab, 1, maxLocalChunk)
	sc.firsts = chunkFor(sc.firsts, 1, 4*maxLocalChunk)
	k := len(sc.firsts)
	sc.firsts = append(sc.firsts, i)
	sc.slab = append(sc.slab, local{doc: d, mentions: sc.firsts[k : k+1 : k+1], typ: typ, global: -1})
	return &sc.slab[len(sc.slab)-1]
}

// drop lets go of the chunks at the end of a call, and clears the list
// of local entities, so that the scratch keeps no text.
func (sc *localScratch) drop() {
	sc.slab, sc.firsts, sc.lists, sc.ms = nil, nil, nil, nil
	clear(sc.out[:cap(sc.out)])
	sc.out = sc.out[:0]
}

// localScratches keeps localScratch values between calls of localsOf.
var localScratches sync.Pool

func newLocalScratch() *localScratch {
	det := newDetector()
	return &localScratch{det: det, forms: det.names, byGaz: map[string]*local{}, byKey: map[string]*local{}, weak: map[string]*local{}}
}

// nameWords is nameWords(name), the facts remembered for the article.
func (sc *localScratch) nameWords(name string) []string { return sc.forms.get(name).nameWords() }

// nameKeys is nameKeys(name), the facts remembered for the article.
func (sc *localScratch) nameKeys(name string) []string { return sc.forms.get(name).nameKeys() }

// prepare readies the scratch for an article of n mentions.
func (sc *localScratch) prepare(n int) {
	sc.words = slices.Grow(sc.words[:0], n)[:n]
	sc.split = slices.Grow(sc.split[:0], n)[:n]
	sc.owned = slices.Grow(sc.owned[:0], n)[:n]
}

// reset clears the scratch after an article.
func (sc *localScratch) reset() {
	sc.forms.truncate()
	clear(sc.byGaz)
	clear(sc.byKey)
	clear(sc.weak)
	clear(sc.people)
	clear(sc.words)
	clear(sc.split)
	clear(sc.owned)
	sc.people = sc.people[:0]
}

// localEntities groups the mentions of one article into local entities.
// sc is scratch space, cleared on return.
func localEntities(d int, ms []Mention, g *Gazetteer, sc *localScratch) []*local {
	out := sc.out[:0]
	sc.prepare(len(ms))
	byGaz, byKey, people, forms := sc.byGaz, sc.byKey, sc.people, sc.forms
	defer func() {
		sc.people = people // grown: cleared with the rest
		sc.out = out[:0]   // cleared by keepLocals or drop
		sc.reset()
	}()
	// the words of each mention's name (nameWords), split once
	words, split := sc.words, sc.split
	wordsOf := func(i int) []string {
		if !split[i] {
			words[i], split[i] = sc.nameWords(ms[i].Name), true
		}
		return words[i]
	}
	// the local entities and their first mentions cut from the chunks of
	// the scratch
	newLocal := func(i int, typ string) *local {
		l := sc.newLocal(d, i, typ)
		out = append(out, l)
		return l
	}
	// full names first, so that surnames before them find them too
	for i, mn := range ms {
		if mn.Kind != KindName || mn.Gaz != nil || mn.Type != Person {
			continue
		}
		w := wordsOf(i)
		if len(w) >= 3 && !givenNames[strings.ToLower(Latin(w[0]))] && givenNames[strings.ToLower(Latin(w[1]))] {
			w = w[1:] // "Brexit Secretary David Davis" read as one name
		}
		if len(w) < 2 {
			continue
		}
		first, last := w[0], w[len(w)-1]
		ff, lf := forms.get(first), forms.get(last) // first is never ""
		var hit *local
		for _, p := range people {
			if sameForms(p.lastF, lf) && firstCompatibleForms(p.firstF, ff) {
				hit = p
				break
			}
		}
		if hit == nil {
			hit = newLocal(i, Person)
			hit.first, hit.last, hit.full = first, last, true
			hit.firstF, hit.lastF = ff, lf
			// the merger's fullName: the first mention is a name of
			// two words or more
			hit.written = mn.Name
			people = append(people, hit)
		} else {
			if first := ms[hit.mentions[0]].Name; first != mn.Name && len(hit.why) < maxEvidence {
				hit.why = append(hit.why, fmt.Sprintf("%q ~ %q: one person in one article", mn.Name, first))
			}
			hit.mentions = append(hit.mentions, i)
		}
		if hit.country == "" {
			hit.country = mn.Country
		}
	}
	for i, mn := range ms {
		switch {
		case mn.Kind == KindRole:
			if p, role := holder(people, ms, mn); p != nil {
				p.mentions = append(p.mentions, i)
				p.why = append(p.why, fmt.Sprintf("%q stands for the %s in the same article", mn.Name, role))
				continue
			}
			l := newLocal(i, Person)
			l.roleNoun, l.country = true, mn.Country
		case mn.Kind == KindHandle:
			if p := handleOwner(people, mn.Name); p != nil {
				p.mentions = append(p.mentions, i)
				p.why = append(p.why, fmt.Sprintf("handle %s contains the surname %s", mn.Name, p.last))
				continue
			}
			l := newLocal(i, "")
			l.last = mn.Name
		case mn.Gaz != nil:
			if l := byGaz[mn.Gaz.ID]; l != nil {
				l.mentions = append(l.mentions, i)
				continue
			}
			l := newLocal(i, mn.Gaz.Type)
			l.gaz = mn.Gaz.ID
			byGaz[mn.Gaz.ID] = l
		case mn.Type == Person && len(wordsOf(i)) >= 2:
			// placed above
		default:
			w := wordsOf(i)
			if len(w) == 0 {
				continue
			}
			if len(w) == 1 && (mn.Type == Person || mn.Type == "" || mn.Type == Location) {
				if p := surnameOwner(people, ms, w[0], mn.Start, forms, honorific(mn.Role), wordsOf); p != nil {
					p.mentions = append(p.mentions, i)
					if p.country == "" {
						p.country = mn.Country
					}
					continue
				}
			}
			nf := sc.forms.get(mn.Name)
			keys := nf.nameKeys()
			var hit *local
			for _, k := range keys {
				if hit = byKey[k]; hit != nil {
					break
				}
			}
			if hit != nil {
				hit.mentions = append(hit.mentions, i)
				if hit.typ == "" || hit.typ == Other {
					hit.typ = mn.Type
				}
				continue
			}
			if mn.Weak {
				continue // named nobody in this article: try the others below
			}
			l := newLocal(i, mn.Type)
			l.last, l.keys, l.full, l.nameF = w[len(w)-1], keys, len(w) > 1, nf
			if l.last == nf.name {
				l.lastF = nf // the merger's lastFacts, at hand
			}
			l.country = mn.Country
			if len(w) > 1 && l.typ == "" {
				l.typ = Other
			}
			for _, k := range keys {
				byKey[k] = l
			}
		}
	}
	// weak words that named no one here may name a person of another article
	weak := sc.weak
	// the mentions a local entity has so far; weak mentions join only
	// entities of their own below, after the test
	owned := sc.owned
	for _, l := range out {
		for _, k := range l.mentions {
			owned[k] = true
		}
	}
	for i, mn := range ms {
		if !mn.Weak || owned[i] {
			continue
		}
		if l := weak[mn.Name]; l != nil {
			l.mentions = append(l.mentions, i)
			continue
		}
		l := newLocal(i, "")
		l.last, l.weak = mn.Name, true
		// the merger's lastFacts: detection looked the word up, its
		// facts are in the article's table
		l.lastF = sc.forms.get(mn.Name)
		weak[mn.Name] = l
	}
	linkAcronyms(ms, out)
	return out
}

// linkAcronyms merges an acronym in brackets right after a name with that
// name: "UK Independence Party (UKIP)".
func linkAcronyms(ms []Mention, locals []*local) {
	owner := make([]*local, len(ms))
	for _, l := range locals {
		for _, i := range l.mentions {
			owner[i] = l
		}
	}
	for i := 1; i < len(ms); i++ {
		a, b := ms[i-1], ms[i]
		if b.Start-a.End != 2 || !isAcronym(b.Name) || owner[i] == nil || owner[i-1] == nil || owner[i] == owner[i-1] {
			continue
		}
		long, short := owner[i-1], owner[i]
		if short.gaz != "" || long.gaz != "" || long.typ == Person || len(short.mentions) == 0 || !abbreviates(b.Name, a.Name) {
			continue
		}
		long.mentions = append(long.mentions, short.mentions...)
		long.why = append(long.why, fmt.Sprintf("%s is written in brackets after %q", b.Name, a.Name))
		short.mentions = nil
		short.written = "" // no mention to take it from any more
	}
}

// abbreviates tells whether an acronym can stand for a name: same first
// letter, and its letters in the name's letters in order ("UKIP", "UK
// Independence Party").
func abbreviates(acronym, name string) bool {
	a, n := strings.ReplaceAll(Latin(acronym), " ", ""), strings.ReplaceAll(Latin(name), " ", "")
	if a == "" || n == "" || a[0] != n[0] {
		return false
	}
	i := 0
	for j := 0; j < len(n) && i < len(a); j++ {
		if n[j] == a[i] {
			i++
		}
	}
	return i == len(a)
}

func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2
}

// nameWordsOf is nameWords, not remembered.
func nameWordsOf(name string) []string {
	var out []string
	for _, w := range text.Words(name) {
		s := w.Text
		for _, suf := range []string{"'s", "’s"} {
			s = strings.TrimSuffix(s, suf)
		}
		if s != "" && !connectors[strings.ToLower(s)] {
			out = append(out, s)
		}
	}
	return out
}

// twoNameWords tells whether a name has two name words or more,
// len(nameWordsOf(name)) >= 2, without making the list: a name written
// once among an entity's variants needs no facts of its own.
func twoNameWords(name string) bool {
	var spans [8]text.Span
	var low [32]byte
	n := 0
	for _, w := range text.AppendWords(spans[:0], name) {
		s := w.Text
		for _, suf := range []string{"'s", "’s"} {
			s = strings.TrimSuffix(s, suf)
		}
		if s == "" || connectors[string(text.AppendLower(low[:0], s))] {
			continue
		}
		if n++; n == 2 {
			return true
		}
	}
	return false
}

// surnameOwner finds the person a single word names in an article: the
// person whose surname (or, failing that, first name: "Xi") it is. With
// several, the one named last before the word wins.
func surnameOwner(people []*local, ms []Mention, w string, at int, forms *wordForms, polite bool, wordsOf func(int) []string) *local {
	wf := forms.get(w)
	for pass := 0; pass < 3; pass++ {
		if pass == 2 && !polite {
			break
		}
		var best *local
		bestAt := -1
		for _, p := range people {
			switch pass {
			case 0:
				if !sameForms(p.lastF, wf) {
					continue
				}
			case 1:
				if !sameForms(p.firstF, wf) {
					continue
				}
			default:
				// after Mr./Ms./Dr., a word inside a name of three words
				// or more: the first of two surnames ("Ms. Acosta" for
				// "Melba Acosta Febo")
				if !middleName(p, w, forms, wordsOf) {
					continue
				}
			}
			pos := -1
			for _, i := range p.mentions {
				if ms[i].Start < at && ms[i].Start > pos {
					pos = ms[i].Start
				}
			}
			if best == nil || pos > bestAt {
				best, bestAt = p, pos
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// honorific tells whether a role is a courtesy title that stands before a
// surname: Mr., Mrs., Ms., Miss, Dr.
func honorific(role string) bool {
	r := strings.TrimSuffix(role, ".")
	if len(r) > 12 {
		return false // its lower case has more than four bytes
	}
	var buf [48]byte
	return honorifics[string(text.AppendLower(buf[:0], r))]
}

var honorifics = wordSet(`mr mrs ms miss dr mx`)

// middleName tells whether w is a middle word (no initial) of one of the
// full names of p.
// wordsOf gives nameWords of the article's mentions.
func middleName(p *local, w string, forms *wordForms, wordsOf func(int) []string) bool {
	for _, i := range p.mentions {
		ws := wordsOf(i)
		for k := 1; k < len(ws)-1; k++ {
			if !isInitial(ws[k]) && forms.same(ws[k], w) {
				return true
			}
		}
	}
	return false
}

// holder finds the person of an article who holds the role a role noun
// names: same country and a compatible office. With several, the one
// mentioned most.
func holder(people []*local, ms []Mention, rn Mention) (*local, string) {
	var best *local
	var bestRole string
	for _, p := range people {
		if p.country == "" || p.country != rn.Country {
			continue
		}
		role := ""
		for _, i := range p.mentions {
			if officeCompatible(ms[i].Role, rn.Role) {
				role = ms[i].Role
			}
		}
		if role != "" && (best == nil || len(p.mentions) > len(best.mentions)) {
			best, bestRole = p, role
		}
	}
	return best, bestRole
}

// headOffices are offices a "leader" may hold.
var headOffices = []string{"president", "prime minister", "premier", "chancellor", "leader", "king", "queen", "head"}

// officeCompatible tells whether a title and a role noun can name the
// same office: "Ukrainian President" and "the Ukrainian leader", "Russian
// President" and "the Russian president".
func officeCompatible(title, roleNoun string) bool {
	if title == "" {
		return false
	}
	// both in lower case, in buffers on the stack when short
	var tb, rb [64]byte
	t, r := text.AppendLower(tb[:0], title), text.AppendLower(rb[:0], roleNoun)
	if bytes.Contains(t, []byte("former")) || bytes.Contains(t, []byte("deputy")) || bytes.Contains(t, []byte("vice")) {
		return false
	}
	office := r
	if i := bytes.IndexByte(r, ' '); i >= 0 {
		office = r[i+1:]
	}
	if bytes.Contains(t, office) {
		return true
	}
	switch string(office) {
	case "leader", "chief", "head of state", "strongman":
		for _, h := range headOffices {
			if bytes.Contains(t, []byte(h)) {
				return true
			}
		}
	}
	return false
}

// handleOwner finds the person whose surname a handle contains:
// @ZelenskyyUa → Volodymyr Zelenskyy.
func handleOwner(people []*local, handle string) *local {
	var best *local
	for _, p := range people {
		if handleHasName(handle, p.last) && (best == nil || len(p.mentions) > len(best.mentions)) {
			best = p
		}
	}
	return best
}

func handleHasName(handle, surname string) bool {
	h := collapse(digraphs.Replace(Latin(strings.TrimPrefix(handle, "@"))))
	s := Fold(surname)
	return len(s) >= 4 && strings.Contains(strings.ReplaceAll(h, " ", ""), s)
}

// Find returns the entities one of whose names is the given name in any
// spelling, transliteration or case form: exact variants first, then
// entities whose full name or surname matches.
func Find(entities []storyline.Entity, name string) []storyline.Entity {
	var exact, close []storyline.Entity
	keys := nameKeys(name)
	words := nameWords(name)
	for _, e := range entities {
		hit, near := false, false
		for _, v := range append([]string{e.Name, e.ID}, e.Variants...) {
			if strings.EqualFold(v, name) {
				hit = true
				break
			}
			if overlap(nameKeys(v), keys) {
				near = true
			}
			vw := nameWords(v)
			if !near && len(words) == len(vw) && len(words) > 0 {
				same := true
				for i := range vw {
					same = same && SameWord(vw[i], words[i])
				}
				near = same
			}
			if !near && len(words) == 1 && len(vw) > 1 && e.Type == Person {
				near = SameWord(vw[len(vw)-1], words[0])
			}
		}
		switch {
		case hit:
			exact = append(exact, e)
		case near:
			close = append(close, e)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return close
}
