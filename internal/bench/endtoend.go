package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/eval/dups"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// GeneratedOutlets is how many made-up outlets the generated articles are
// spread over.
const GeneratedOutlets = 40

// WriteGenerated writes n generated articles to path as JSON lines, the
// raw text of each (headline line, blank line, paragraphs, as the BBC
// files are) in "text", for the plain-text path. They are generated from
// the real raw texts in base and labelled as such (URL
// https://generated.invalid/..., outlet "generated outlet K"): nine in ten
// are a real article with a third of its body's words replaced at random
// (so that the replicas of one article are not copies of each other), the
// tenth a perturbed copy of the one before (boilerplate added, trimmed,
// headline or a few words changed: a syndicated or re-scraped copy),
// dated 50 a day from 2020-01-01. The same base, n and seed give the same
// file.
func WriteGenerated(path string, base []storyline.RawDoc, n int, seed uint64) error {
	var texts []string
	for _, d := range base {
		if d.Kind == storyline.KindText && len(strings.Fields(string(d.Body))) >= 50 {
			texts = append(texts, strings.TrimSpace(string(d.Body)))
		}
	}
	if len(texts) == 0 {
		return fmt.Errorf("generate: no plain-text article of 50 words or more to start from")
	}
	rng := rand.New(rand.NewPCG(seed, 2))
	var vocab []string
	for _, t := range texts[:min(len(texts), 200)] {
		vocab = append(vocab, strings.Fields(t)...)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	enc := json.NewEncoder(w)
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	type line struct {
		URL       string `json:"url"`
		Outlet    string `json:"outlet"`
		Published string `json:"published"`
		Text      string `json:"text"`
	}
	var prev string
	for i := 0; i < n; i++ {
		var text string
		if i%10 == 9 {
			text = dups.Perturb(prev, dups.Kinds[rng.IntN(len(dups.Kinds)-1)], rng)
		} else {
			head, body, _ := strings.Cut(texts[i%len(texts)], "\n")
			paras := strings.Split(strings.TrimSpace(body), "\n")
			words := make([][]string, len(paras))
			total := 0
			for j, p := range paras {
				words[j] = strings.Fields(p)
				total += len(words[j])
			}
			for k := 0; k < total/3+1 && total > 0; k++ {
				j := rng.IntN(len(paras))
				if len(words[j]) > 0 {
					words[j][rng.IntN(len(words[j]))] = vocab[rng.IntN(len(vocab))]
				}
			}
			var b strings.Builder
			b.WriteString(head)
			b.WriteString("\n")
			for j := range paras {
				b.WriteString("\n")
				b.WriteString(strings.Join(words[j], " "))
			}
			text = b.String()
			prev = text
		}
		t := start.Add(time.Duration(i) * 24 * time.Hour / 50)
		err := enc.Encode(line{
			URL:       fmt.Sprintf("https://generated.invalid/bbc/%d", i),
			Outlet:    fmt.Sprintf("generated outlet %d", i%GeneratedOutlets),
			Published: t.Format(time.RFC3339),
			Text:      text,
		})
		if err != nil {
			f.Close()
			return fmt.Errorf("generate: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("generate: %w", err)
	}
	return f.Close()
}

// Stage is one stage of an end-to-end run: the time spent in it and the
// articles it handled, per second of that time.
type Stage struct {
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"articles_per_second"`
}

func stage(n int, d time.Duration) Stage {
	s := Stage{Seconds: d.Seconds()}
	if s.Seconds > 0 {
		s.PerSec = float64(n) / s.Seconds
	}
	return s
}

// EndToEnd is one end-to-end ingestion run: N documents from raw text to
// articles placed in stories.
type EndToEnd struct {
	Store   string `json:"store"`
	Workers int    `json:"workers,omitempty"`
	N       int    `json:"documents"`
	New     int    `json:"new"`
	Copies  int    `json:"copies"`
	Failed  int    `json:"failed"`
	Placed  int    `json:"placed"`
	// Seconds is the wall-clock time from the first document read (or
	// taken from the queue) to the last article placed.
	Seconds float64 `json:"seconds"`
	PerSec  float64 `json:"articles_per_second"`
	// The stages. For one process: Extract is a separate pass (read and
	// extract on every core, nothing stored), Store the time spent in
	// SaveArticles during the run, Place the time placing in stories (on a
	// goroutine of its own, overlapping the extraction and storing).
	// For workers: each stage's time summed over the workers.
	Extract Stage `json:"extract"`
	Save    Stage `json:"save"`
	Place   Stage `json:"place"`
	// Publish is the time `ingest --nats` took to queue the documents
	// (workers only; not part of Seconds).
	Publish Stage `json:"publish,omitempty"`
	// PlacedByTenth is, for each tenth of the articles placed in order,
	// how many were placed per second of wall-clock time while it was
	// (one process): placing is the end of the path, so the rate of the
	// last tenth against the first shows how the cost per article moves
	// as the archive grows.
	PlacedByTenth []float64 `json:"placed_per_second_by_tenth,omitempty"`
	PeakHeapMB    float64   `json:"peak_heap_mib"`
	PeakRSSMB     float64   `json:"peak_rss_mib"`
	// CPUSeconds is the CPU time (user and system) the process used
	// over Seconds, on every core: less moved by other jobs on a shared
	// machine than the wall-clock time (one process only; 0 when unknown).
	CPUSeconds float64 `json:"cpu_seconds,omitempty"`
}

// timedStore is a store that adds up the time spent saving articles.
type timedStore struct {
	storyline.Store
	mu    sync.Mutex
	saved time.Duration
}

func (s *timedStore) SaveArticles(ctx context.Context, arts []storyline.Article) ([]bool, error) {
	start := time.Now()
	created, err := s.Store.SaveArticles(ctx, arts)
	s.mu.Lock()
	s.saved += time.Since(start)
	s.mu.Unlock()
	return created, err
}

// ExtractAll reads the paths and extracts every document on every core,
// storing and keeping nothing: the extraction stage of the ingest path
// alone.
func ExtractAll(paths []string, now time.Time) (n, failed int, err error) {
	sum, err := pipeline.Run(context.Background(), &ingest.Reader{}, paths, nil, pipeline.Options{Now: now, Forget: true})
	return sum.New + sum.Duplicates, sum.Failed, err
}

// IngestSQLite runs `storyline ingest`'s path over paths into a new
// SQLite database at dbPath — read, extract on every core, store in
// batches and place the stored articles in stories, 2,000 at a time, as
// soon as that many are stored, while the next are extracted and stored
// (pipeline.Run with Options.Place; the same batches and stories as
// placing after storing) — timing the whole and the saving and placing
// within it; then, as a separate pass, the extraction alone.
func IngestSQLite(ctx context.Context, paths []string, dbPath string, now time.Time) (EndToEnd, error) {
	r := EndToEnd{Store: "sqlite"}
	st, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return r, err
	}
	defer st.Close()
	store := &timedStore{Store: st}
	peak := samplePeakHeap(20 * time.Millisecond)
	start, cpu := time.Now(), CPUTime()
	var marks []placedMark
	sum, err := pipeline.Run(ctx, &ingest.Reader{}, paths, store, pipeline.Options{Now: now, Place: &pipeline.Placer{}, Forget: true,
		PlaceProgress: func(placed int) { marks = append(marks, placedMark{time.Now(), placed}) }})
	end := time.Now()
	if c := CPUTime(); c > 0 {
		r.CPUSeconds = (c - cpu).Seconds()
	}
	r.PlacedByTenth = byTenth(start, marks)
	r.PeakHeapMB = peak()
	if err != nil {
		return r, fmt.Errorf("ingest: %w", err)
	}
	r.N, r.New, r.Copies, r.Failed, r.Placed = sum.Documents, sum.New, sum.Duplicates, sum.Failed, sum.Placed
	r.Seconds = end.Sub(start).Seconds()
	r.PerSec = float64(r.N) / r.Seconds
	r.Save = stage(r.New+r.Copies, store.saved)
	r.Place = stage(sum.Placed, sum.Placing)
	runtime.GC()
	exStart := time.Now()
	n, _, err := ExtractAll(paths, now)
	if err != nil {
		return r, err
	}
	r.Extract = stage(n, time.Since(exStart))
	r.PeakRSSMB = PeakRSSMB()
	return r, nil
}

// placedMark is how many articles were placed by a time.
type placedMark struct {
	at     time.Time
	placed int
}

// byTenth returns, for each tenth of the articles placed (the last mark's
// count), the articles placed per second over the time it took, from
// marks made as batches were placed after start. A tenth that ends
// within a batch is timed to the batch's end. With fewer than ten
// batches, tenths mean nothing: it returns nil.
func byTenth(start time.Time, marks []placedMark) []float64 {
	if len(marks) < 10 {
		return nil
	}
	total := marks[len(marks)-1].placed
	out := make([]float64, 0, 10)
	prevAt, prevN, k := start, 0, 0
	for tenth := 1; tenth <= 10; tenth++ {
		want := total * tenth / 10
		for marks[k].placed < want {
			k++
		}
		if d := marks[k].at.Sub(prevAt).Seconds(); d > 0 {
			out = append(out, float64(marks[k].placed-prevN)/d)
		} else {
			out = append(out, 0) // in the same batch as the tenth before
		}
		prevAt, prevN = marks[k].at, marks[k].placed
	}
	return out
}

// SampleHeap collects garbage, then samples the Go heap in use every
// interval until the returned function is called; that returns the peak,
// in MiB.
func SampleHeap(every time.Duration) (stop func() float64) { return samplePeakHeap(every) }

// Rate is n per second of d (0 when d is 0).
func Rate(n int, d time.Duration) Stage { return stage(n, d) }
