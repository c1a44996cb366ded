package story

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSplitStories: a pipeline event that names the countries a young
// story about a vote names joins it; its kind follows, batch after batch.
// Once the story has grown past a power of two with three pipeline events
// or more, they leave it for a story of their own, and the events of
// earlier batches among them are reported as moved.
func TestSplitStories(t *testing.T) {
	run := func(opt Options) (*Clusterer, []int) {
		c := New(opt)
		return c, placeVotesAndPipeline(c)
	}
	c, pipes := run(Options{})
	if len(c.events) < 16 {
		t.Fatalf("%d events, want one per article", len(c.events))
	}
	if c.root(c.storyOf[pipes[0]]) != c.root(c.storyOf[0]) {
		t.Fatal("the first pipeline event opened a story of its own; the test needs it to join the vote story")
	}
	split, pipes := run(Options{SplitStories: true})
	votes := split.root(split.storyOf[0])
	pipeStory := split.root(split.storyOf[pipes[0]])
	if pipeStory == votes {
		t.Fatal("the pipeline events stayed in the vote story")
	}
	for _, e := range pipes {
		if split.root(split.storyOf[e]) != pipeStory {
			t.Errorf("pipeline event %d in story %d, want %d", e, split.root(split.storyOf[e]), pipeStory)
		}
	}
	for e := range split.events {
		if split.root(split.storyOf[e]) != pipeStory && !containsInt(pipes, e) && split.root(split.storyOf[e]) != votes {
			t.Errorf("vote event %d left the vote story", e)
		}
	}
	if len(split.moved) == 0 || split.moved[0] != pipes[0] {
		t.Errorf("moved %v, want the pipeline events of earlier batches, from %d", split.moved, pipes[0])
	}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// TestSplitPartMergesBackOnlyWhenClearlyAlike: the part a split opened a
// story with, and the story it left, merge back only when their
// similarity damped by splitKinDamping reaches MergeThreshold; two
// stories no split parted merge at MergeThreshold itself.
func TestSplitPartMergesBackOnlyWhenClearlyAlike(t *testing.T) {
	c := New(Options{SplitStories: true})
	placed := placeVotesAndPipeline(c)
	pipes := placed[len(placed)-1]
	votes, part := c.root(c.storyOf[0]), c.root(c.storyOf[pipes])
	if votes == part || !slices.Contains(c.splitFrom, splitPair{part, votes}) {
		t.Fatalf("splits %v, stories %d and %d: the test needs the pipeline part split off the vote story", c.splitFrom, votes, part)
	}
	for _, pair := range [][2]int{{part, votes}, {votes, part}} {
		kin := c.splitKin(pair[0])
		if kin == nil || !kin(c.story[pair[1]]) {
			t.Errorf("story %d is not told kin of story %d", pair[1], pair[0])
		}
	}
	// the similarity of the two stories, as mergeStories weighs it
	when := day(15)
	q := &c.story[part].terms
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			c.dense[x.id] = x.w
		}
	}
	sim := blend(q, &c.story[votes].terms, c.dense) * c.story[votes].decay(when, c.opt.StoryDays)
	for _, parts := range [2][]term{q.words, q.names} {
		for _, x := range parts {
			c.dense[x.id] = 0
		}
	}
	if sim <= 0 {
		t.Fatalf("similarity %v: the test needs the two stories to share names", sim)
	}
	// a threshold the two reach, but not once damped
	c.opt.MergeThreshold = sim * (1 + splitKinDamping) / 2
	if got := c.mergeStories(part, when); got != part {
		t.Fatalf("the part split off merged back into story %d at similarity %.3f, threshold %.3f", got, sim, c.opt.MergeThreshold)
	}
	c.splitFrom = slices.DeleteFunc(c.splitFrom, func(p splitPair) bool { return p.story == part })
	if c.splitKin(part) != nil || c.splitKin(votes) != nil {
		t.Error("kin told without a split")
	}
	if got := c.mergeStories(part, when); got != votes {
		t.Fatalf("stories no split parted, similarity %.3f, threshold %.3f: merged into %d, want %d", sim, c.opt.MergeThreshold, got, votes)
	}
}

// voteAndPipeline returns the articles of the split tests, the i-th of
// each kind dated 8i days in: a vote in parliament (the UK, its
// parties, the speaker) and a gas pipeline (Russia, Gazprom, the
// Baltic), which share two names (the EU, Poland).
func voteAndPipeline() (vote, pipe func(i int) Doc) {
	words := strings.Fields("apple bridge candle dragon engine falcon garden harbor island jungle kettle ladder meadow needle orchard pepper quarry river saddle tunnel umbrella valley wagon yellow zephyr anchor basket cactus dolphin ember fountain glacier hammock igloo jasmine kayak")
	day := func(d int) time.Time { return time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 8*d) }
	vote = func(i int) Doc {
		return Doc{ID: fmt.Sprint("vote", i), Time: day(i), Text: words[2*i] + " " + words[2*i+1],
			Entities: []string{"uk", "uk", "may", "commons", "labour", "tories", "bercow", "eu", "poland", fmt.Sprint("mp", i%2)}}
	}
	pipe = func(i int) Doc {
		return Doc{ID: fmt.Sprint("pipe", i), Time: day(i), Text: words[2*i] + " " + words[2*i+1],
			Entities: []string{"russia", "russia", "gazprom", "baltic", "finland", "sweden", "miller", "eu", "poland", fmt.Sprint("firm", i%2)}}
	}
	return vote, pipe
}

// placeVotesAndPipeline places the split tests' articles in c in four
// batches — six votes; a pipeline article; then both kinds — and returns
// the pipeline articles' events in the order they came.
func placeVotesAndPipeline(c *Clusterer) (pipes []int) {
	vote, pipe := voteAndPipeline()
	batch := func(docs ...Doc) {
		c.beginBatch()
		for _, d := range docs {
			if e, _ := c.Add(d); d.ID[:4] == "pipe" {
				pipes = append(pipes, e)
			}
		}
		c.endBatch()
		c.batch = batchState{}
	}
	batch(vote(0), vote(1), vote(2), vote(3), vote(4), vote(5))
	batch(pipe(6))
	batch(vote(7), pipe(8))
	batch(pipe(9), vote(10), pipe(11), vote(12), vote(13), vote(14), pipe(15))
	return pipes
}

// bisectDef is bisect as it was defined, over sparse vectors merged one
// event at a time.
func (c *Clusterer) bisectDef(rest []term, evs []int) []int {
	whole := slices.Clone(rest)
	norms := make([]float64, len(evs))
	for i, e := range evs {
		v := c.storyVector(e)
		norms[i] = norm(v)
		whole = addTo(whole, v, 1)
	}
	nw := norm(whole)
	far, farSim := -1, math.Inf(1)
	for i, e := range evs {
		if s := cosine(c.storyVector(e), norms[i], whole, nw); s < farSim {
			far, farSim = i, s
		}
	}
	if far == 0 {
		return nil
	}
	centroids := func(side []bool) (a, b []term) {
		a = slices.Clone(rest)
		for i, e := range evs {
			if side[i] {
				b = addTo(b, c.storyVector(e), 1)
			} else {
				a = addTo(a, c.storyVector(e), 1)
			}
		}
		return a, b
	}
	side := make([]bool, len(evs))
	a := addTo(slices.Clone(rest), c.storyVector(evs[0]), 1)
	b := slices.Clone(c.storyVector(evs[far]))
	nb := 0
	for range splitRounds {
		na, nbv := norm(a), norm(b)
		changed := false
		nb = 0
		for i, e := range evs {
			v := c.storyVector(e)
			second := i > 0 && cosine(v, norms[i], b, nbv) > cosine(v, norms[i], a, na)
			if second != side[i] {
				side[i], changed = second, true
			}
			if second {
				nb++
			}
		}
		a, b = centroids(side)
		if !changed {
			break
		}
	}
	if nb < splitMinEvents || cosine(a, norm(a), b, norm(b)) >= c.opt.MergeThreshold {
		return nil
	}
	return c.smallerSide(evs, side)
}

// TestBisectIsItsDefinition checks bisect against its definition on
// random stories of two or three themes (sets of names), their weights
// drawn at random: the same part, or none, every time.
func TestBisectIsItsDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	splits := 0
	for round := range 400 {
		c := New(Options{MergeThreshold: []float64{0.3, 0.1, 0.6, -1}[round%4]})
		c.batch = batchState{on: true, vecs: map[int][]term{}, added: map[int]int{}}
		nev := 2 + rng.IntN(40)
		themes := 1 + rng.IntN(3)
		var evs []int
		for e := range nev {
			c.events = append(c.events, &cluster{docs: 1 + rng.IntN(5)})
			theme := rng.IntN(themes)
			var v []term
			for id := range 60 {
				if id%themes == theme && rng.IntN(3) == 0 || rng.IntN(20) == 0 {
					v = append(v, term{int32(id), rng.Float64() * 5})
				}
			}
			if rng.IntN(10) > 0 {
				c.batch.vecs[e] = v
			} else {
				// an event of an earlier batch: its centroid's names
				c.events[e].body = &body{terms: terms{names: v}}
			}
			evs = append(evs, e)
		}
		var rest []term
		for id := range 60 {
			if rng.IntN(4) == 0 {
				rest = append(rest, term{int32(id), rng.Float64()})
			}
		}
		if rng.IntN(5) == 0 {
			rest = nil
		}
		got, want := c.bisect(rest, evs), c.bisectDef(rest, evs)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: bisect %v, by its definition %v", round, got, want)
		}
		if len(got) > 0 {
			splits++
		}
	}
	if splits < 20 {
		t.Fatalf("only %d of 400 random stories split: the test does not test", splits)
	}
}

// TestSpanIsTerms checks the span's sums, norms and cosines against those
// of sparse vectors (addTo, norm, cosine), bit for bit.
func TestSpanIsTerms(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for range 300 {
		randomVector := func() []term {
			var v []term
			for id := range 80 {
				if rng.IntN(4) == 0 {
					v = append(v, term{int32(id * 3), rng.Float64() * 7})
				}
			}
			return v
		}
		rest := randomVector()
		vs := make([][]term, 1+rng.IntN(10))
		for i := range vs {
			vs[i] = randomVector()
		}
		evs := make([]int, len(vs))
		for i := range evs {
			evs[i] = i
		}
		sp := newSpan(rest, evs, func(e int) []term { return vs[e] })
		sum, d := slices.Clone(rest), slices.Clone(sp.base)
		for _, v := range vs {
			sum = addTo(sum, v, 1)
			sp.add(d, v, sp.places(v))
			if got, want := sp.norm(d), norm(sum); got != want {
				t.Fatalf("norm %v, want %v", got, want)
			}
			for _, u := range vs {
				if got, want := sp.cosine(u, sp.places(u), norm(u), d, sp.norm(d)), cosine(u, norm(u), sum, norm(sum)); got != want {
					t.Fatalf("cosine %v, want %v", got, want)
				}
			}
		}
		for _, x := range sum {
			if got := d[sp.places([]term{x})[0]]; got != x.w {
				t.Fatalf("term %d: %v, want %v", x.id, got, x.w)
			}
		}
	}
}
