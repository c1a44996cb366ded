// Package story clusters articles into events and events into stories, as
// a stream: each article, in time order, joins the most similar event or
// opens a new one, and each new event joins the most similar story or
// opens one. It follows Miranda et al. (2018): TF-IDF vectors of words and
// entities for the title and the body, with document frequencies learnt
// online, cosine similarity to a cluster's centroid, damped by a Gaussian
// of the time between the article and the cluster's oldest or newest
// article. A new event joins a story by the people, organisations and
// places it shares with it (entity IDs hold across languages and
// wording), over a wider time scale. An inverted index from terms to
// clusters keeps the cost per article independent of the archive's size.
//
// The same articles in the same order give the same clusters.
package story

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/storyline-news/storyline/internal/text"
)

// Doc is one article as clustering sees it.
type Doc struct {
	ID    string
	Time  time.Time // publish time; zero when unknown (placed by content alone)
	Title string
	Text  string
	// Entities are the IDs of the entities the article mentions, one per
	// mention: the names that tell one event from another of its kind.
	Entities []string
	// Names are the IDs of the names of no known kind it mentions (neither
	// person, organisation nor place), one per mention: they follow a
	// story, but do not tell one event of a kind from another.
	Names []string
	// Leads are, per entry of Entities, the key by which its entity is
	// judged an event's protagonist (see leadKey): unlike an entity ID, it
	// holds across batches whose entity resolution named the person
	// otherwise. When they are missing, Entities serve.
	Leads []string

	// terms are the document's terms, when tokenised ahead of clustering
	// (see tokeniseAll), named by their place in vocab; the clusterer
	// tokenises it itself otherwise (vocab nil)
	terms []docTerm
	vocab *vocab
	// mentions and prot are the document's mentions per protagonist key
	// and its protagonists (see protagonists), counted ahead with its
	// terms when ahead is set
	mentions []leadCount
	prot     []string
	ahead    bool
	// hinted tells that Time is a hint read in the text (see hintTime),
	// not the publish time
	hinted bool
}

// Options tune clustering; the zero value takes the defaults.
type Options struct {
	EventThreshold float64 // similarity to join an event (default 0.30)
	StoryThreshold float64 // similarity of a new event to join a story, over entities (default 0.08)
	EventDays      float64 // time scale of events, days (default 3)
	StoryDays      float64 // time scale of stories, days (default 30)
	// MergeThreshold is the similarity of two stories' entity centroids
	// from which they merge (default 0.3; negative: never)
	MergeThreshold float64
	// SplitStories makes a Stream end each batch by splitting a story it
	// grew whose events fall in two parts that would not merge (see
	// split.go). It may move events placed in earlier batches, which
	// Stream.Moves reports: a store must follow those moves, as it follows
	// Stream.Merges, before this is set.
	SplitStories bool
}

func (o Options) withDefaults() Options {
	if o.EventThreshold == 0 {
		o.EventThreshold = 0.30
	}
	if o.StoryThreshold == 0 {
		o.StoryThreshold = 0.08
	}
	if o.EventDays == 0 {
		o.EventDays = 3
	}
	if o.StoryDays == 0 {
		o.StoryDays = 30
	}
	if o.MergeThreshold == 0 {
		o.MergeThreshold = 0.3
	}
	return o
}

// Result assigns each document an event and each event a story; indices
// follow the order in which they were opened.
type Result struct {
	EventOf      []int   // per document
	StoryOfEvent []int   // per event
	Events       [][]int // documents per event, in input order
	Stories      [][]int // events per story, in order
}

// StoryOf returns the story of document i.
func (r Result) StoryOf(i int) int { return r.StoryOfEvent[r.EventOf[i]] }

// vector is a sparse TF-IDF vector by term, as a saved state holds a
// centroid (see stateOf).
type vector map[string]float64

// cluster is an event or a story while clustering runs: its span and
// size, and while it is in reach of the stream, its centroid (body). A
// cluster the stream has left behind keeps only the first three, a small
// record, so that memory grows little with the clusters it has made.
type cluster struct {
	oldest, newest time.Time
	docs           int // documents added
	*body              // nil once retired (out of reach, or merged away)
}

// body is what a cluster in reach of the stream holds beyond its record.
type body struct {
	// terms is the centroid: per term, by interned ID, the sum of the
	// weights its documents gave it, with the norms comparisons read
	terms terms
	// lead counts, per protagonist key (Doc.Leads), the documents of an
	// event that name it protagonistMentions times or more (see
	// conflicts), by key; nil for stories
	lead []leadCount
}

// leadCount is a protagonist key of an event and the documents that had it
// as a protagonist.
type leadCount struct {
	key string
	n   int
}

// live tells whether a cluster is in reach: it has a centroid.
func (c *cluster) live() bool { return c.body != nil }

// revive gives a retired cluster an empty centroid again (a document
// joins it), as a cluster whose centroid was dropped regains one.
func (c *cluster) revive() {
	if c.body == nil {
		c.body = &body{}
	}
}

// retireBody drops the cluster's centroid: it is out of reach.
func (c *cluster) retireBody() { c.body = nil }

// size is the number of terms of a live cluster's centroid.
func (c *cluster) size() int { return len(c.terms.words) + len(c.terms.names) }

// maxCentroid bounds the terms a cluster's centroid keeps: the heaviest
// ones, so that a large event costs no more memory than a small one.
const maxCentroid = 400

// addTerms adds a document's words and names (by ascending term ID), the
// terms named by names (term ID to term): the weights of a term the
// centroid holds add up, a new term joins it. The centroid is then pruned
// and its norms made again.
func (c *cluster) addTerms(names []string, t time.Time, words, ents []term) {
	c.docs++
	c.revive()
	c.terms.words = mergeTerms(c.terms.words, words)
	c.terms.names = mergeTerms(c.terms.names, ents)
	c.prune(names)
	c.terms.norms()
	c.span(t)
}

// mergeTerms adds the terms b to a, both by ascending term ID: the
// weights of a term in both add up (a's plus b's).
func mergeTerms(a, b []term) []term {
	if len(b) == 0 {
		return a
	}
	// count the new terms, then merge from the end, in place
	i, j, fresh := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			fresh++
			j++
		default:
			i++
			j++
		}
	}
	fresh += len(b) - j
	i, j = len(a)-1, len(b)-1
	a = slices.Grow(a, fresh)[:len(a)+fresh]
	for k := len(a) - 1; j >= 0; k-- {
		switch {
		case i >= 0 && a[i].id > b[j].id:
			a[k] = a[i]
			i--
		case i >= 0 && a[i].id == b[j].id:
			a[k] = term{a[i].id, a[i].w + b[j].w}
			i--
			j--
		default:
			a[k] = b[j]
			j--
		}
	}
	return a
}

// heavierFirst orders terms by weight, the heaviest first, and equal
// weights by their names (names[id]): the order prune and top keep terms in.
func heavierFirst(names []string) func(a, b term) int {
	return func(a, b term) int {
		switch {
		case a.w > b.w:
			return -1
		case a.w < b.w:
			return 1
		}
		return strings.Compare(names[a.id], names[b.id])
	}
}

// prune keeps the maxCentroid heaviest terms of a centroid grown past
// twice that (ties by name), words and names each still by ID.
func (c *cluster) prune(names []string) {
	t := &c.terms
	n := len(t.words) + len(t.names)
	if n <= 2*maxCentroid {
		return
	}
	all := make([]term, 0, n)
	all = append(append(all, t.words...), t.names...)
	slices.SortFunc(all, heavierFirst(names))
	last := all[maxCentroid-1] // the lightest term kept
	dropped := func(x term) bool {
		return x.w < last.w || x.w == last.w && names[x.id] > names[last.id]
	}
	t.words = slices.DeleteFunc(t.words, dropped)
	t.names = slices.DeleteFunc(t.names, dropped)
}

// span widens the cluster's time span to t, when t is known.
func (c *cluster) span(t time.Time) {
	if t.IsZero() {
		return
	}
	if c.oldest.IsZero() || t.Before(c.oldest) {
		c.oldest = t
	}
	if c.newest.IsZero() || t.After(c.newest) {
		c.newest = t
	}
}

// decay damps a similarity by the time between t and the cluster's span:
// exp(-d²/2σ²), d in days outside [oldest, newest]; 1 when a time is unknown.
func (c *cluster) decay(t time.Time, days float64) float64 {
	if t.IsZero() || c.oldest.IsZero() {
		return 1
	}
	var d time.Duration
	switch {
	case t.Before(c.oldest):
		d = c.oldest.Sub(t)
	case t.After(c.newest):
		d = t.Sub(c.newest)
	default:
		if days*days > 0 {
			return 1 // within the span: math.Exp(-0), x being 0
		}
	}
	x := d.Hours() / 24
	return math.Exp(-x * x / (2 * days * days))
}

// Clusterer clusters a stream of documents; feed it with Add in time
// order. Its zero value is not ready: use New.
//
// Terms are interned (see intern): the document frequencies, the indexes
// and the centroids are kept by term ID, and a term's string is looked
// up once per document, when it is counted.
type Clusterer struct {
	opt    Options
	latest time.Time // the newest publish time seen
	n      int
	events []*cluster
	story  []*cluster
	// eventLive and storyLive tell, per cluster, whether it is in reach
	// (cluster.live), as the candidates' search reads it
	eventLive, storyLive flags
	storyOf              []int // the story each event opened in
	// liveEvents and liveStories list the clusters that may be in reach
	// (see retire), so that a sweep looks at those alone
	liveEvents, liveStories []int
	parent                  []int // per story: the story it was merged into, itself if none
	merged                  []int // stories merged into others since a Stream last asked
	// splitFrom holds, per story a split opened, the story it left (see
	// mergeStories), by ascending story
	splitFrom []splitPair
	// published is the newest publish time seen, hints apart (see
	// Doc.hinted): an article published before it arrives late
	published time.Time
	// forget is set by a Stream, which keeps assignments itself: the
	// clusterer then keeps no Result, so its memory stays bounded.
	forget bool
	// retiredEvents and retiredStories list the clusters retired since
	// a Stream last saved (see Stream.Changes), when track is set
	track                         bool
	retiredEvents, retiredStories []int
	// changed lists, when track is set, the terms of the document
	// frequencies and of the indexes set or deleted since a Stream last
	// saved, so that a save looks at those alone (see Stream.Changes)
	changed changedKeys
	res     Result

	// table interns terms (see intern), their strings cut from block;
	// names names them back by ID. Per term ID: its kind, its document frequency (0: never counted), and the events and
	// stories whose centroids hold it among their heaviest terms (the
	// indexes; the most recently touched last)
	table                  []uint64
	block                  blocks
	names                  []string
	nameKeys               []uint64 // per term ID, its nameKey
	kinds                  []termKind
	df                     []int32
	eventIndex, storyIndex [][]int32

	// scratch of best: the weights of the vector compared, by term ID
	// (zero but while best runs), and the terms shared per cluster ID
	dense   []float64
	shared  []uint8 // (at most maxTerms)
	touched []int32
	cands   []int32
	// candKeys is candidates' scratch; sink takes what is read only to
	// bring it into the cache
	candKeys []uint64
	sink     int32
	// in has, by term ID, the bit of the terms of the vector compared
	// set (zero but while best runs)
	in []uint64
	// scratch of sortTerms
	sortWas []term
	// scratch of Add: the document's terms (count), the tokeniser of the
	// documents not tokenised ahead and their terms, its vectors, their
	// top terms, and its protagonists
	tfs              []termCount
	tk               *tokeniser
	dt               []docTerm
	qe, qs           terms
	topE, topS, topM []int32
	mentions         []leadCount
	prot             []string
	// batch is what a Stream's batch being placed keeps for the split at
	// its end (Options.SplitStories); moved lists the events of earlier
	// batches moved to another story since a Stream last asked
	batch batchState
	moved []int
}

// flags is a set of flags by cluster ID, a bit each: whether a cluster is
// in reach, which the candidates' search reads at random in the posting
// lists of clusters old and new, and which then stays in the caches as the
// archive grows (a []bool, eight times larger, did not).
type flags struct {
	w []uint64
	n int
}

// push appends a flag.
func (f *flags) push(v bool) {
	if f.n%64 == 0 {
		f.w = append(f.w, 0)
	}
	f.n++
	f.set(f.n-1, v)
}

// set sets flag i (< f.n) to v.
func (f *flags) set(i int, v bool) {
	if v {
		f.w[i>>6] |= 1 << (i & 63)
	} else {
		f.w[i>>6] &^= 1 << (i & 63)
	}
}

// has tells flag i (< f.n).
func (f flags) has(i int32) bool { return f.w[uint32(i)>>6]&(1<<(uint32(i)&63)) != 0 }

// termKind is the kind of a term, told by its prefix: a word ("w:"), an
// entity ("e:") or a name of no known kind ("o:").
type termKind uint8

const (
	word termKind = iota
	entityTerm
	otherName
)

// kindOf tells the kind of a term.
func kindOf(k string) termKind {
	switch {
	case strings.HasPrefix(k, "e:"):
		return entityTerm
	case strings.HasPrefix(k, "o:"):
		return otherName
	}
	return word
}

// New returns a clusterer.
func New(opt Options) *Clusterer {
	return &Clusterer{opt: opt.withDefaults()}
}

// Cluster clusters documents given in time order (undated ones where they
// stand) and returns the result.
func Cluster(docs []Doc, opt Options) Result {
	c := New(opt)
	chunk := make([]Doc, 0, min(len(docs), tokeniseChunk))
	for len(docs) > 0 {
		n := min(len(docs), tokeniseChunk)
		chunk = append(chunk[:0], docs[:n]...)
		docs = docs[n:]
		tokeniseAll(chunk)
		for _, d := range chunk {
			c.Add(d)
		}
	}
	return c.Result()
}

// tokeniseChunk is how many documents are tokenised ahead of clustering at
// once: enough to keep every core busy, few enough that their terms take
// little memory.
const tokeniseChunk = 1024

// forEach calls f for every i in [0, n) on every core.
func forEach(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// tokeniseAll tokenises documents on every core (see tokeniser), so
// that clustering them, one after another, need not. The documents one
// core tokenised share a vocabulary (vocab), which the clusterer interns
// once, term by term as it meets them, rather than every document's terms.
func tokeniseAll(docs []Doc) {
	workers := min(runtime.GOMAXPROCS(0), len(docs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			tk, _ := tokenisers.Get().(*tokeniser)
			if tk == nil {
				tk = &tokeniser{}
			}
			tk.begin(false)
			// the documents' terms, protagonist keys and mentions are cut
			// from blocks of arenaTerms, not grown one document at a time
			var arena []docTerm
			var keys []string
			var counts []leadCount
			for {
				i := int(next.Add(1) - 1)
				if i >= len(docs) {
					break
				}
				if cap(arena)-len(arena) < arenaTerms/8 {
					arena = make([]docTerm, 0, arenaTerms)
				}
				d := &docs[i]
				all := tk.tokenise(d, arena)
				d.terms, d.vocab = all[len(arena):len(all):len(all)], tk.v
				arena = all
				ks := d.leadKeys()
				if cap(keys)-len(keys) < len(ks) {
					keys = make([]string, 0, max(arenaTerms/8, len(ks)))
				}
				if cap(counts)-len(counts) < len(ks) {
					counts = make([]leadCount, 0, max(arenaTerms/8, len(ks)))
				}
				m, prot := protagonists(ks, keys[len(keys):], counts[len(counts):])
				d.mentions, d.prot, d.ahead = m[:len(m):len(m)], prot[:len(prot):len(prot)], true
				keys, counts = keys[:len(keys)+len(prot)], counts[:len(counts)+len(m)]
			}
			tk.v.ids = make([]int32, len(tk.v.keys))
			tk.v = nil // the documents keep it
			for _, m := range tk.seen {
				clear(m) // (its keys are strings of the documents)
			}
			tokenisers.Put(tk)
		})
	}
	wg.Wait()
}

// tokenisers keeps the tokenisers of tokeniseAll (their maps) from one call
// to the next.
var tokenisers sync.Pool

// arenaTerms is the size of the blocks tokeniseAll cuts the documents'
// terms from.
const arenaTerms = 1 << 14

// Result returns the clusters so far.
func (c *Clusterer) Result() Result {
	r := c.res
	r.StoryOfEvent = make([]int, len(c.storyOf))
	r.Stories = nil
	number := map[int]int{}
	for e, s := range c.storyOf {
		root := c.root(s)
		n, ok := number[root]
		if !ok {
			n = len(r.Stories)
			number[root] = n
			r.Stories = append(r.Stories, nil)
		}
		r.StoryOfEvent[e] = n
		r.Stories[n] = append(r.Stories[n], e)
	}
	return r
}

// maxTerms bounds the terms of a document used to find candidates.
const maxTerms = 30

// retireEvery is how often (in documents) clusters out of reach of the
// stream's time are retired; retireAfter is how many time scales past its
// newest article a cluster is out of reach (its decay is below 1e-80).
const (
	retireEvery = 4096
	retireAfter = 20
)

// retire frees the centroids of the clusters the stream has left behind,
// so that memory stays bounded by the clusters still in reach.
func (c *Clusterer) retire() {
	if c.latest.IsZero() {
		return
	}
	sweep := func(cs []*cluster, inReach *flags, live []int, retired *[]int, days float64) []int {
		limit := c.latest.Add(-time.Duration(retireAfter*days*24) * time.Hour)
		keep := live[:0]
		for _, i := range live {
			cl := cs[i]
			if cl.live() && !cl.newest.IsZero() && cl.newest.Before(limit) {
				cl.retireBody()
				inReach.set(i, false)
				if c.track {
					*retired = append(*retired, i)
				}
			}
			if cl.live() {
				keep = append(keep, i)
			}
		}
		return keep
	}
	c.liveEvents = sweep(c.events, &c.eventLive, c.liveEvents, &c.retiredEvents, c.opt.EventDays)
	c.liveStories = sweep(c.story, &c.storyLive, c.liveStories, &c.retiredStories, c.opt.StoryDays)
	// an event once retired never comes back, so the entries of the event
	// index that lead only to retired events go: the retired events at the
	// head of a posting list (its oldest), and a term whose every event
	// retired. Only the head: a full list drops its oldest entry as a new
	// one comes, and those would have been the first to go, so the
	// candidates of every later search are the same. (A story can come
	// back: its index is left as it is.)
	for id, ids := range c.eventIndex {
		n := 0
		for n < len(ids) && !c.eventLive.has(ids[n]) {
			n++
		}
		switch {
		case n == 0:
		case n == len(ids):
			c.eventIndex[id] = nil
			c.changed.eventIndex.add(c.track, int32(id))
		default:
			c.eventIndex[id] = slices.Clone(ids[n:])
			c.changed.eventIndex.add(c.track, int32(id))
		}
	}
}

// Forget makes the clusterer keep no Result, as a Stream's does: Add's
// return values are then the only record of where documents went, and
// memory grows only by a small record per cluster made.
func (c *Clusterer) Forget() { c.forget, c.res = true, Result{} }

// Counts returns the number of events opened and of stories, merged ones
// counted once.
func (c *Clusterer) Counts() (events, stories int) {
	n := 0
	for s := range c.parent {
		if c.parent[s] == s {
			n++
		}
	}
	return len(c.events), n
}

// Add places one document and returns its event and story.
func (c *Clusterer) Add(d Doc) (event, story int) {
	if d.Time.After(c.latest) {
		c.latest = d.Time
	}
	late := !d.hinted && !d.Time.IsZero() && d.Time.Before(c.published)
	if !d.hinted && d.Time.After(c.published) {
		c.published = d.Time
	}
	if c.n > 0 && c.n%retireEvery == 0 {
		c.retire()
	}
	tf := c.count(d)
	// stories are followed through the names an article mentions, which
	// keep their IDs across languages and wording (qs, of names alone);
	// events through words and the names of people, organisations and
	// places (qe)
	qe, qs := &c.qe, &c.qs
	qe.words, qe.names, qs.words, qs.names = qe.words[:0], qe.names[:0], qs.words[:0], qs.names[:0]
	for _, x := range tf {
		w := (1 + logTF(x.tf)) * (math.Log(float64(c.n+1)/float64(x.df+1)) + 1)
		t := term{x.id, w}
		switch x.kind {
		case entityTerm:
			qe.names = append(qe.names, t)
			qs.names = append(qs.names, t)
		case otherName:
			qs.names = append(qs.names, t)
		default:
			qe.words = append(qe.words, t)
		}
	}
	c.sortTerms(qe.words)
	c.sortTerms(qe.names)
	c.sortTerms(qs.names)
	qe.norms()
	qs.norms()
	evTop := c.top(qs, maxTerms, c.topS[:0])
	top := c.top(qe, maxTerms, c.topE[:0])
	c.topS, c.topE = evTop, top

	mentions, prot := d.mentions, d.prot
	if !d.ahead {
		mentions, prot = protagonists(d.leadKeys(), c.prot[:0], c.mentions[:0])
		c.mentions, c.prot = mentions, prot
	}
	conflict := func(cl *cluster) bool { return cl.conflicts(mentions, prot) }
	event = c.best(qe, top, c.events, c.eventLive, c.eventIndex, -1, d.Time, c.opt.EventDays, c.opt.EventThreshold, conflict, conflictDamping)
	opened, newStory := event < 0, false
	if opened {
		event = len(c.events)
		c.events = append(c.events, &cluster{body: &body{}})
		c.eventLive.push(true)
		c.liveEvents = append(c.liveEvents, event)
		// an article published before one placed already does not
		// open its event in a story of undated articles alone (see
		// undatedOnly)
		var undated func(*cluster) bool
		if late {
			undated = undatedOnly
		}
		story = c.best(qs, evTop, c.story, c.storyLive, c.storyIndex, -1, d.Time, c.opt.StoryDays, c.opt.StoryThreshold, undated, 0)
		if story < 0 {
			story, newStory = len(c.story), true
			c.story = append(c.story, &cluster{body: &body{}})
			c.storyLive.push(true)
			c.liveStories = append(c.liveStories, story)
			c.parent = append(c.parent, story)
		}
		c.storyOf = append(c.storyOf, story)
		if !c.forget {
			c.res.Events = append(c.res.Events, nil)
		}
	} else {
		story = c.root(c.storyOf[event])
	}
	c.events[event].addTerms(c.names, d.Time, qe.words, qe.names)
	c.events[event].addLead(prot)
	if st := c.story[story]; !st.live() {
		// a retired story regains a centroid (an undated event's story
		// out of reach): it is in reach again
		c.liveStories = append(c.liveStories, story)
		c.storyLive.set(story, true)
	}
	c.story[story].addTerms(c.names, d.Time, nil, qs.names)
	c.noteBatch(event, story, qs.names)
	for _, id := range top {
		c.eventIndex[id] = appendOnce(c.eventIndex[id], int32(event))
		c.changed.eventIndex.add(c.track, id)
	}
	for _, id := range evTop {
		c.storyIndex[id] = appendOnce(c.storyIndex[id], int32(story))
		c.changed.storyIndex.add(c.track, id)
	}
	c.record(event)
	// as an event grows, its story may turn out to be one already told: the
	// two merge. (A story this article opened holds only the article, which
	// fell short of every story at the lower join threshold.)
	if n := c.events[event].docs; (opened || n&(n-1) == 0) && !newStory {
		story = c.mergeStories(story, d.Time)
	}
	return event, story
}

// root returns the story a story was merged into, if it was (itself
// otherwise).
func (c *Clusterer) root(s int) int {
	for c.parent[s] != s {
		c.parent[s] = c.parent[c.parent[s]]
		s = c.parent[s]
	}
	return s
}

// mergeStories merges story s with the most similar other story, by their
// entity centroids, when they are similar enough; the older of the two
// (the lower index) stays. It returns what s is now part of.
func (c *Clusterer) mergeStories(s int, t time.Time) int {
	if c.opt.MergeThreshold < 0 {
		return s
	}
	q := &c.story[s].terms
	top := c.top(q, maxTerms, c.topM[:0])
	c.topM = top
	// best would find s itself: it is left out of the search
	other := c.best(q, top, c.story, c.storyLive, c.storyIndex, s, t, c.opt.StoryDays, c.opt.MergeThreshold, c.splitKin(s), splitKinDamping)
	if other < 0 {
		return s
	}
	keep, gone := min(s, other), max(s, other)
	k, g := c.story[keep], c.story[gone]
	k.terms.words = mergeTerms(k.terms.words, g.terms.words)
	k.terms.names = mergeTerms(k.terms.names, g.terms.names)
	k.prune(c.names)
	k.terms.norms()
	k.span(g.oldest)
	k.span(g.newest)
	k.docs += g.docs
	c.topM = c.top(&k.terms, maxTerms, c.topM[:0])
	for _, id := range c.topM {
		c.storyIndex[id] = appendOnce(c.storyIndex[id], int32(keep))
		c.changed.storyIndex.add(c.track, id)
	}
	g.retireBody() // retired: merged
	c.storyLive.set(gone, false)
	if c.track {
		c.retiredStories = append(c.retiredStories, gone)
	}
	c.parent[gone] = keep
	c.merged = append(c.merged, gone)
	return keep
}

// undatedOnly tells whether a story holds undated articles alone (no
// time span). Placed in publish order, as when an archive arrives at once
// or by date, undated articles come after every dated one (streamOrder),
// so a dated article never meets a story they made on their own; when an
// archive arrives out of order, an article published before one placed
// already would meet such stories, which no time damps, and join them on
// a few shared names. Such an article (late, in Clusterer.Add) opens its
// event in another story. BSNLP in random batches of 10/100/500,
// agreement with one batch: 0.826/0.833/0.847 before, 0.835/0.844/0.853
// after (worst run 0.811/0.799/0.840 before, 0.819/0.807/0.845 after);
// arrival at once or by date cannot change (no article is late).
func undatedOnly(cl *cluster) bool { return cl.oldest.IsZero() }

// splitKin returns, when a split parted story s from others, a test of
// whether a story is one of them (the story s left, or a story that left
// s): two such stories merge back only when they are alike above
// MergeThreshold/splitKinDamping (their similarity is damped by
// splitKinDamping), else a part split off merges back as its story grows
// and splits off again, its events moving each time. It returns nil when
// there is none.
func (c *Clusterer) splitKin(s int) func(*cluster) bool {
	if len(c.splitFrom) == 0 {
		return nil
	}
	var kin []*cluster
	for _, p := range c.splitFrom {
		rx, rf := c.root(p.story), c.root(p.from)
		if rx == rf {
			continue
		}
		if rx == s {
			kin = append(kin, c.story[rf])
		} else if rf == s {
			kin = append(kin, c.story[rx])
		}
	}
	if len(kin) == 0 {
		return nil
	}
	return func(cl *cluster) bool { return slices.Contains(kin, cl) }
}

// splitPair is a story a split opened and the story it left.
type splitPair struct{ story, from int }

// termCount is a term of a document: its ID, its kind, its count (see tokenise)
// and its document frequency, this document counted.
type termCount struct {
	id   int32
	kind termKind // (its kinds entry, read from the vocabulary)
	tf   float64
	df   int
}

// docTerm is a term of a document before it is interned: its place in
// the vocabulary of the tokeniser that met it (vocab), and its count.
type docTerm struct {
	at int32
	tf float64
}

// vocab is the terms a tokeniser met, each once, in the order it met
// them: their kinds, the terms without their prefixes, and per term its
// ID in the clusterer that interned the vocabulary (owner), plus one (0:
// not interned yet). A clusterer interns a term of a vocabulary once, as
// it first counts a document that has it, so that a term's string is
// looked up once per vocabulary, not once per document; the IDs are those
// the documents' terms would have been given one by one.
type vocab struct {
	kinds  []termKind
	keys   []string
	hashes []uint64 // per term, its termHash, computed as it was met
	ids    []int32
	owner  *Clusterer
}

// inlineVocab bounds the terms of the vocabulary a clusterer keeps for
// the documents it tokenises itself; past it, it starts a new one.
const inlineVocab = 1 << 16

// prefixes are the prefixes of the terms by kind.
var prefixes = [...]string{word: "w:", entityTerm: "e:", otherName: "o:"}

// tokeniser tokenises documents into the terms of its vocabulary; its
// scratch is kept from one to the next.
type tokeniser struct {
	v     *vocab
	seen  [len(prefixes)]map[string]int32 // per kind, the terms of v: their places in it
	at    []int32                         // per term of v: its position in the document's terms plus one, 0 if none
	clone bool                            // v's terms are copied (not kept as strings of the documents)
	sc    termScratch
}

// begin starts a new vocabulary; clone tells whether its terms are
// copied, so that it keeps no document's text.
func (tk *tokeniser) begin(clone bool) {
	for i := range tk.seen {
		if tk.seen[i] == nil {
			tk.seen[i] = map[string]int32{}
		}
		clear(tk.seen[i])
	}
	tk.v, tk.at, tk.clone = &vocab{}, tk.at[:0], clone
}

// termScratch is what eachTerm reuses from one document to the next: the
// word being made, and the words of a text.
type termScratch struct {
	buf   []byte
	spans []text.Span
}

// tokenise appends a document's terms to out, in the order of their first
// mention (see eachTerm), adding those it has not met to its vocabulary.
func (tk *tokeniser) tokenise(d *Doc, out []docTerm) []docTerm {
	if tk.v == nil {
		tk.begin(false)
	}
	v, start := tk.v, len(out)
	eachTerm(d, &tk.sc, func(kind termKind, b []byte, k string, w float64) {
		seen := tk.seen[kind]
		var p int32
		var ok bool
		if k != "" {
			p, ok = seen[k]
		} else {
			p, ok = seen[string(b)]
		}
		if !ok {
			switch {
			case k == "":
				k = string(b)
			case tk.clone:
				k = strings.Clone(k)
			}
			p = int32(len(v.keys))
			seen[k] = p
			v.keys, v.kinds = append(v.keys, k), append(v.kinds, kind)
			v.hashes = append(v.hashes, termHash(prefixes[kind], k))
			tk.at = append(tk.at, 0)
		}
		if at := tk.at[p]; at > 0 {
			out[at-1].tf += w
			return
		}
		out = append(out, docTerm{p, w})
		tk.at[p] = int32(len(out))
	})
	for _, x := range out[start:] {
		tk.at[x.at] = 0
	}
	return out
}

// eachTerm calls add with every mention of a term in a document, in order:
// words of the title counted twice, words of the body (years among them,
// no other numbers), and entities counted three times per mention. It
// depends on the document alone. A term is given without its prefix, as
// k when it is a string of the document (no copy made), else as b (k
// empty), valid during the call only.
func eachTerm(d *Doc, sc *termScratch, add func(kind termKind, b []byte, k string, w float64)) {
	buf := sc.buf
	addWords := func(s string, w float64) {
		sc.spans = text.AppendWords(sc.spans[:0], s)
		for _, t := range sc.spans {
			written := strings.Trim(t.Text, ".")
			buf = text.AppendLower(buf[:0], written)
			same := string(buf) == written
			if isYear(buf) {
				// a year dates what is told: two reports of one event
				// name the same year, two events of a kind often not
				// (other numbers are left out: counts and scores vary
				// between reports of one event)
				add(word, buf, written, w) // (digits: as written)
				continue
			}
			// (12 bytes or more are 3 runes or more)
			if len(buf) < 3 || len(buf) < 12 && utf8.RuneCount(buf) < 3 || isStopword(buf) || !hasLetter(buf) {
				continue
			}
			n := stemmed(buf)
			k := ""
			if same {
				k = written[:n]
			}
			add(word, buf[:n], k, w)
		}
	}
	addWords(d.Title, 2)
	addWords(d.Text, 1)
	for _, e := range d.Entities {
		add(entityTerm, nil, e, 3)
	}
	for _, n := range d.Names {
		add(otherName, nil, n, 3)
	}
	clear(sc.spans) // (they point into the document's text)
	sc.buf = buf
}

// count counts a document's terms into the document frequencies and
// returns them, interned, in the order of their first mention (see eachTerm;
// tokenised ahead when d.vocab is set). The slice is reused by the next call.
func (c *Clusterer) count(d Doc) []termCount {
	v, terms := d.vocab, d.terms
	if v == nil {
		// tokenised here, with a vocabulary kept from one document to
		// the next (see inlineVocab)
		if c.tk == nil {
			c.tk = &tokeniser{}
		}
		if c.tk.v == nil || len(c.tk.v.keys) >= inlineVocab {
			c.tk.begin(true)
			c.tk.v.ids = make([]int32, 0, inlineVocab)
		}
		terms = c.tk.tokenise(&d, c.dt[:0])
		c.dt, v = terms, c.tk.v
		if n := len(v.keys); n > len(v.ids) {
			v.ids = append(v.ids, make([]int32, n-len(v.ids))...)
		}
	}
	out := c.tfs[:0]
	if v.owner == nil {
		v.owner = c
	}
	if v.owner != c {
		// a vocabulary another clusterer interned: its IDs are not ours
		for _, t := range terms {
			out = append(out, termCount{id: c.internHashed(prefixes[v.kinds[t.at]], v.keys[t.at], v.hashes[t.at]), kind: v.kinds[t.at], tf: t.tf})
		}
	} else {
		ids := v.ids
		for _, t := range terms {
			id := ids[t.at] - 1
			if id < 0 {
				id = c.internHashed(prefixes[v.kinds[t.at]], v.keys[t.at], v.hashes[t.at])
				ids[t.at] = id + 1
			}
			out = append(out, termCount{id: id, kind: v.kinds[t.at], tf: t.tf})
		}
	}
	c.n++
	for i := range out {
		x := &out[i]
		c.df[x.id]++
		x.df = int(c.df[x.id])
		c.changed.df.add(c.track, x.id)
	}
	c.tfs = out
	return out
}

// record notes the next document's event in the result.
func (c *Clusterer) record(event int) {
	if c.forget {
		return
	}
	c.res.EventOf = append(c.res.EventOf, event)
	c.res.Events[event] = append(c.res.Events[event], len(c.res.EventOf)-1)
}

// maxPosting bounds the clusters an index entry keeps: the most recently
// touched ones. Older clusters have decayed out of reach, and the bound
// keeps the cost per article flat as the archive grows.
const maxPosting = 256

// appendOnce moves id to the end of the posting list (most recent last),
// dropping the oldest entry when the list is full.
func appendOnce(ids []int32, id int32) []int32 {
	if len(ids) > 0 && ids[len(ids)-1] == id {
		return ids
	}
	for i, x := range ids {
		if x == id {
			copy(ids[i:], ids[i+1:])
			ids[len(ids)-1] = id
			return ids
		}
	}
	if len(ids) >= maxPosting {
		copy(ids, ids[1:])
		ids[len(ids)-1] = id
		return ids
	}
	return append(ids, id)
}

// skipFar lets best skip the candidates too far in time to win (a
// switch for tests, which check that skipping them changes nothing).
var skipFar = true

// maxCandidates bounds the clusters whose similarity is computed for one
// article: those sharing most of its top terms.
const maxCandidates = 24

// best returns the cluster of cs most similar to q above the threshold,
// among those in reach (live, by cluster) sharing most of its top terms
// (by index), skip apart, or -1. The similarity to a cluster for which
// conflict holds (when conflict is not nil) is multiplied by damp.
func (c *Clusterer) best(q *terms, top []int32, cs []*cluster, live flags, index [][]int32, skip int, t time.Time, days, threshold float64, conflict func(*cluster) bool, damp float64) int {
	cands := c.candidates(top, live, index, skip)
	if len(cands) == 0 {
		return -1
	}
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			c.dense[x.id] = x.w
			c.in[uint32(x.id)>>6] |= 1 << (uint32(x.id) & 63)
		}
	}
	// the candidates' clusters are read first, and the start of their
	// centroids, so that their cache misses overlap (see candidates)
	var first int32
	for _, id := range cands {
		if b := cs[id].body; b != nil {
			if len(b.terms.words) > 0 {
				first |= b.terms.words[0].id
			}
			if len(b.terms.nameIDs) > 0 {
				first |= b.terms.nameIDs[0]
			}
		}
	}
	c.sink = first
	best, bestSim := -1, threshold
	for _, id32 := range cands {
		id := int(id32)
		cl := cs[id]
		// the similarity is at most the decay (blend is at most 1, bar
		// rounding): a cluster too far in time to reach bestSim is not
		// compared
		dk := cl.decay(t, days)
		if dk*(1+1e-9) < bestSim && skipFar {
			continue
		}
		s := blendIn(q, &cl.terms, c.dense, c.in) * dk
		if conflict != nil && s > threshold && conflict(cl) {
			s *= damp
		}
		if s > bestSim || (s == bestSim && best >= 0 && id < best) {
			best, bestSim = id, s
		}
	}
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			c.dense[x.id] = 0
			c.in[uint32(x.id)>>6] = 0
		}
	}
	return best
}

// candidates returns the clusters (at most maxCandidates) in reach (by
// live), skip apart, sharing most of the terms top with the vector
// compared, by the index: those sharing most first, the newer first among
// them. The slice is reused by the next call.
func (c *Clusterer) candidates(top []int32, live flags, index [][]int32, skip int) []int32 {
	if len(c.shared) < live.n {
		c.shared = append(c.shared, make([]uint8, live.n-len(c.shared))...)
	}
	shared, touched := c.shared, c.touched[:0]
	for len(top) > 0 {
		// the posting lists are read first, and the first entry of each,
		// as reads that do not wait on one another: their cache misses
		// then overlap, rather than come one after the other
		var lists [maxTerms][]int32
		n := min(len(top), len(lists))
		var first int32
		for i, k := range top[:n] {
			lists[i] = index[k]
		}
		for _, ids := range lists[:n] {
			if len(ids) > 0 {
				first |= ids[0]
			}
		}
		c.sink = first
		for _, ids := range lists[:n] {
			for _, id := range ids {
				if live.has(id) && int(id) != skip { // retired clusters are out of reach
					if shared[id] == 0 {
						touched = append(touched, id)
					}
					shared[id]++
				}
			}
		}
		top = top[n:]
	}
	// the first maxCandidates by (terms shared descending, ID descending),
	// as keys that order them so, kept in order by insertion
	keys := c.candKeys[:0]
	for _, id := range touched {
		key := uint64(shared[id])<<32 | uint64(uint32(id))
		shared[id] = 0
		n := len(keys)
		if n == maxCandidates {
			if key <= keys[n-1] {
				continue
			}
			n--
		} else {
			keys = append(keys, key)
		}
		for n > 0 && key > keys[n-1] {
			keys[n] = keys[n-1]
			n--
		}
		keys[n] = key
	}
	cands := c.cands[:0]
	for _, key := range keys {
		cands = append(cands, int32(uint32(key)))
	}
	c.touched, c.cands, c.candKeys = touched, cands, keys
	return cands
}

// term is a term of a vector, by its interned ID (Clusterer.intern), and
// its weight.
type term struct {
	id int32
	w  float64
}

// terms is a vector as comparisons read it: its words and its names (see
// isEntity) apart, each by ascending term ID, with their norms.
type terms struct {
	words, names []term
	normW, normE float64
	// nameIDs are the IDs of names, in their order, made again with the
	// norms: blendIn reads them, a quarter of the bytes of the names, to
	// find the few a vector compared shares with a story's hundreds
	nameIDs []int32
}

// logTF is math.Log(tf), read from a table for the small whole counts
// most terms have.
func logTF(tf float64) float64 {
	if i := int(tf); i >= 0 && i < len(logSmall) && float64(i) == tf {
		return logSmall[i]
	}
	return math.Log(tf)
}

var logSmall = func() (t [64]float64) {
	for i := range t {
		t[i] = math.Log(float64(i))
	}
	return t
}()

// sortTerms orders terms by ID, as sort does (the IDs of a vector are
// distinct, so that every order by ID is the same): a few by insertion,
// more by a radix sort of their IDs, a byte a pass from the lowest, the
// passes of bytes all IDs have zero left out. It is quicker than a
// comparison sort, whose branches on a document's terms, in the order of
// their first mention, cannot be foretold.
func (c *Clusterer) sortTerms(ts []term) {
	if len(ts) <= 16 {
		for i := 1; i < len(ts); i++ {
			x, j := ts[i], i
			for ; j > 0 && ts[j-1].id > x.id; j-- {
				ts[j] = ts[j-1]
			}
			ts[j] = x
		}
		return
	}
	var bits uint32
	for _, x := range ts {
		bits |= uint32(x.id)
	}
	src, dst := ts, slices.Grow(c.sortWas[:0], len(ts))[:len(ts)]
	for shift := uint(0); shift < 32 && bits>>shift != 0; shift += 8 {
		if uint8(bits>>shift) == 0 {
			continue // every ID has this byte zero
		}
		var at [256]int32
		for _, x := range src {
			at[uint8(uint32(x.id)>>shift)]++
		}
		n := int32(0)
		for i, k := range at {
			at[i] = n
			n += k
		}
		for _, x := range src {
			b := uint8(uint32(x.id) >> shift)
			dst[at[b]] = x
			at[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &ts[0] {
		copy(ts, src)
		dst = src
	}
	c.sortWas = dst
}

// sort orders the terms by ID and computes their norms.
func (t *terms) sort() {
	byID := func(a, b term) int { return int(a.id - b.id) }
	slices.SortFunc(t.words, byID)
	slices.SortFunc(t.names, byID)
	t.norms()
}

// norms computes the norms of the words and of the names, and the IDs of
// the names (nameIDs).
func (t *terms) norms() {
	var w, e float64
	for _, x := range t.words {
		w += x.w * x.w
	}
	ids := t.nameIDs[:0]
	for _, x := range t.names {
		e += x.w * x.w
		ids = append(ids, x.id)
	}
	t.normW, t.normE, t.nameIDs = math.Sqrt(w), math.Sqrt(e), ids
}

// The terms' IDs are kept in an open-addressing table of their hashes
// (termHash) and IDs, and their strings in blocks of termBlock bytes: as
// an archive grows to millions of terms, a map from strings held them in
// as many small objects, which every garbage collection marked, and each
// lookup missed the caches in its groups, its keys and their bytes. The
// table holds no pointers, and a term's hash is computed on the core that
// tokenised it (vocab.hashes), so that placing only probes.

// termSeed seeds the terms' hashes: the table's layout changes from one
// process to the next, the IDs do not (they follow the order terms are
// met).
var termSeed = maphash.MakeSeed()

// termHash is the hash of the term prefix+k, where prefix is a term's
// two-byte prefix (see prefixes) or, for a term without one, empty; a
// whole term is hashed as splitTerm cuts it, so that termHash(prefix, k)
// and termHash(splitTerm(prefix+k)) agree.
func termHash(prefix, k string) uint64 {
	h := maphash.String(termSeed, k)
	if len(prefix) == 2 {
		h ^= (1<<16 | uint64(prefix[0])<<8 | uint64(prefix[1])) * 0x9e3779b97f4a7c15
	}
	return h
}

// splitTerm cuts a whole term in its prefix and the rest, as termHash
// reads them: the first two bytes are the prefix, if there are two.
func splitTerm(k string) (prefix, rest string) {
	if len(k) < 2 {
		return "", k
	}
	return k[:2], k[2:]
}

// termBlock is the size of the blocks the terms' strings are cut from; a
// term longer than a sixteenth of one is a string of its own.
const termBlock = 64 << 10

// intern returns the ID of a term, giving it one if it has none.
func (c *Clusterer) intern(k string) int32 {
	prefix, rest := splitTerm(k)
	return c.internHashed(prefix, rest, termHash(prefix, rest))
}

// internHashed interns the term prefix+k, whose hash is h.
func (c *Clusterer) internHashed(prefix, k string, h uint64) int32 {
	if len(c.table) == 0 {
		c.table = make([]uint64, 1024)
	}
	// a slot holds the low 32 bits of a term's hash, which place it, and
	// its ID plus one; 0 when empty
	tag := uint64(uint32(h))
	mask := len(c.table) - 1
	i := int(tag) & mask
	for ; c.table[i] != 0; i = (i + 1) & mask {
		e := c.table[i]
		if e>>32 != tag {
			continue
		}
		id := int32(uint32(e)) - 1
		if n := c.names[id]; len(n) == len(prefix)+len(k) && n[:len(prefix)] == prefix && n[len(prefix):] == k {
			return id
		}
	}
	id := c.newTerm(c.termString(prefix, k))
	c.table[i] = tag<<32 | uint64(id+1)
	if 2*len(c.names) > len(c.table) {
		// at most half full: rehashed from the slots' low bits alone
		old := c.table
		c.table = make([]uint64, 2*len(old))
		mask := len(c.table) - 1
		for _, e := range old {
			if e == 0 {
				continue
			}
			j := int(e>>32) & mask
			for c.table[j] != 0 {
				j = (j + 1) & mask
			}
			c.table[j] = e
		}
	}
	return id
}

// termString returns prefix+k, cut from the current block of terms'
// strings (see termBlock).
func (c *Clusterer) termString(prefix, k string) string { return c.block.cat(prefix, k) }

// blocks makes strings that are kept as long as the stream: they are cut
// from blocks of termBlock bytes, so that a million of them are not a
// million objects for the garbage collector to mark.
type blocks struct{ b *strings.Builder }

// cat returns a+b, cut from the current block.
func (bl *blocks) cat(a, b string) string {
	n := len(a) + len(b)
	if n > termBlock/16 {
		return a + b
	}
	if bl.b == nil || bl.b.Cap()-bl.b.Len() < n {
		// a new block, never grown: the strings cut from it stay as
		// they are
		bl.b = new(strings.Builder)
		bl.b.Grow(termBlock)
	}
	start := bl.b.Len()
	bl.b.WriteString(a)
	bl.b.WriteString(b)
	return bl.b.String()[start:]
}

// newTerm gives a term without ID one; the caller enters it in the table.
func (c *Clusterer) newTerm(k string) int32 {
	id := int32(len(c.names))
	c.names = append(c.names, k)
	c.nameKeys = append(c.nameKeys, nameKey(k))
	c.kinds = append(c.kinds, kindOf(k))
	c.df = append(c.df, 0)
	c.eventIndex = append(c.eventIndex, nil)
	c.storyIndex = append(c.storyIndex, nil)
	c.dense = append(c.dense, 0)
	if int(id)/64 >= len(c.in) {
		c.in = append(c.in, 0)
	}
	return id
}

// top appends to out the n heaviest terms of t, heaviest first (ties by
// name), and returns it.
func (c *Clusterer) top(t *terms, n int, out []int32) []int32 {
	if n <= 0 {
		return out
	}
	names, keys := c.names, c.nameKeys
	var buf [maxTerms]term
	sel := buf[:0]
	if n > len(buf) {
		sel = make([]term, 0, n)
	}
	for _, parts := range [2][]term{t.words, t.names} {
		for _, x := range parts {
			k := len(sel)
			if k == n {
				if !heavier(names, keys, x, sel[k-1]) {
					continue
				}
				k-- // the lightest leaves
			} else {
				sel = append(sel, x)
			}
			// x goes after the terms of sel[:k] heavier than it, found
			// by bisection (no two terms are as heavy: names differ)
			lo, hi := 0, k
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				if heavier(names, keys, x, sel[m]) {
					hi = m
				} else {
					lo = m + 1
				}
			}
			copy(sel[lo+1:k+1], sel[lo:k])
			sel[lo] = x
		}
	}
	for _, x := range sel {
		out = append(out, x.id)
	}
	return out
}

// heavier tells whether term a is heavier than b, or as heavy and first by
// name (names; keys are their nameKeys, which tell most names apart).
func heavier(names []string, keys []uint64, a, b term) bool {
	if a.w != b.w {
		return a.w > b.w
	}
	if ka, kb := keys[a.id], keys[b.id]; ka != kb {
		return ka < kb
	}
	return names[a.id] < names[b.id]
}

// nameKey is the first 8 bytes of a name (padded with zeros), big-endian:
// two names whose keys differ are in the order of their keys.
func nameKey(k string) uint64 {
	var b [8]byte
	copy(b[:], k)
	return binary.BigEndian.Uint64(b[:])
}

// isYear tells whether a word is a year of news: four digits, 1900 to
// 2099.
func isYear(w []byte) bool {
	if len(w) != 4 || !(w[0] == '1' && w[1] == '9' || w[0] == '2' && w[1] == '0') {
		return false
	}
	return w[2] >= '0' && w[2] <= '9' && w[3] >= '0' && w[3] <= '9'
}

func hasLetter(b []byte) bool {
	for _, r := range string(b) {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// stemmed returns the length of a word's stem: a few English suffixes are
// stripped, so that "talks" and "talk" meet.
func stemmed(w []byte) int {
	for _, suf := range [...]string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && string(w[len(w)-len(suf):]) == suf {
			return len(w) - len(suf)
		}
	}
	return len(w)
}

var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`the and for that this with from are was were will would could should can not have has had
but all any its our your their they them his her him she you who what when where which while there here than then been
being into about also just only even more most some such very one two said says say new after before over under out
off per via yet since did does doing don its it's she's he's i'm we're they're them these those such much many may might
must shall upon onto also among across against around because however although though whether either neither both each
other another same own few less least last first next year years day days week weeks month months time times today
yesterday monday tuesday wednesday thursday friday saturday sunday people told according`) {
		m[w] = true
	}
	return m
}()

// isStopword tells whether a word is one of stopwords, as a lookup in
// stopSet, quicker than in the map.
func isStopword(w []byte) bool {
	if len(w) == 0 || len(w) > maxStopword {
		return false
	}
	for h := stopHash(w); ; h = (h + 1) % uint32(len(stopSet)) {
		switch stopSet[h] {
		case "":
			return false
		case string(w):
			return true
		}
	}
}

// stopSet holds the stopwords by stopHash, with linear probing; maxStopword
// is the length of the longest.
var stopSet, maxStopword = func() (set [1024]string, longest int) {
	for w := range stopwords {
		longest = max(longest, len(w))
		h := stopHash([]byte(w))
		for set[h] != "" {
			h = (h + 1) % uint32(len(set))
		}
		set[h] = w
	}
	return set, longest
}()

func stopHash(w []byte) uint32 {
	n := len(w)
	return (uint32(n)*0x9e3779b1 ^ uint32(w[0])*0x85ebca6b ^ uint32(w[n-1])*0xc2b2ae35 ^ uint32(w[n/2])*0x27d4eb2f) >> 22 % 1024
}

// blend is the similarity of a vector q and a cluster's centroid ct: the
// cosine of their words and the cosine of their entities, averaged (words
// weigh blendWords) when both name entities; the words' cosine alone
// otherwise, the entities' alone for a story's entity vector. dense holds
// q's weights by term ID (zero elsewhere).
func blend(q, ct *terms, dense []float64) float64 {
	var dw, de float64
	for _, x := range ct.words {
		dw += dense[x.id] * x.w
	}
	for _, x := range ct.names {
		de += dense[x.id] * x.w
	}
	return blendDots(q, ct, dw, de)
}

// blendIn is blend, with the bits of in (by term ID) set for q's terms: a
// term of the centroid q does not have (a weight of zero, which adds
// nothing) is passed over without reading its weight in dense. The sums
// are the same, term for term, as blend's.
func blendIn(q, ct *terms, dense []float64, in []uint64) float64 {
	var dw, de float64
	for _, x := range ct.words {
		if u := uint32(x.id); in[u>>6]&(1<<(u&63)) != 0 {
			dw += dense[x.id] * x.w
		}
	}
	if ids := ct.nameIDs; len(ids) == len(ct.names) {
		names := ct.names[:len(ids)]
		for i, id := range ids {
			if u := uint32(id); in[u>>6]&(1<<(u&63)) != 0 {
				de += dense[id] * names[i].w
			}
		}
	} else {
		for _, x := range ct.names {
			if u := uint32(x.id); in[u>>6]&(1<<(u&63)) != 0 {
				de += dense[x.id] * x.w
			}
		}
	}
	return blendDots(q, ct, dw, de)
}

// blendDots is blend from the dot products of q and ct's words (dw) and
// names (de).
func blendDots(q, ct *terms, dw, de float64) float64 {
	cos := func(d, a, b float64) float64 {
		if a == 0 || b == 0 {
			return 0
		}
		return d / (a * b)
	}
	vw, ve, cw, ce := q.normW, q.normE, ct.normW, ct.normE
	sw, se := cos(dw, vw, cw), cos(de, ve, ce)
	switch {
	case vw == 0:
		return se
	case ve == 0 || ce == 0:
		return sw
	}
	return blendWords*sw + (1-blendWords)*se
}

const blendWords = 0.6

// isEntity tells whether a term is a name: an entity ("e:") or a name of
// no known kind ("o:").
func isEntity(k string) bool { return strings.HasPrefix(k, "e:") || strings.HasPrefix(k, "o:") }

// Two events of one kind often share their protagonist and differ in one
// participant: "Klitschko stops Thompson" and, years before, "Klitschko
// stops Rahman"; two players of one team arrested for drunk driving a
// month apart. Their words and most of their names are shared, so the
// cosine is high; what tells them apart is that each names, again and
// again, someone the other does not. An article conflicts with an event
// when it has a protagonist (an entity it names protagonistMentions times
// or more, known by its key in Doc.Leads) that no article of the event had
// as one, while the event has a protagonist in every one of its articles
// that the article never names; its similarity to the event is then
// damped by conflictDamping. An event of one article is not judged: one
// article's protagonists may be its own (a quoted expert, the outlet's
// reporter).
const (
	protagonistMentions = 4
	conflictDamping     = 0.5
)

// leadKeys returns the keys a document's protagonists are judged by:
// Leads, or Entities when Leads do not match them.
func (d *Doc) leadKeys() []string {
	if len(d.Leads) == len(d.Entities) {
		return d.Leads
	}
	return d.Entities
}

// protagonists counts a document's mentions per entity key and returns
// them (by key) with its protagonists, the keys it names
// protagonistMentions times or more (sorted). keys and m are empty: what
// is returned is cut from their room (len(ents) each), grown if short.
func protagonists(ents, keys []string, m []leadCount) ([]leadCount, []string) {
	keys = append(keys, ents...)
	slices.Sort(keys)
	for i, e := range keys {
		if i > 0 && e == keys[i-1] {
			m[len(m)-1].n++
			continue
		}
		m = append(m, leadCount{e, 1})
	}
	prot := keys[:0] // the keys were read: their room is reused
	for _, x := range m {
		if x.n >= protagonistMentions {
			prot = append(prot, x.key)
		}
	}
	return m, prot
}

// countOf returns the count of key in counts (sorted by key), 0 if none.
func countOf(counts []leadCount, key string) int {
	i, ok := slices.BinarySearchFunc(counts, key, func(x leadCount, k string) int { return strings.Compare(x.key, k) })
	if !ok {
		return 0
	}
	return counts[i].n
}

// addLead counts an article's protagonists into the event's, keeping at
// most maxCentroid of them (those of most articles) once they pass twice
// that.
func (c *cluster) addLead(prot []string) {
	for _, e := range prot {
		i, ok := slices.BinarySearchFunc(c.lead, e, func(x leadCount, k string) int { return strings.Compare(x.key, k) })
		if ok {
			c.lead[i].n++
		} else {
			c.lead = slices.Insert(c.lead, i, leadCount{e, 1})
		}
	}
	if len(c.lead) > 2*maxCentroid {
		byCount := slices.Clone(c.lead)
		slices.SortFunc(byCount, func(a, b leadCount) int {
			if a.n != b.n {
				return b.n - a.n
			}
			return strings.Compare(a.key, b.key)
		})
		c.lead = byCount[:maxCentroid]
		slices.SortFunc(c.lead, func(a, b leadCount) int { return strings.Compare(a.key, b.key) })
	}
}

// conflicts tells whether an article, with its mentions per entity (by
// key) and its protagonists, conflicts with the event: it has a
// protagonist the event never had, and the event one in all of its
// articles that the article never names.
func (c *cluster) conflicts(mentions []leadCount, prot []string) bool {
	if c.docs < 2 || len(prot) == 0 {
		return false
	}
	novel := false
	for _, e := range prot {
		if countOf(c.lead, e) == 0 {
			novel = true
			break
		}
	}
	if !novel {
		return false
	}
	for _, x := range c.lead {
		if x.n >= c.docs && countOf(mentions, x.key) == 0 {
			return true
		}
	}
	return false
}

// changedKeys are the keys of a clusterer's maps changed since a Stream
// last saved, by term ID.
type changedKeys struct {
	df                     termSet
	eventIndex, storyIndex postingSet
}

// keySet is a set of map keys, listed in the order they were first added.
type keySet struct {
	in   map[string]struct{}
	keys []string
}

// add adds k when on is set.
func (s *keySet) add(on bool, k string) {
	if !on {
		return
	}
	if _, ok := s.in[k]; ok {
		return
	}
	if s.in == nil {
		s.in = map[string]struct{}{}
	}
	s.in[k] = struct{}{}
	s.keys = append(s.keys, k)
}

// reset empties the set.
func (s *keySet) reset() {
	clear(s.in)
	s.keys = s.keys[:0]
}

// termSet is a set of interned term IDs.
type termSet struct {
	in  []bool // by term ID
	ids []int32
}

// add adds id when on is set.
func (s *termSet) add(on bool, id int32) {
	if !on {
		return
	}
	if int(id) >= len(s.in) {
		s.in = append(s.in, make([]bool, int(id)+1-len(s.in))...)
	}
	if !s.in[id] {
		s.in[id] = true
		s.ids = append(s.ids, id)
	}
}

// reset empties the set.
func (s *termSet) reset() {
	for _, id := range s.ids {
		s.in[id] = false
	}
	s.ids = s.ids[:0]
}

// postingSet is the set of the terms of an index (by term ID) whose
// posting lists changed since a Stream last saved and, per term, how many
// times it changed: a change appends (or moves to the end) at most one
// cluster, so the clusters appended since are among the last that many
// entries of the list, and a save can log a list's change as what the save
// before holds of it and that tail (see logIndexChanges) without keeping
// the saved lists.
type postingSet struct {
	at    []int32 // by term ID: its position in ids plus one, 0 if none
	ids   []int32 // the terms changed, in the order first changed
	times []int32 // per term of ids: the changes since the last save
}

// add counts a change of id's posting list when on is set.
func (s *postingSet) add(on bool, id int32) {
	if !on {
		return
	}
	if int(id) >= len(s.at) {
		s.at = append(s.at, make([]int32, int(id)+1-len(s.at))...)
	}
	if k := s.at[id]; k > 0 {
		s.times[k-1]++
		return
	}
	s.ids = append(s.ids, id)
	s.times = append(s.times, 1)
	s.at[id] = int32(len(s.ids))
}

// reset empties the set.
func (s *postingSet) reset() {
	for _, id := range s.ids {
		s.at[id] = 0
	}
	s.ids, s.times = s.ids[:0], s.times[:0]
}
