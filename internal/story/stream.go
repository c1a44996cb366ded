package story

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/dedup"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// Stream places articles in events and stories as they come, batch after
// batch: each batch is put in publish order (see streamOrder) and every
// article joins an event already made or opens one; nothing placed before
// is revised. A near-duplicate of an earlier article joins its original's
// event and is marked as its copy. A Stream can be saved between batches
// and loaded again, so that an archive is clustered once, as it grows,
// and never again: as parts, of which each batch saves those it changed
// (Changes, Load; see stream_state.go), or whole (MarshalBinary).
type Stream struct {
	c    *Clusterer
	dups *dedup.Index
	// refs holds, for the articles still in the duplicate index's window,
	// their event and the original they copy ("" for an original).
	refs map[string]ref
	// names maps an entity's names (see nameKeys) to the entity ID the
	// stream first knew it by, so that a person keeps one feature across
	// batches whose entity resolution named them otherwise.
	names    map[string]string
	eventIDs []string // per event of the clusterer
	storyIDs []string // per story of the clusterer
	idText   blocks   // (the IDs and names kept here are cut from it)
	// newNames are the keys added to names since the last Changes;
	// saved is what the store holds, as far as the stream knows (nil:
	// nothing, see stream_state.go)
	newNames []string
	saved    *saved
	// refsChanged lists the keys of refs set or deleted since the last
	// Changes, once the stream is saved (the clusterer tracks)
	refsChanged keySet
}

type ref struct {
	Event int
	Root  string
}

// StreamWindow is how many of the latest articles a saved Stream checks a
// new one against for near-duplicates: copies come within days of their
// original, and the window bounds the state saved between batches.
const StreamWindow = 20_000

// NewStream returns an empty stream whose duplicate index keeps the latest
// window articles (StreamWindow when window is 0).
func NewStream(opt Options, window int) *Stream {
	if window <= 0 {
		window = StreamWindow
	}
	c := New(opt)
	c.forget = true
	return &Stream{c: c, dups: dedup.NewIndexWindow(window), refs: map[string]ref{}, names: map[string]string{}}
}

// AddNames adds the names an article's linked mentions make, one per
// mention: people, organisations and places to d.Entities, names of no
// known kind to d.Names, each as ids[entity] (the entity's own ID when ids
// is nil).
func (d *Doc) AddNames(mentions []entity.Linked, entities []storyline.Entity, ids []string) {
	d.addNames(mentions, entities, ids, nil)
}

// addNames is AddNames, with the entities' lead keys (leadKeys) when
// leads is not nil.
func (d *Doc) addNames(mentions []entity.Linked, entities []storyline.Entity, ids, leads []string) {
	for _, m := range mentions {
		if m.Entity < 0 || m.Entity >= len(entities) {
			continue
		}
		id := entities[m.Entity].ID
		if ids != nil {
			id = ids[m.Entity]
		}
		if entities[m.Entity].Type == entity.Other {
			d.Names = append(d.Names, id)
		} else {
			d.Entities = append(d.Entities, id)
			var k string
			if leads != nil {
				k = leads[m.Entity]
			} else {
				k = leadKey(entities[m.Entity].Name)
			}
			if k == "" {
				k = id
			}
			d.Leads = append(d.Leads, k)
		}
	}
}

// leadKeys returns the lead key (leadKey) of each entity of a known kind
// ("" for the others), on every core: once per entity, not per mention.
func leadKeys(entities []storyline.Entity) []string {
	out := make([]string, len(entities))
	forEach(len(entities), func(i int) {
		if entities[i].Type != entity.Other {
			out[i] = leadKey(entities[i].Name)
		}
	})
	return out
}

// leadKey is the key an entity is judged a protagonist by: the folded
// last word of its name, in Latin letters. A batch that names a person by
// surname alone resolves them to an entity of another ID than one that
// gives the full name; the surname holds in both.
func leadKey(name string) string {
	w := strings.Fields(entity.Latin(strings.ReplaceAll(name, ".", "")))
	if len(w) == 0 {
		return ""
	}
	return entity.Fold(w[len(w)-1])
}

// maxNames bounds the names a stream remembers; past it, new names are
// not remembered (their entities keep the IDs their batch gave them).
const maxNames = 2_000_000

// entityFeatures returns, per entity of a batch, the ID clustering knows
// it by: the ID of an entity of an earlier batch that went by one of its
// names, else its own. Two entities the batch kept apart never share one.
func (s *Stream) entityFeatures(res entity.Result) []string {
	out := make([]string, len(res.Entities))
	taken := map[string]bool{}
	// the entities' keys depend on the entities alone: they are made on
	// every core, keyChunk entities at a time, then looked up in order
	all, ends := make([][]string, len(res.Entities)), make([]int, len(res.Entities))
	forEach((len(res.Entities)+keyChunk-1)/keyChunk, func(k int) {
		lo, hi := k*keyChunk, min(len(res.Entities), (k+1)*keyChunk)
		var buf []string
		for i := lo; i < hi; i++ {
			buf = appendNameKeys(buf, res.Entities[i])
			ends[i] = len(buf)
		}
		for i, start := lo, 0; i < hi; i++ {
			all[i], start = buf[start:ends[i]:ends[i]], ends[i]
		}
	})
	var known []bool
	for i, e := range res.Entities {
		keys := all[i]
		id := e.ID
		// each key is looked up once; those not known are looked up
		// again below, as a key may come twice (an ID that is also a
		// name's key)
		known = known[:0]
		chosen := false
		for _, k := range keys {
			f, ok := s.names[k]
			known = append(known, ok)
			if ok && !chosen && !taken[f] {
				id, chosen = f, true
			}
		}
		taken[id] = true
		out[i] = id
		for j, k := range keys {
			if known[j] || len(s.names) >= maxNames {
				continue
			}
			if _, ok := s.names[k]; !ok {
				// kept as long as the stream: cut from its blocks
				k = s.idText.cat(k, "")
				s.names[k] = s.idText.cat(id, "")
				s.newNames = append(s.newNames, k)
			}
		}
	}
	return out
}

// keyChunk is how many entities' keys entityFeatures makes at a time on
// one core, in one slice.
const keyChunk = 64

// appendNameKeys appends to keys the keys an entity is known by across
// batches: its ID, and its type with the key of each name of two words or
// more (a surname alone may name several people), each once.
func appendNameKeys(keys []string, e storyline.Entity) []string {
	keys = append(keys, e.ID)
	start := len(keys)
	for i := -1; i < len(e.Variants); i++ {
		v := e.Name
		if i >= 0 {
			v = e.Variants[i]
		}
		if !twoWords(v) {
			continue
		}
		nk := entity.NameKey(v)
		if nk == "" {
			continue
		}
		if k := e.Type + "|" + nk; !slices.Contains(keys[start:], k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// twoWords tells whether s has two words or more, as strings.Fields splits
// them.
func twoWords(s string) bool {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			if n++; n == 2 {
				return true
			}
			in = true
		}
	}
	return false
}

// Add places a batch of articles, with the entities res resolved for the
// same articles, and returns where each went, in the order they were
// placed (publish order; undated articles last).
func (s *Stream) Add(articles []storyline.Article, res entity.Result) []storyline.Assignment {
	out := make([]storyline.Assignment, 0, len(articles))
	events := make([]int, 0, len(articles))
	features := s.entityFeatures(res)
	leads := leadKeys(res.Entities)
	sigs := signAll(articles)
	order := streamOrder(articles)
	// the articles' documents, made and tokenised on every core a chunk
	// ahead of their placing (they depend on the articles alone)
	ready := make(chan []Doc, 1)
	go func() {
		for k := 0; k < len(order); k += tokeniseChunk {
			next := order[k:min(len(order), k+tokeniseChunk)]
			docs := make([]Doc, len(next))
			prepare(docs, next, articles, res, features, leads)
			ready <- docs
		}
	}()
	var docs []Doc
	s.c.beginBatch()
	for k, i := range order {
		if k%tokeniseChunk == 0 {
			docs = <-ready
		}
		d := docs[k%tokeniseChunk]
		docs[k%tokeniseChunk] = Doc{} // placed: its terms are not kept
		a := articles[i]
		as := storyline.Assignment{Article: a.ID}
		var event int
		var m dedup.Match
		var dup bool
		if sigs[i].ok {
			m, dup = s.dups.AddSigned(a.ID, &sigs[i].sig, sigs[i].size)
		}
		orig, known := s.refs[m.ID]
		if dup && m.ID != a.ID && known {
			// a copy joins its original's event, whatever its boilerplate
			as.CopyOf = m.ID
			if orig.Root != "" {
				as.CopyOf = orig.Root
			}
			event = orig.Event
			s.c.join(d, event)
		} else {
			var st int
			event, st = s.c.Add(d)
			if event == len(s.eventIDs) {
				s.eventIDs = append(s.eventIDs, s.idText.cat("ev_", text.Hash("event", a.ID)[:12]))
			}
			if st == len(s.storyIDs) {
				s.storyIDs = append(s.storyIDs, s.idText.cat("story_", text.Hash("story", a.ID)[:12]))
			}
		}
		as.Event = s.eventIDs[event]
		s.refs[a.ID] = ref{Event: event, Root: as.CopyOf}
		s.refsChanged.add(s.c.track, a.ID)
		out = append(out, as)
		events = append(events, event)
	}
	s.c.endBatch()
	for _, e := range s.c.batch.opened {
		// a story a split opened is named after the event it opened with
		// and its place among the stories: an event can open a split
		// again after its part merged back
		s.storyIDs = append(s.storyIDs, s.idText.cat("story_", text.Hash("split", s.eventIDs[e]+"/"+strconv.Itoa(len(s.storyIDs)))[:12]))
	}
	s.c.batch = batchState{}
	// stories may have merged while the batch was placed
	for k, e := range events {
		out[k].Story = s.storyIDs[s.c.root(s.c.storyOf[e])]
	}
	if len(s.refs) > 2*s.dups.Len()+1024 {
		keep := make(map[string]ref, s.dups.Len())
		for _, id := range s.dups.IDs() {
			if r, ok := s.refs[id]; ok {
				keep[id] = r
			}
		}
		if s.c.track {
			for id := range s.refs {
				if _, ok := keep[id]; !ok {
					s.refsChanged.add(true, id)
				}
			}
		}
		s.refs = keep
	}
	return out
}

// prepare makes the documents of articles[order[k]] into docs[k], their
// terms tokenised (see tokeniseAll), on every core.
func prepare(docs []Doc, order []int, articles []storyline.Article, res entity.Result, features, leads []string) {
	forEach(len(order), func(k int) {
		i := order[k]
		a := articles[i]
		d := Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
		if d.Time.IsZero() {
			// an undated article is placed by the latest full date it
			// mentions, when it mentions one (an embedded post's date);
			// the hint places it in time, it is no publish date
			d.Time, d.hinted = hintTime(a.Text), true
		}
		if i < len(res.Mentions) {
			d.addNames(res.Mentions[i], res.Entities, features, leads)
		}
		docs[k] = d
	})
	tokeniseAll(docs)
}

// signed is an article's text signed for the duplicate index.
type signed struct {
	sig  dedup.Signature
	size int
	ok   bool
}

// signAll signs the articles' texts for the duplicate index on every
// core: the costly part of indexing them, which the stream then does in
// order.
func signAll(articles []storyline.Article) []signed {
	out := make([]signed, len(articles))
	forEach(len(articles), func(i int) {
		x := &out[i]
		x.sig, x.size, x.ok = dedup.SignText(articles[i].Text)
	})
	return out
}

// Merges returns the stories merged into older ones since the last call:
// every article placed in From before belongs to To now.
func (s *Stream) Merges() []storyline.StoryMerge {
	var out []storyline.StoryMerge
	seen := map[int]bool{}
	for _, g := range s.c.merged {
		if !seen[g] {
			seen[g] = true
			out = append(out, storyline.StoryMerge{From: s.storyIDs[g], To: s.storyIDs[s.c.root(g)]})
		}
	}
	s.c.merged = nil
	return out
}

// EventMove records that an event placed in an earlier batch moved to
// another story (Options.SplitStories): every article of Event belongs to
// Story now.
type EventMove struct{ Event, Story string }

// Moves returns the events of earlier batches moved to another story since
// the last call, each once, with the story it is in now. A store moves
// their articles after following Merges.
func (s *Stream) Moves() []EventMove {
	var out []EventMove
	seen := map[int]bool{}
	for _, e := range s.c.moved {
		if !seen[e] {
			seen[e] = true
			out = append(out, EventMove{Event: s.eventIDs[e], Story: s.storyIDs[s.c.root(s.c.storyOf[e])]})
		}
	}
	s.c.moved = nil
	return out
}

// Timelines groups assignments into stories with their timelines, largest
// first, with the articles they name (assignments of articles not given
// are left out). Events keep the order they were opened in, articles the
// order they were placed in.
func Timelines(placed []storyline.Assignment, articles []storyline.Article) []Timeline {
	byID := make(map[string]storyline.Article, len(articles))
	for _, a := range articles {
		byID[a.ID] = a
	}
	type evAcc struct {
		id  string
		ids []string
	}
	storyIdx := map[string]int{}
	var storyIDs []string
	var events [][]*evAcc
	eventAcc := map[string]*evAcc{}
	copyOf := map[string]string{}
	for _, as := range placed {
		if _, ok := byID[as.Article]; !ok {
			continue
		}
		si, ok := storyIdx[as.Story]
		if !ok {
			si = len(storyIDs)
			storyIdx[as.Story] = si
			storyIDs = append(storyIDs, as.Story)
			events = append(events, nil)
		}
		ev := eventAcc[as.Event]
		if ev == nil {
			ev = &evAcc{id: as.Event}
			eventAcc[as.Event] = ev
			events[si] = append(events[si], ev)
		}
		ev.ids = append(ev.ids, as.Article)
		if as.CopyOf != "" {
			copyOf[as.Article] = as.CopyOf
		}
	}
	out := make([]Timeline, 0, len(storyIDs))
	for si, sid := range storyIDs {
		t := Timeline{CopyOf: map[string]string{}}
		t.ID = sid
		t.Events = []storyline.Event{}
		t.Articles = []string{}
		outlets := map[string]bool{}
		var largest []string
		for _, acc := range events[si] {
			ids := acc.ids
			ev := storyline.Event{ID: acc.id, Articles: ids}
			ev.Title = titleOf(ids, byID)
			ev.FirstPublished = firstPublished(ids, byID)
			t.Events = append(t.Events, ev)
			t.Articles = append(t.Articles, ids...)
			if len(ids) > len(largest) {
				largest = ids
			}
			for _, id := range ids {
				a := byID[id]
				if a.Outlet != "" && !outlets[a.Outlet] {
					outlets[a.Outlet] = true
					t.Outlets = append(t.Outlets, a.Outlet)
				}
				if !a.Published.IsZero() {
					if t.Span[0].IsZero() || a.Published.Before(t.Span[0]) {
						t.Span[0] = a.Published
					}
					if a.Published.After(t.Span[1]) {
						t.Span[1] = a.Published
					}
				}
				if o, ok := copyOf[id]; ok {
					t.CopyOf[id] = o
				}
			}
		}
		if title := titleOf(largest, byID); title != "" {
			t.Title = &title
		}
		t.FirstPublished = firstPublished(t.Articles, byID)
		out = append(out, t)
	}
	sortLargestFirst(out)
	return out
}

// streamVersion is the version of the saved state; a state of another
// version is refused rather than misread.
const streamVersion = 2

// clusterState and streamState are what a saved Stream holds.
type clusterState struct {
	Sum            map[string]float64
	Oldest, Newest time.Time
	Docs           int
	Lead           map[string]int // an event's protagonists (cluster.lead); nil in a state saved before them
}

type streamState struct {
	Version    int
	Opt        Options
	Latest     time.Time
	DF         map[string]int
	N          int
	Events     []clusterState
	Stories    []clusterState
	EventIndex map[string][]int
	StoryIndex map[string][]int
	StoryOf    []int
	Parent     []int
	Merged     []int
	// SplitFrom lists, in pairs by ascending story, each story a split
	// opened and the story it left (absent from states saved before)
	SplitFrom []int
	// Published holds one time, the newest publish time placed, hints
	// apart (Clusterer.published); absent from states saved before,
	// which judge lateness from Latest
	Published []time.Time
	EventIDs  []string
	StoryIDs  []string
	Refs      map[string]ref
	Names     map[string]string
	Dups      []byte
}

// MarshalBinary saves the stream's state.
func (s *Stream) MarshalBinary() ([]byte, error) {
	c := s.c
	st := streamState{Version: streamVersion, Opt: c.opt, Latest: c.latest, DF: c.dfMap(), N: c.n,
		EventIndex: indexMap(c.names, c.eventIndex), StoryIndex: indexMap(c.names, c.storyIndex), StoryOf: c.storyOf, Parent: c.parent, Merged: c.merged,
		SplitFrom: c.splitPairs(), Published: []time.Time{c.published}, EventIDs: s.eventIDs, StoryIDs: s.storyIDs, Refs: s.refs, Names: s.names}
	for _, cl := range c.events {
		st.Events = append(st.Events, stateOf(cl, c.names))
	}
	for _, cl := range c.story {
		st.Stories = append(st.Stories, stateOf(cl, c.names))
	}
	var err error
	if st.Dups, err = s.dups.MarshalBinary(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return nil, fmt.Errorf("story: save stream: %w", err)
	}
	return buf.Bytes(), nil
}

// dfMap returns the document frequencies by term, as a state holds them.
func (c *Clusterer) dfMap() map[string]int {
	m := map[string]int{}
	for id, n := range c.df {
		if n != 0 {
			m[c.names[id]] = int(n)
		}
	}
	return m
}

// indexMap returns an index by term, as a state holds it.
func indexMap(names []string, index [][]int32) map[string][]int {
	m := map[string][]int{}
	for id, ids := range index {
		if len(ids) > 0 {
			m[names[id]] = ints(ids)
		}
	}
	return m
}

// ints returns the int32s as ints.
func ints(xs []int32) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x)
	}
	return out
}

// UnmarshalBinary loads a stream saved by MarshalBinary; a damaged or
// foreign state is refused with an error.
func (s *Stream) UnmarshalBinary(b []byte) error {
	var st streamState
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&st); err != nil {
		return fmt.Errorf("story: load stream: %w", err)
	}
	if st.Version != streamVersion {
		return fmt.Errorf("story: load stream: state version %d, want %d", st.Version, streamVersion)
	}
	if err := st.check(); err != nil {
		return fmt.Errorf("story: load stream: %w", err)
	}
	dups := &dedup.Index{}
	if err := dups.UnmarshalBinary(st.Dups); err != nil {
		return fmt.Errorf("story: load stream: %w", err)
	}
	s.fromState(st, dups)
	return nil
}

// stateOf is what is saved of a cluster, its terms named by names;
// loadCluster loads it. (Every field is saved by MarshalBinary's gob and
// by putCluster.)
func stateOf(cl *cluster, names []string) clusterState {
	x := clusterState{Oldest: cl.oldest, Newest: cl.newest, Docs: cl.docs}
	if cl.body == nil {
		return x
	}
	x.Sum = make(vector, cl.size())
	for _, parts := range [2][]term{cl.terms.words, cl.terms.names} {
		for _, t := range parts {
			x.Sum[names[t.id]] = t.w
		}
	}
	if len(cl.lead) > 0 {
		x.Lead = make(map[string]int, len(cl.lead))
		for _, l := range cl.lead {
			x.Lead[l.key] = l.n
		}
	}
	return x
}

// loadCluster makes the cluster a state holds, its terms interned.
func (c *Clusterer) loadCluster(x clusterState) *cluster {
	cl := &cluster{oldest: x.Oldest, newest: x.Newest, docs: x.Docs}
	if x.Sum == nil {
		return cl
	}
	cl.body = &body{}
	t := &cl.terms
	for k, w := range x.Sum {
		if isEntity(k) {
			t.names = append(t.names, term{c.intern(k), w})
		} else {
			t.words = append(t.words, term{c.intern(k), w})
		}
	}
	t.sort()
	for k, n := range x.Lead {
		cl.lead = append(cl.lead, leadCount{k, n})
	}
	slices.SortFunc(cl.lead, func(a, b leadCount) int { return strings.Compare(a.key, b.key) })
	return cl
}

// fromState makes s the stream a checked state holds. Its terms are
// interned in the order of their names, so that the same state always
// gives the same term IDs.
func (s *Stream) fromState(st streamState, dups *dedup.Index) {
	c := New(st.Opt)
	c.forget = true
	c.latest, c.n, c.storyOf, c.parent, c.merged = st.Latest, st.N, st.StoryOf, st.Parent, st.Merged
	c.published = st.Latest
	if len(st.Published) == 1 {
		c.published = st.Published[0]
	}
	for i := 0; i+1 < len(st.SplitFrom); i += 2 {
		// (by ascending story: see check)
		c.splitFrom = append(c.splitFrom, splitPair{st.SplitFrom[i], st.SplitFrom[i+1]})
	}
	terms := map[string]struct{}{}
	for k := range st.DF {
		terms[k] = struct{}{}
	}
	for _, m := range []map[string][]int{st.EventIndex, st.StoryIndex} {
		for k := range m {
			terms[k] = struct{}{}
		}
	}
	for _, cs := range [2][]clusterState{st.Events, st.Stories} {
		for _, x := range cs {
			for k := range x.Sum {
				terms[k] = struct{}{}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(terms)) {
		c.intern(k)
	}
	for k, n := range st.DF {
		c.df[c.intern(k)] = int32(n)
	}
	for k, ids := range st.EventIndex {
		c.eventIndex[c.intern(k)] = int32s(ids)
	}
	for k, ids := range st.StoryIndex {
		c.storyIndex[c.intern(k)] = int32s(ids)
	}
	load := func(cs []clusterState) ([]*cluster, flags, []int) {
		out, inReach := make([]*cluster, len(cs)), []int(nil)
		var live flags
		for i, x := range cs {
			out[i] = c.loadCluster(x)
			live.push(out[i].live())
			if out[i].live() {
				inReach = append(inReach, i)
			}
		}
		return out, live, inReach
	}
	c.events, c.eventLive, c.liveEvents = load(st.Events)
	c.story, c.storyLive, c.liveStories = load(st.Stories)
	refs := st.Refs
	if refs == nil {
		refs = map[string]ref{}
	}
	names := st.Names
	if names == nil {
		names = map[string]string{}
	}
	*s = Stream{c: c, dups: dups, refs: refs, names: names, eventIDs: st.EventIDs, storyIDs: st.StoryIDs}
}

// int32s returns the ints as int32s (checked to fit, see check).
func int32s(xs []int) []int32 {
	if len(xs) == 0 {
		return nil
	}
	out := make([]int32, len(xs))
	for i, x := range xs {
		out[i] = int32(x)
	}
	return out
}

// check tells whether a loaded state holds together, so that no index in
// it can point outside what it holds.
func (st *streamState) check() error {
	ne, ns := len(st.Events), len(st.Stories)
	if ne > math.MaxInt32 || ns > math.MaxInt32 {
		return errors.New("inconsistent state: too many clusters")
	}
	for _, n := range st.DF {
		if n < math.MinInt32 || n > math.MaxInt32 {
			return errors.New("inconsistent state: a document frequency out of range")
		}
	}
	if len(st.StoryOf) != ne || len(st.EventIDs) != ne || len(st.StoryIDs) != ns || st.N < 0 {
		return errors.New("inconsistent state: counts differ")
	}
	if len(st.Parent) != ns {
		return errors.New("inconsistent state: counts differ")
	}
	for _, x := range st.StoryOf {
		if x < 0 || x >= ns {
			return errors.New("inconsistent state: an event in no story")
		}
	}
	for i, x := range st.Parent {
		// a story merges into an older one, so parents point backwards
		// and every chain ends
		if x < 0 || x > i {
			return errors.New("inconsistent state: a story merged forwards")
		}
	}
	for _, x := range st.Merged {
		if x < 0 || x >= ns {
			return errors.New("inconsistent state: a merge out of range")
		}
	}
	if len(st.Published) > 1 {
		return errors.New("inconsistent state: more than one newest publish time")
	}
	if len(st.SplitFrom)%2 != 0 {
		return errors.New("inconsistent state: a split without the story it left")
	}
	for i := 0; i+1 < len(st.SplitFrom); i += 2 {
		// a split opens a story after the one it leaves; the stories
		// come in ascending order, each once
		x, from := st.SplitFrom[i], st.SplitFrom[i+1]
		if from < 0 || x <= from || x >= ns || (i > 0 && x <= st.SplitFrom[i-2]) {
			return errors.New("inconsistent state: a split out of range")
		}
	}
	for _, idx := range []struct {
		m map[string][]int
		n int
	}{{st.EventIndex, ne}, {st.StoryIndex, ns}} {
		for _, ids := range idx.m {
			for _, x := range ids {
				if x < 0 || x >= idx.n {
					return errors.New("inconsistent state: an index entry out of range")
				}
			}
		}
	}
	for _, r := range st.Refs {
		if r.Event < 0 || r.Event >= ne {
			return errors.New("inconsistent state: a reference out of range")
		}
	}
	return nil
}
