package clusters

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/story"
)

// Result is the evaluation of one corpus.
type Result struct {
	Docs    int    `json:"docs"`
	Events  Scores `json:"events"`  // against the gold events (ECB+ sub-topics)
	Stories Scores `json:"stories"` // against the gold topics
}

// Run resolves the entities of the documents, clusters them in the given
// order (with their times, zero when unknown) and scores events against
// Doc.Event and stories against Doc.Topic.
func Run(docs []Doc, times []time.Time, opt story.Options) Result {
	predE, predS := Labels(docs, times, opt)
	goldE, goldS := make([]string, len(docs)), make([]string, len(docs))
	for i, d := range docs {
		goldE[i], goldS[i] = d.Event, d.Topic
	}
	return Result{Docs: len(docs), Events: Score(predE, goldE), Stories: Score(predS, goldS)}
}

// OrderSensitivity measures how much the stories depend on the order the
// documents were ingested in (the batch boundaries and the order within
// them): it clusters the documents as given, then in shuffled orders put
// back in publish order, ties kept in ingestion order when byID is false
// or broken by ID as storyline does when it is true, and scores each
// result against the first by BCubed F1 over the stories; 1 means no
// dependence.
func OrderSensitivity(docs []Doc, times []time.Time, opt story.Options, seeds []uint64, byID bool) []float64 {
	order := func(idx []int) {
		sort.SliceStable(idx, func(a, b int) bool {
			ta, tb := times[idx[a]], times[idx[b]]
			if !ta.Equal(tb) {
				return ta.Before(tb)
			}
			return byID && docs[idx[a]].ID < docs[idx[b]].ID
		})
	}
	first := make([]int, len(docs))
	for i := range first {
		first[i] = i
	}
	order(first)
	d0, t0 := make([]Doc, len(docs)), make([]time.Time, len(docs))
	for k, i := range first {
		d0[k], t0[k] = docs[i], times[i]
	}
	_, base := Labels(d0, t0, opt)
	ref := map[string]string{}
	for i, d := range d0 {
		ref[d.ID] = base[i]
	}
	var out []float64
	for _, seed := range seeds {
		idx := make([]int, len(docs))
		for i := range idx {
			idx[i] = i
		}
		rng := rand.New(rand.NewPCG(seed, 2))
		rng.Shuffle(len(idx), func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		order(idx)
		ds := make([]Doc, len(docs))
		ts := make([]time.Time, len(docs))
		for k, i := range idx {
			ds[k], ts[k] = docs[i], times[i]
		}
		_, got := Labels(ds, ts, opt)
		gold := make([]string, len(ds))
		for k, d := range ds {
			gold[k] = ref[d.ID]
		}
		out = append(out, Score(got, gold).BCubed.F1)
	}
	return out
}

// Labels clusters the documents and returns each one's event and story.
func Labels(docs []Doc, times []time.Time, opt story.Options) (events, stories []string) {
	edocs := make([]entity.Doc, len(docs))
	for i, d := range docs {
		edocs[i] = entity.Doc{ID: d.ID, Text: d.Title + "\n\n" + d.Text}
	}
	res := entity.Resolve(edocs)
	sdocs := make([]story.Doc, len(docs))
	for i, d := range docs {
		sd := story.Doc{ID: d.ID, Title: d.Title, Text: d.Text}
		if times != nil {
			sd.Time = times[i]
		}
		sd.AddNames(res.Mentions[i], res.Entities, nil)
		sdocs[i] = sd
	}
	r := story.Cluster(sdocs, opt)
	events, stories = make([]string, len(docs)), make([]string, len(docs))
	for i := range docs {
		events[i] = fmt.Sprint(r.EventOf[i])
		stories[i] = fmt.Sprint(r.StoryOf(i))
	}
	return events, stories
}

// Batched clusters the documents as a store does when they are ingested in
// batches of n documents (all at once when n <= 0), in the given arrival
// order: entities resolved over each batch, each batch placed in publish
// order against the clustering of the batches before it, nothing placed
// before revised but for the stories merged since (Stream.Merges) and the
// events moved to another story (Stream.Moves), applied in order as a
// store applies them. It returns each document's event and story (in the
// order of docs).
func Batched(docs []Doc, times []time.Time, opt story.Options, n int, arrival []int) (events, stories []string) {
	if n <= 0 {
		n = len(docs)
	}
	s := story.NewStream(opt, 0)
	var st storeReplay
	for lo := 0; lo < len(arrival); lo += n {
		batch := arrival[lo:min(lo+n, len(arrival))]
		articles := make([]storyline.Article, len(batch))
		for k, i := range batch {
			articles[k] = storyline.Article{ID: docs[i].ID, Title: docs[i].Title, Text: docs[i].Text}
			if times != nil {
				articles[k].Published = times[i]
			}
		}
		res := entity.Resolve(entity.Docs(articles))
		placed := s.Add(articles, res)
		st.save(s.Merges(), s.Moves(), placed)
	}
	events, stories = make([]string, len(docs)), make([]string, len(docs))
	for i, d := range docs {
		events[i], stories[i] = st.event[d.ID], st.story[d.ID]
	}
	return events, stories
}

// storeReplay keeps where articles are as a store does: each batch's
// merges are applied in order (every article of From moves to To), then
// its moves (every article of Event moves to Story), then its placements.
type storeReplay struct {
	event, story map[string]string // per article
}

func (r *storeReplay) save(merged []storyline.StoryMerge, moved []story.EventMove, placed []storyline.Assignment) {
	if r.event == nil {
		r.event, r.story = map[string]string{}, map[string]string{}
	}
	for _, m := range merged {
		for a, st := range r.story {
			if st == m.From {
				r.story[a] = m.To
			}
		}
	}
	for _, m := range moved {
		for a, ev := range r.event {
			if ev == m.Event {
				r.story[a] = m.Story
			}
		}
	}
	for _, as := range placed {
		r.event[as.Article], r.story[as.Article] = as.Event, as.Story
	}
}

// BatchResult compares clustering in batches with clustering at once:
// one arrival order by date, or several random ones (one per seed), of
// which it gives the mean and the worst.
type BatchResult struct {
	Batch    int        `json:"batch"`    // documents per batch; 0: all at once
	Shuffled bool       `json:"shuffled"` // arrival in random orders, not by date
	Runs     []BatchRun `json:"runs"`     // one per arrival order
	// Mean is the mean over the runs, Min the worst run of each figure
	Mean BatchSummary `json:"mean"`
	Min  BatchSummary `json:"min"`
}

// BatchRun is one arrival order's stories.
type BatchRun struct {
	Seed      uint64  `json:"seed"`      // of the shuffle; 0 by date
	Stories   Scores  `json:"stories"`   // against the gold topics
	Agreement float64 `json:"agreement"` // BCubed F1 of the stories against those made at once, in date order
}

// BatchSummary sums up the runs of one batching: stories made, BCubed
// precision, recall and F1 against the gold topics, agreement with the
// stories made at once.
type BatchSummary struct {
	Stories   float64 `json:"stories"`
	P         float64 `json:"p"`
	R         float64 `json:"r"`
	F1        float64 `json:"f1"`
	Agreement float64 `json:"agreement"`
}

// summarise fills in the mean and the minimum of the runs.
func (b *BatchResult) summarise() {
	for k, r := range b.Runs {
		x := BatchSummary{float64(r.Stories.Clusters), r.Stories.BCubed.P, r.Stories.BCubed.R, r.Stories.BCubed.F1, r.Agreement}
		n := float64(len(b.Runs))
		b.Mean.Stories += x.Stories / n
		b.Mean.P += x.P / n
		b.Mean.R += x.R / n
		b.Mean.F1 += x.F1 / n
		b.Mean.Agreement += x.Agreement / n
		if k == 0 {
			b.Min = x
			continue
		}
		b.Min = BatchSummary{min(b.Min.Stories, x.Stories), min(b.Min.P, x.P), min(b.Min.R, x.R), min(b.Min.F1, x.F1), min(b.Min.Agreement, x.Agreement)}
	}
}

// BatchDependence clusters the documents (given in publish order) at
// once, then in batches of each size, arriving in publish order and in
// random orders (a shuffle per seed), and scores each result against the
// gold topics and against the stories made at once. The runs go on every
// core; each is the same whatever else runs.
func BatchDependence(docs []Doc, times []time.Time, opt story.Options, sizes []int, seeds []uint64) []BatchResult {
	gold := make([]string, len(docs))
	for i, d := range docs {
		gold[i] = d.Topic
	}
	inOrder := make([]int, len(docs))
	for i := range inOrder {
		inOrder[i] = i
	}
	_, base := Batched(docs, times, opt, 0, inOrder)
	out := []BatchResult{{Batch: 0, Runs: []BatchRun{{Stories: Score(base, gold), Agreement: 1}}}}
	type job struct {
		res, run int
		n        int
		seed     uint64
	}
	var jobs []job
	for _, n := range sizes {
		out = append(out, BatchResult{Batch: n, Runs: make([]BatchRun, 1)})
		jobs = append(jobs, job{len(out) - 1, 0, n, 0})
		if len(seeds) == 0 {
			continue
		}
		out = append(out, BatchResult{Batch: n, Shuffled: true, Runs: make([]BatchRun, len(seeds))})
		for k, seed := range seeds {
			jobs = append(jobs, job{len(out) - 1, k, n, seed})
		}
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) {
					return
				}
				j := jobs[k]
				arrival := inOrder
				if j.seed != 0 {
					arrival = Shuffle(len(docs), j.seed)
				}
				_, got := Batched(docs, times, opt, j.n, arrival)
				out[j.res].Runs[j.run] = BatchRun{Seed: j.seed, Stories: Score(got, gold), Agreement: Score(got, base).BCubed.F1}
			}
		})
	}
	wg.Wait()
	for i := range out {
		out[i].summarise()
	}
	return out
}

// Shuffle returns the indices 0..n-1 in the random order a seed gives
// (the same for the same seed).
func Shuffle(n int, seed uint64) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rand.New(rand.NewPCG(seed, 3)).Shuffle(n, func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
	return idx
}
