package bench

import (
	"log/slog"
	"math"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/dedup"
	"github.com/storyline-news/storyline/internal/eval/dups"
	"github.com/storyline-news/storyline/internal/story"
)

// StreamResult is the cost of near-duplicate detection and event and
// story clustering over a generated stream of N articles.
type StreamResult struct {
	N           int     `json:"articles"`
	Seconds     float64 `json:"seconds"`
	PerSec      float64 `json:"articles_per_second"`
	FirstPerSec float64 `json:"first_tenth_articles_per_second"`
	LastPerSec  float64 `json:"last_tenth_articles_per_second"`
	PeakHeapMB  float64 `json:"peak_heap_mib"`
	Duplicates  int     `json:"duplicates"`
	Events      int     `json:"events"`
	Stories     int     `json:"stories"`
}

// Stream generates n articles from real ones (labelled as generated: nine
// in ten are a real article with a third of its words replaced at random,
// the tenth a perturbed copy of the one before, like a syndicated or
// re-scraped copy), dated 50 a day, and runs them through the
// near-duplicate index and the clusterer in order.
// Entities are left out: resolving a million articles at once is another
// stage's cost.
func Stream(base []storyline.Article, n int, seed uint64) StreamResult {
	next := dups.Stream(base, seed)
	gen := func(i int) story.Doc {
		a := next(i)
		return story.Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
	}

	peak := samplePeakHeap(50 * time.Millisecond)
	x := dedup.NewIndex()
	c := story.New(story.Options{})
	c.Forget() // a stream hands out where each article went, as Stream does
	r := StreamResult{N: n}
	tenth := max(1, n/10)
	// only the index and the clusterer are timed, not the generator
	var total, firstDur, lastDur, tenthDur time.Duration
	for i := 0; i < n; i++ {
		d := gen(i)
		t0 := time.Now()
		if _, dup := x.Add(d.ID, d.Text); dup {
			r.Duplicates++
		}
		c.Add(d)
		dt := time.Since(t0)
		total += dt
		if i < tenth {
			firstDur += dt
		}
		if i >= n-tenth {
			lastDur += dt
		}
		// each tenth is logged as it ends, so that a long run shows how
		// its cost and memory go while it runs
		tenthDur += dt
		if (i+1)%tenth == 0 {
			slog.Info("stream tenth", "articles", i+1, "of", n, "articles_per_second", math.Round(float64(tenth)/tenthDur.Seconds()),
				"heap_in_use_mib", heapInUse()>>20)
			tenthDur = 0
		}
	}
	r.PeakHeapMB = peak()
	r.Seconds = total.Seconds()
	r.PerSec = float64(n) / total.Seconds()
	r.FirstPerSec = float64(tenth) / firstDur.Seconds()
	r.LastPerSec = float64(tenth) / lastDur.Seconds()
	r.Events, r.Stories = c.Counts()
	slog.Info("stream done", "articles", n, "articles_per_second", math.Round(r.PerSec), "first_tenth", math.Round(r.FirstPerSec),
		"last_tenth", math.Round(r.LastPerSec), "peak_heap_mib", math.Round(r.PeakHeapMB), "events", r.Events, "stories", r.Stories, "duplicates", r.Duplicates)
	return r
}
