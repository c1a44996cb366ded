package clusters

import (
	"fmt"
	"math/rand/v2"
	"sort"
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
// before revised. It returns each document's event and story (in the
// order of docs).
func Batched(docs []Doc, times []time.Time, opt story.Options, n int, arrival []int) (events, stories []string) {
	if n <= 0 {
		n = len(docs)
	}
	s := story.NewStream(opt, 0)
	evOf, stOf := map[string]string{}, map[string]string{}
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
		for _, as := range s.Add(articles, res) {
			evOf[as.Article], stOf[as.Article] = as.Event, as.Story
		}
	}
	events, stories = make([]string, len(docs)), make([]string, len(docs))
	for i, d := range docs {
		events[i], stories[i] = evOf[d.ID], stOf[d.ID]
	}
	return events, stories
}

// BatchResult compares clustering in batches with clustering at once.
type BatchResult struct {
	Batch     int     `json:"batch"`     // documents per batch; 0: all at once
	Shuffled  bool    `json:"shuffled"`  // arrival in random order, not by date
	Stories   Scores  `json:"stories"`   // against the gold topics
	Agreement float64 `json:"agreement"` // BCubed F1 of the stories against those made at once, in date order
}

// BatchDependence clusters the documents (given in publish order) at
// once, then in batches of each size, arriving in publish order and in a
// random order, and scores each result against the gold topics and
// against the stories made at once.
func BatchDependence(docs []Doc, times []time.Time, opt story.Options, sizes []int, seed uint64) []BatchResult {
	gold := make([]string, len(docs))
	for i, d := range docs {
		gold[i] = d.Topic
	}
	inOrder := make([]int, len(docs))
	for i := range inOrder {
		inOrder[i] = i
	}
	shuffled := append([]int(nil), inOrder...)
	rand.New(rand.NewPCG(seed, 3)).Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
	_, base := Batched(docs, times, opt, 0, inOrder)
	out := []BatchResult{{Batch: 0, Stories: Score(base, gold), Agreement: 1}}
	for _, n := range sizes {
		for k, arrival := range [][]int{inOrder, shuffled} {
			_, got := Batched(docs, times, opt, n, arrival)
			out = append(out, BatchResult{Batch: n, Shuffled: k == 1, Stories: Score(got, gold), Agreement: Score(got, base).BCubed.F1})
		}
	}
	return out
}
