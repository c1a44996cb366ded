package clusters

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

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
		for _, m := range res.Mentions[i] {
			if m.Entity >= 0 && res.Entities[m.Entity].Type != entity.Other {
				sd.Entities = append(sd.Entities, res.Entities[m.Entity].ID)
			}
		}
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
