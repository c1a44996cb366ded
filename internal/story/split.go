package story

import (
	"math"
	"math/bits"
	"slices"
)

// A story is joined one event at a time, each compared with the story as
// it is then: an event that names the same countries and institutions as
// a young story (a handful of articles, their centroid still noisy) joins
// it, and once in, its own names draw every later event of its kind. Which
// events meet a young story depends on how the archive arrived, so the
// stories do too. With Options.SplitStories, a Stream ends each batch by
// looking again at the stories the batch grew past a power of two (as
// mergeStories looks at a story as its events grow): their events in
// reach are split in two by spherical 2-means over their names, and when
// the smaller part has splitMinEvents events or more and the centroids
// of the two parts fall short of MergeThreshold (two stories that would
// not merge), the part of fewer articles leaves the story and opens one
// of its own. Events of earlier batches may move: Stream.Moves tells
// which, for a store to move their articles.
//
// A part split off may merge back into the story it left as either grows
// (mergeStories), and split off again at the next power of two, its
// events moving each time. A Stream remembers, per story a split opened,
// the story it left (Clusterer.splitFrom, saved with its state): the two
// merge back only when their similarity damped by splitKinDamping still
// reaches MergeThreshold (0.3/0.9 = 0.33 by default). Random arrival,
// agreement with one batch at batches of 10/100/500: 0.821/0.825/0.848
// before, 0.826/0.833/0.847 after (worst run 0.799/0.799/0.841 before,
// 0.811/0.799/0.840 after); by date and ECB+ unchanged (damping 0.8
// lowered by date at batches of 100, 0.5 lowered random arrival
// everywhere: parts that belong back stayed apart).
const (
	splitMinEvents  = 3
	splitRounds     = 10
	splitKinDamping = 0.9
)

// batchState is what a Stream's clusterer keeps of the batch being
// placed (Options.SplitStories): the events opened in it, each event's
// story vector (the names its articles gave their story), and the
// documents each story gained.
type batchState struct {
	on    bool
	start int            // events of an index from start on were opened in the batch
	vecs  map[int][]term // per event, its story vector, by ascending term ID
	added map[int]int    // documents added per story (as it was then)
	// opened lists, per story a split opened, the event it opened with
	opened []int
}

// beginBatch starts a batch of a Stream.
func (c *Clusterer) beginBatch() {
	c.batch = batchState{on: c.opt.SplitStories, start: len(c.events)}
	if c.batch.on {
		c.batch.vecs, c.batch.added = map[int][]term{}, map[int]int{}
	}
}

// noteBatch counts a document added to a story, and adds its names (by
// ascending term ID) to its event's story vector, for an event opened in
// the batch.
func (c *Clusterer) noteBatch(event, story int, names []term) {
	if !c.batch.on {
		return
	}
	c.batch.added[story]++
	if event >= c.batch.start {
		c.batch.vecs[event] = mergeTerms(c.batch.vecs[event], names)
	}
}

// storyVector is an event's names as its story holds them: those its
// articles gave the story, for an event of the batch; the entities of its
// centroid otherwise (a story's names of no known kind are not kept per
// event).
func (c *Clusterer) storyVector(e int) []term {
	if v, ok := c.batch.vecs[e]; ok {
		return v
	}
	v := slices.Clone(c.events[e].terms.names)
	c.batch.vecs[e] = v
	return v
}

// addTo adds the terms v to the sum a (both by ascending term ID), or
// subtracts them (sign -1), dropping the terms left at zero or less.
func addTo(a, v []term, sign float64) []term {
	if sign > 0 {
		return mergeTerms(a, v)
	}
	out := a[:0]
	j := 0
	for _, x := range a {
		for j < len(v) && v[j].id < x.id {
			j++
		}
		if j < len(v) && v[j].id == x.id {
			x.w -= v[j].w
		}
		if x.w > 1e-9 {
			out = append(out, x)
		}
	}
	return out
}

func norm(v []term) float64 {
	var s float64
	for _, x := range v {
		s += x.w * x.w
	}
	return math.Sqrt(s)
}

// cosine is the cosine of two vectors by ascending term ID, of norms na
// and nb.
func cosine(a []term, na float64, b []term, nb float64) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	var d float64
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i].id < b[j].id:
			i++
		case a[i].id > b[j].id:
			j++
		default:
			d += a[i].w * b[j].w
			i++
			j++
		}
	}
	return d / (na * nb)
}

// endBatch splits the stories the batch grew past a power of two whose
// events fall in two parts that would not merge (see splitMinEvents); the
// events of earlier batches that move are listed in c.moved.
func (c *Clusterer) endBatch() {
	defer func() { c.batch.vecs, c.batch.added = nil, nil }()
	// a split both of whose stories are out of reach is forgotten, so
	// that the state does not grow with every split ever made
	c.splitFrom = slices.DeleteFunc(c.splitFrom, func(p splitPair) bool {
		return !c.story[c.root(p.story)].live() && !c.story[c.root(p.from)].live()
	})
	if !c.batch.on || len(c.batch.added) == 0 {
		return
	}
	grown := map[int]int{}
	for st, n := range c.batch.added {
		grown[c.root(st)] += n
	}
	var check []int
	for r, n := range grown {
		if st := c.story[r]; st.live() && bits.Len(uint(st.docs-n)) < bits.Len(uint(st.docs)) {
			check = append(check, r)
		}
	}
	if len(check) == 0 {
		return
	}
	slices.Sort(check)
	events := map[int][]int{}
	for _, e := range c.liveEvents {
		if !c.events[e].live() {
			continue
		}
		if r := c.root(c.storyOf[e]); slices.Contains(check, r) {
			events[r] = append(events[r], e)
		}
	}
	for _, r := range check {
		evs := events[r]
		slices.Sort(evs)
		if len(evs) <= splitMinEvents {
			continue
		}
		// what the story holds beyond its events in reach stays with
		// the part of its first event
		rest := slices.Clone(c.story[r].terms.names)
		for _, e := range evs {
			rest = addTo(rest, c.storyVector(e), -1)
		}
		if out := c.bisect(rest, evs); len(out) > 0 {
			c.split(r, out)
		}
	}
}

// bisect splits a story's events in two by spherical 2-means over their
// story vectors: the first part starts from rest (what the story holds
// beyond them) and the first event, which stay in it, the second from the
// event least like the whole story. It returns the part of fewer
// documents when the second part has splitMinEvents events or more and
// the two parts' centroids fall short of MergeThreshold; nil otherwise.
//
// The centroids are sums over the story's terms (see span), each made
// anew every round from the events in their order, so that a term's
// weight is the sum mergeTerms would make, in the same order, and the
// cosines and norms read them in the order of the terms' IDs, adding a
// term's product only where mergeTerms' centroid would hold it (its
// weight is 0 elsewhere, and the sums, of positive weights, are the
// same).
func (c *Clusterer) bisect(rest []term, evs []int) []int {
	sp := newSpan(rest, evs, c.storyVector)
	vecs := make([][]int32, len(evs)) // per event, its terms' places in sp
	norms := make([]float64, len(evs))
	whole := slices.Clone(sp.base)
	for i, e := range evs {
		v := c.storyVector(e)
		vecs[i] = sp.places(v)
		norms[i] = norm(v)
		sp.add(whole, v, vecs[i])
	}
	nw := sp.norm(whole)
	far, farSim := -1, math.Inf(1)
	for i, e := range evs {
		if s := sp.cosine(c.storyVector(e), vecs[i], norms[i], whole, nw); s < farSim {
			far, farSim = i, s
		}
	}
	if far == 0 {
		return nil // the first event is the least like the story
	}
	a, b := slices.Clone(sp.base), make([]float64, len(sp.ids))
	centroids := func(side []bool) {
		copy(a, sp.base)
		clear(b)
		for i, e := range evs {
			if side[i] {
				sp.add(b, c.storyVector(e), vecs[i])
			} else {
				sp.add(a, c.storyVector(e), vecs[i])
			}
		}
	}
	side := make([]bool, len(evs)) // true: the second part
	sp.add(a, c.storyVector(evs[0]), vecs[0])
	sp.add(b, c.storyVector(evs[far]), vecs[far])
	nb := 0
	for range splitRounds {
		na, nbv := sp.norm(a), sp.norm(b)
		changed := false
		nb = 0
		for i, e := range evs {
			v := c.storyVector(e)
			second := i > 0 && sp.cosine(v, vecs[i], norms[i], b, nbv) > sp.cosine(v, vecs[i], norms[i], a, na)
			if second != side[i] {
				side[i], changed = second, true
			}
			if second {
				nb++
			}
		}
		centroids(side)
		if !changed {
			break
		}
	}
	if nb < splitMinEvents {
		return nil
	}
	if na, nbv := sp.norm(a), sp.norm(b); na != 0 && nbv != 0 {
		var d float64
		for k := range a {
			d += a[k] * b[k]
		}
		if d/(na*nbv) >= c.opt.MergeThreshold {
			return nil
		}
	} else if 0 >= c.opt.MergeThreshold {
		return nil
	}
	return c.smallerSide(evs, side)
}

// smallerSide returns the events of evs on the side (side[i] or not) that
// holds fewer articles: the side that leaves the story. A tie leaves with
// the events marked.
func (c *Clusterer) smallerSide(evs []int, side []bool) []int {
	var in, out []int
	var docsIn, docsOut int
	for i, e := range evs {
		if side[i] {
			out, docsOut = append(out, e), docsOut+c.events[e].docs
		} else {
			in, docsIn = append(in, e), docsIn+c.events[e].docs
		}
	}
	if docsOut > docsIn {
		return in
	}
	return out
}

// span is the terms of a story that bisect splits: those of what it
// holds beyond its events and of its events' story vectors, by ascending
// ID, each once. A vector over them holds, per term, its weight.
type span struct {
	ids []int32
	// base is the vector of rest
	base []float64
}

// newSpan returns the span of rest and the story vectors of evs.
func newSpan(rest []term, evs []int, vector func(int) []term) *span {
	var ids []int32
	for _, x := range rest {
		ids = append(ids, x.id)
	}
	for _, e := range evs {
		for _, x := range vector(e) {
			ids = append(ids, x.id)
		}
	}
	slices.Sort(ids)
	sp := &span{ids: slices.Compact(ids)}
	sp.base = make([]float64, len(sp.ids))
	sp.add(sp.base, rest, sp.places(rest))
	return sp
}

// places returns the places in the span of the terms v (by ascending ID),
// in order.
func (sp *span) places(v []term) []int32 {
	out := make([]int32, len(v))
	k := 0
	for i, x := range v {
		for k < len(sp.ids)-1 && sp.ids[k] != x.id {
			k++
		}
		out[i] = int32(k)
	}
	return out
}

// add adds the terms v, at places at, to the vector d.
func (sp *span) add(d []float64, v []term, at []int32) {
	for i, x := range v {
		d[at[i]] += x.w
	}
}

// norm is the norm of a vector, as norm reads it.
func (sp *span) norm(d []float64) float64 {
	var s float64
	for _, w := range d {
		s += w * w
	}
	return math.Sqrt(s)
}

// cosine is cosine(v, nv, d as terms, nd) for the terms v at places at.
func (sp *span) cosine(v []term, at []int32, nv float64, d []float64, nd float64) float64 {
	if nv == 0 || nd == 0 {
		return 0
	}
	var s float64
	for i, x := range v {
		s += x.w * d[at[i]]
	}
	return s / (nv * nd)
}

// split moves events from story r to a story they open.
func (c *Clusterer) split(r int, evs []int) {
	var v []term
	docs := 0
	for _, e := range evs {
		v = addTo(v, c.storyVector(e), 1)
		docs += c.events[e].docs
	}
	st := c.story[r]
	st.terms.names = addTo(st.terms.names, v, -1)
	st.terms.norms()
	st.docs -= docs
	s := len(c.story)
	ns := &cluster{body: &body{terms: terms{names: v}}, docs: docs}
	ns.prune(c.names)
	ns.terms.norms()
	c.story = append(c.story, ns)
	c.storyLive.push(true)
	c.liveStories = append(c.liveStories, s)
	c.parent = append(c.parent, s)
	c.batch.opened = append(c.batch.opened, evs[0])
	c.splitFrom = append(c.splitFrom, splitPair{s, r}) // s: the newest story
	for _, e := range evs {
		ns.span(c.events[e].oldest)
		ns.span(c.events[e].newest)
		c.storyOf[e] = s
		if e < c.batch.start {
			c.moved = append(c.moved, e)
		}
	}
	c.topM = c.top(&ns.terms, maxTerms, c.topM[:0])
	for _, id := range c.topM {
		c.storyIndex[id] = appendOnce(c.storyIndex[id], int32(s))
		c.changed.storyIndex.add(c.track, id)
	}
}

// splitPairs lists the stories splits opened and the stories they left,
// in pairs by ascending story, as a state saves them.
func (c *Clusterer) splitPairs() []int {
	if len(c.splitFrom) == 0 {
		return nil
	}
	out := make([]int, 0, 2*len(c.splitFrom))
	for _, p := range c.splitFrom {
		out = append(out, p.story, p.from)
	}
	return out
}
