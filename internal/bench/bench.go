// Package bench measures storyline's throughput and memory on real
// corpora: how many articles a stage handles per second and the peak Go
// heap while it runs. `storyline bench` runs it; the Go benchmarks beside
// each package measure the same stages under `go test -bench`.
//
// Figures from one run are comparable with each other (the HTML path as a
// ratio of go-trafilatura alone, say); across runs and machines they are
// not, as the machines are shared and noisy.
package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/extract/html"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// Result is one measured stage.
type Result struct {
	Name     string  `json:"name"`
	Articles int     `json:"articles"`
	Failed   int     `json:"failed"`
	Seconds  float64 `json:"seconds"`
	PerSec   float64 `json:"articles_per_second"`
	// PeakHeapMB is the largest Go heap in use while the stage ran,
	// sampled every 10 ms, in MiB.
	PeakHeapMB float64 `json:"peak_heap_mib"`
	// Ratio is the stage's time over its baseline's, when it has one.
	Ratio    float64 `json:"ratio_to_baseline,omitempty"`
	Baseline string  `json:"baseline,omitempty"`
}

// Measure runs f once, timing it and sampling the heap; f returns how many
// articles it handled and how many failed.
func Measure(name string, f func() (n, failed int, err error)) (Result, error) {
	peak := samplePeakHeap(10 * time.Millisecond)
	start := time.Now()
	n, failed, err := f()
	elapsed := time.Since(start)
	peakMB := peak()
	if err != nil {
		return Result{}, fmt.Errorf("bench %s: %w", name, err)
	}
	r := Result{Name: name, Articles: n, Failed: failed, Seconds: elapsed.Seconds(), PeakHeapMB: peakMB}
	if r.Seconds > 0 {
		r.PerSec = float64(n) / r.Seconds
	}
	return r, nil
}

// samplePeakHeap collects garbage, then samples the Go heap in use every
// interval until the returned function is called; that returns the peak,
// in MiB. It reads runtime/metrics, which does not stop the world:
// runtime.ReadMemStats does, and at 50 reads a second it preempted every
// running goroutine of the run it measured, which cost the run itself CPU.
func samplePeakHeap(every time.Duration) (stop func() float64) {
	runtime.GC()
	var peak uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			peak = max(peak, heapInUse())
			select {
			case <-quit:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(quit)
		<-done // peak is read after the sampler ended
		return float64(peak) / (1 << 20)
	}
}

// heapSamples are the runtime/metrics whose sum is MemStats.HeapInuse:
// the bytes of the heap's spans in use, live objects and the free room
// within those spans.
var heapSamples = [...]string{"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes"}

// heapInUse is the Go heap in use, as MemStats.HeapInuse, read without
// stopping the world.
func heapInUse() uint64 {
	var s [len(heapSamples)]metrics.Sample
	for i, name := range heapSamples {
		s[i].Name = name
	}
	metrics.Read(s[:])
	var sum uint64
	for _, v := range s {
		if v.Value.Kind() == metrics.KindUint64 {
			sum += v.Value.Uint64()
		}
	}
	return sum
}

// WithBaseline sets r's ratio to the baseline's time per article.
func WithBaseline(r, base Result) Result {
	if base.PerSec > 0 && r.PerSec > 0 {
		r.Ratio = base.PerSec / r.PerSec
		r.Baseline = base.Name
	}
	return r
}

// ReadFiles reads every file under dir whose name ends in one of exts,
// sorted by path, gunzipping .gz files, with the kind ingestion would give
// them. It returns at most limit documents when limit > 0.
func ReadFiles(dir string, limit int, exts ...string) ([]storyline.RawDoc, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, e := range exts {
			if !d.IsDir() && strings.HasSuffix(p, e) {
				paths = append(paths, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	sort.Strings(paths)
	if limit > 0 && len(paths) > limit {
		paths = paths[:limit]
	}
	r := &ingest.Reader{}
	var docs []storyline.RawDoc
	err = r.Read(paths, func(d storyline.RawDoc, err error) error {
		if err == nil {
			docs = append(docs, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	return docs, nil
}

// Clean runs storyline's extraction (plain text or HTML, by each
// document's kind) over docs, one after the other.
func Clean(docs []storyline.RawDoc, now time.Time) (n, failed int, err error) {
	for _, d := range docs {
		if _, err := extract.Article(d, now); err != nil {
			failed++
			continue
		}
		n++
	}
	return n, failed, nil
}

// Trafilatura runs go-trafilatura alone, with storyline's options, over
// HTML docs, one after the other: the baseline of the HTML path.
func Trafilatura(docs []storyline.RawDoc) (n, failed int, err error) {
	for _, d := range docs {
		if _, err := html.Baseline(d.Body, d.URL); err != nil {
			failed++
			continue
		}
		n++
	}
	return n, failed, nil
}

// Ingest runs the whole ingestion path (read files, extract on every CPU,
// store in batches) over paths into a new SQLite database at dbPath.
func Ingest(ctx context.Context, paths []string, dbPath string, now time.Time) (n, failed int, err error) {
	store, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return 0, 0, err
	}
	defer store.Close()
	sum, err := pipeline.Run(ctx, &ingest.Reader{}, paths, store, pipeline.Options{Now: now})
	if err != nil {
		return 0, 0, err
	}
	return sum.New + sum.Duplicates, sum.Failed, nil
}

// PlaceStories places the articles of the SQLite database at dbPath in
// events and stories, as ingest does after storing them (entities
// resolved per batch, then clustering), and returns how many it placed.
func PlaceStories(ctx context.Context, dbPath string) (n, failed int, err error) {
	store, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return 0, 0, err
	}
	defer store.Close()
	n, err = pipeline.PlaceStories(ctx, store, 0, nil)
	return n, 0, err
}
