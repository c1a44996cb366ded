package clusters

import (
	"fmt"
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
	predE, predS := make([]string, len(docs)), make([]string, len(docs))
	goldE, goldS := make([]string, len(docs)), make([]string, len(docs))
	for i, d := range docs {
		predE[i] = fmt.Sprint(r.EventOf[i])
		predS[i] = fmt.Sprint(r.StoryOf(i))
		goldE[i], goldS[i] = d.Event, d.Topic
	}
	return Result{Docs: len(docs), Events: Score(predE, goldE), Stories: Score(predS, goldS)}
}
