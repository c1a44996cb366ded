package clusters

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/eval/entities"
	"github.com/storyline-news/storyline/internal/story"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	// gold: {0,1,2} {3,4}; pred: {0,1} {2,3,4}
	s := Score([]string{"a", "a", "b", "b", "b"}, []string{"x", "x", "x", "y", "y"})
	// BCubed P: (1+1+1/3+2/3+2/3)/5 = 0.7333; R: (2/3+2/3+1/3+1+1)/5 = 0.7333
	if !near(s.BCubed.P, 11.0/15) || !near(s.BCubed.R, 11.0/15) {
		t.Errorf("BCubed = %+v", s.BCubed)
	}
	// pairs: pred 1+3 = 4, gold 3+1 = 4, both: (0,1) and (3,4) = 2
	if !near(s.Pairwise.P, 0.5) || !near(s.Pairwise.R, 0.5) || s.Clusters != 2 || s.Gold != 2 {
		t.Errorf("pairwise = %+v", s)
	}
	if p := Score([]string{"a", "a"}, []string{"x", "x"}); p.BCubed.F1 != 1 || p.Pairwise.F1 != 1 {
		t.Errorf("perfect = %+v", p)
	}
}

func TestLoadECB(t *testing.T) {
	dir := corpus.Require(t, "data", "ecbplus")
	docs, err := LoadECB(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 700 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, d := range docs[:20] {
		if d.Title == "" || d.Event == "" || d.Topic == "" {
			t.Errorf("incomplete %+v", d.ID)
		}
	}
}

func TestBatchedKeepsWellSeparatedStories(t *testing.T) {
	topics := []string{
		"Harbour Minister Elena Marsh said the harbour bridge cables were replaced and the bridge reopened to traffic.",
		"Ferry crews of the Port Almera line walked out over pay and union leader Tom Reyes said crossings were cancelled.",
	}
	var docs []Doc
	var times []time.Time
	for i := 0; i < 12; i++ {
		docs = append(docs, Doc{ID: fmt.Sprint("d", i), Title: fmt.Sprint("Report ", i), Topic: fmt.Sprint(i % 2), Event: fmt.Sprint(i % 2),
			Text: fmt.Sprintf("%s Report %d has details of its own, %d of them.", topics[i%2], i, i*5)})
		times = append(times, time.Date(2025, 3, 1+i/3, 0, 0, 0, 0, time.UTC))
	}
	rs := BatchDependence(docs, times, story.Options{}, []int{1, 5}, []uint64{7, 8, 9})
	if len(rs) != 5 {
		t.Fatalf("%d results, want 5 (at once, two sizes × two arrivals)", len(rs))
	}
	for _, r := range rs {
		want := 1
		if r.Shuffled {
			want = 3
		}
		if len(r.Runs) != want {
			t.Errorf("batch %d shuffled %v: %d runs, want %d", r.Batch, r.Shuffled, len(r.Runs), want)
		}
		if r.Min.F1 != 1 || r.Min.Agreement != 1 || r.Mean.Agreement != 1 || r.Mean.Stories != 2 {
			t.Errorf("batch %d shuffled %v: %+v, want F1 and agreement 1 in two stories", r.Batch, r.Shuffled, r)
		}
	}
}

func TestBatchSummary(t *testing.T) {
	b := BatchResult{Runs: []BatchRun{
		{Stories: Scores{Clusters: 4, BCubed: PRF{P: 1, R: 0.5, F1: 0.6}}, Agreement: 0.9},
		{Stories: Scores{Clusters: 2, BCubed: PRF{P: 0.5, R: 1, F1: 0.8}}, Agreement: 0.7},
	}}
	b.summarise()
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if m := b.Mean; m.Stories != 3 || !near(m.P, 0.75) || !near(m.R, 0.75) || !near(m.F1, 0.7) || !near(m.Agreement, 0.8) {
		t.Errorf("mean %+v", m)
	}
	if m := b.Min; m.Stories != 2 || m.P != 0.5 || m.R != 0.5 || m.F1 != 0.6 || m.Agreement != 0.7 {
		t.Errorf("min %+v", m)
	}
}

func TestShuffleIsSeeded(t *testing.T) {
	a, b, c := Shuffle(50, 1), Shuffle(50, 1), Shuffle(50, 2)
	if fmt.Sprint(a) != fmt.Sprint(b) || fmt.Sprint(a) == fmt.Sprint(c) {
		t.Errorf("same seed must give the same order, another seed another")
	}
	seen := map[int]bool{}
	for _, i := range a {
		seen[i] = true
	}
	if len(seen) != 50 {
		t.Errorf("not a permutation: %v", a)
	}
}

func TestStoreReplayAppliesInOrder(t *testing.T) {
	var r storeReplay
	r.save(nil, nil, []storyline.Assignment{{Article: "a", Event: "e1", Story: "s1"}, {Article: "b", Event: "e2", Story: "s2"}, {Article: "c", Event: "e3", Story: "s3"}})
	// s3 merges into s2, then e2 moves to a new story s4: c stays in s2
	r.save([]storyline.StoryMerge{{From: "s3", To: "s2"}}, []story.EventMove{{Event: "e2", Story: "s4"}}, []storyline.Assignment{{Article: "d", Event: "e3", Story: "s2"}})
	// s2 merges into s1
	r.save([]storyline.StoryMerge{{From: "s2", To: "s1"}}, nil, nil)
	for a, want := range map[string]string{"a": "s1", "b": "s4", "c": "s1", "d": "s1"} {
		if got := r.story[a]; got != want {
			t.Errorf("article %s in %s, want %s", a, got, want)
		}
	}
}

// TestSplitStoriesAreNewStories: a story a split opens has an ID no story
// had before, however the archive arrives (BSNLP in random batches of 10).
func TestSplitStoriesAreNewStories(t *testing.T) {
	bdocs, err := entities.LoadBSNLP(corpus.Require(t, "data", "bsnlp"))
	if err != nil {
		t.Fatal(err)
	}
	articles := make([]storyline.Article, len(bdocs))
	for i, d := range bdocs {
		articles[i] = storyline.Article{ID: d.Topic + "/" + d.ID, Title: d.Title, Text: d.Text}
		articles[i].Published, _ = time.Parse("2006-01-02", d.Date)
	}
	moves := 0
	for seed := uint64(1); seed <= 3; seed++ {
		s := story.NewStream(story.Options{SplitStories: true}, 0)
		seen := map[string]bool{}
		arrival := Shuffle(len(articles), seed)
		for lo := 0; lo < len(arrival); lo += 10 {
			var batch []storyline.Article
			for _, i := range arrival[lo:min(lo+10, len(arrival))] {
				batch = append(batch, articles[i])
			}
			placed := s.Add(batch, entity.Resolve(entity.Docs(batch)))
			merged := s.Merges()
			for _, m := range s.Moves() {
				moves++
				if seen[m.Story] {
					t.Fatalf("seed %d: event %s moved to story %s, which is not new", seed, m.Event, m.Story)
				}
			}
			for _, as := range placed {
				seen[as.Story] = true
			}
			for _, m := range merged {
				seen[m.From], seen[m.To] = true, true
			}
		}
	}
	if moves == 0 {
		t.Fatal("no event moved: the test needs splits")
	}
}
