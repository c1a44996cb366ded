// Package pipeline runs the stages in order over a stream of raw documents:
// read (ingest) → clean (extract) → store. Extraction runs on several
// goroutines; results are put back into input order before they are
// stored, so the same input always gives the same store and report.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/ingest"
	"golang.org/x/sync/semaphore"
)

// StoreBatch is how many articles Run stores per transaction by default.
// A store's cost per transaction is mostly per batch, not per article:
// SQLite writes the batch's search index as one segment at the commit
// (FTS5 merges segments sixteen at a time, so the fewer and larger they
// are, the less each article's index is rewritten by merges), and the
// pages every batch dirties (index interiors, the search index's
// structure) go to the WAL once per commit. At 2,000 (PlaceBatch), a
// batch of the generated BBC articles is indexed in one segment; at 200,
// ten segments per 2,000 articles were made and then merged.
const StoreBatch = 2000

// StoreBatchBytes bounds the text a batch holds: Run stores a batch once
// its articles' titles and texts reach this many bytes, however few they
// are, so that a run of long documents (up to ingest.DefaultMaxSize
// each) does not keep thousands of them in memory at once.
const StoreBatchBytes = 64 << 20

// ReadAheadBytes bounds the documents Run has read but not yet handed to
// the store in input order: a document that is slow to extract holds up
// every later one, which waits, already read and extracted, for its turn.
// Without a bound in bytes, the thousands of documents the count window
// allows (ingest.DefaultMaxSize each) could be held at once. A document
// larger than the bound is still read, alone.
const ReadAheadBytes = 256 << 20

// Options tune a run. The zero value is ready to use.
type Options struct {
	// Workers extracting in parallel; 0 means one per CPU.
	Workers int
	// BatchSize is the number of articles stored per transaction; 0 means
	// StoreBatch.
	BatchSize int
	// BatchBytes bounds the bytes of titles and texts stored per
	// transaction (a batch is stored once it holds this many, however few
	// articles it has); 0 means StoreBatchBytes.
	BatchBytes int
	// ReadAheadBytes bounds the bytes of the documents read but not yet
	// stored in input order; 0 means ReadAheadBytes.
	ReadAheadBytes int64
	// Now is the reference time for dates without a year; zero means now.
	Now time.Time
	// Progress, when set, is called after each document with the number done.
	Progress func(done int)
	// Place, when set (and a store is given), places the stored articles
	// in stories during the run, on a goroutine of its own: whenever a
	// whole batch of them (Place.Batch; PlaceBatch when 0) waits to be
	// placed, it is placed while the next documents are extracted and
	// stored, and the rest at the end. The batches are the ones
	// PlaceStories would make after the run (the unplaced articles in the
	// order they were stored, a batch at a time), so the stories are the
	// same; the placing overlaps the rest instead of following it.
	Place *Placer
	// PlaceProgress, when set, is called after each batch placed with the
	// number of articles placed so far.
	PlaceProgress func(placed int)
	// Forget, when set, keeps no article in Summary.Articles, so that the
	// memory of a long run into a store does not grow with what it read.
	Forget bool
}

// Summary counts what a run did. Errors name the file (and line) of every
// document that failed; the other documents were still processed.
type Summary struct {
	Documents  int
	New        int
	Duplicates int
	Failed     int
	Errors     []error
	// Articles are the run's articles in input order, each once (a
	// duplicate of an earlier one in the same run is left out); none
	// with Options.Forget.
	Articles []storyline.Article
	// Placed is how many articles Options.Place placed, and Placing the
	// time spent placing them (overlapping the rest of the run).
	Placed  int
	Placing time.Duration
}

type job struct {
	n      int
	doc    storyline.RawDoc
	err    error
	weight int64 // of the read-ahead window
}

type result struct {
	n      int
	a      storyline.Article
	err    error
	weight int64
}

// docWeight is what a document counts towards the read-ahead window: its
// bytes, at least one, at most the whole window (so that a document
// larger than the window is read when nothing else is held).
func docWeight(doc storyline.RawDoc, window int64) int64 {
	w := int64(len(doc.Body)+len(doc.Title)+len(doc.Source)) + 1
	return min(w, window)
}

// Run reads the paths, extracts every document, and stores the articles
// (in batches, one transaction each) when store is not nil.
func Run(ctx context.Context, r *ingest.Reader, paths []string, store storyline.Store, opt Options) (Summary, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	batchSize := opt.BatchSize
	if batchSize <= 0 {
		batchSize = StoreBatch
	}
	batchBytesMax := opt.BatchBytes
	if batchBytesMax <= 0 {
		batchBytesMax = StoreBatchBytes
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	readAhead := opt.ReadAheadBytes
	if readAhead <= 0 {
		readAhead = ReadAheadBytes
	}
	// results waiting for reordering are bounded in count and in bytes;
	// documents are released in input order, so the one every other
	// waits for has always been let in
	window := make(chan struct{}, 4*workers+batchSize)
	windowBytes := semaphore.NewWeighted(readAhead)
	jobs := make(chan job, workers)
	results := make(chan result, workers)
	var readErr error
	go func() {
		defer close(jobs)
		n := 0
		readErr = r.Read(paths, func(doc storyline.RawDoc, err error) error {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			w := docWeight(doc, readAhead)
			if err := windowBytes.Acquire(ctx, w); err != nil {
				return err
			}
			select {
			case jobs <- job{n: n, doc: doc, err: err, weight: w}:
				n++
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res := result{n: j.n, err: j.err, weight: j.weight}
				if j.err == nil {
					res.a, res.err = extractDoc(j.doc, now)
				}
				results <- res
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var sum Summary
	var placing *placing
	if opt.Place != nil && store != nil {
		var err error
		if placing, err = startPlacing(ctx, store, opt.Place, opt.PlaceProgress); err != nil {
			return sum, err
		}
		store = placing.store // saves take turns with the placing's
	}
	seen := map[string]bool{}
	pending := map[int]result{}
	var batch []storyline.Article
	batchBytes := 0 // of the titles and texts in batch
	next := 0
	st := startStoring(ctx, cancel, store, placing)
	flush := func() {
		defer func() { batchBytes = 0 }()
		if len(batch) == 0 || store == nil {
			batch = batch[:0]
			return
		}
		st.save(batch)
		batch = make([]storyline.Article, 0, len(batch))
	}
	add := func(a storyline.Article) {
		batch = append(batch, a)
		batchBytes += len(a.Title) + len(a.Text)
		if len(batch) >= batchSize || batchBytes >= batchBytesMax || placing != nil && !st.busy() && placing.hungry(len(batch), batchSize) {
			flush()
		}
	}
	for res := range results {
		pending[res.n] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			windowBytes.Release(r.weight)
			sum.Documents++
			switch {
			case r.err != nil:
				sum.Failed++
				sum.Errors = append(sum.Errors, r.err)
			case seen[r.a.ID]:
				// a copy of an article of this run: stored as a copy of it
				if store != nil {
					add(r.a)
				} else {
					sum.Duplicates++
				}
			default:
				seen[r.a.ID] = true
				if !opt.Forget {
					sum.Articles = append(sum.Articles, r.a)
				}
				if store != nil {
					add(r.a)
				} else {
					sum.New++
				}
			}
			if opt.Progress != nil {
				opt.Progress(sum.Documents)
			}
		}
	}
	flush()
	saveErr := st.finish()
	sum.New, sum.Duplicates = sum.New+st.created, sum.Duplicates+st.copies
	if placing != nil {
		// a run that failed leaves the rest unplaced, as it would before
		ok := saveErr == nil && ctx.Err() == nil
		var err error
		sum.Placed, sum.Placing, err = placing.finish(ok)
		if ok && err != nil {
			return sum, err
		}
	}
	if saveErr != nil {
		return sum, fmt.Errorf("store: %w", saveErr)
	}
	if readErr != nil && !errors.Is(readErr, context.Canceled) {
		return sum, readErr
	}
	return sum, ctx.Err()
}

// storing is Run's saving of its batches on a goroutine of its own, in
// the order they were made, so that extracting the next batch goes on
// while one is saved: before, the loop that orders the extracted
// documents saved each batch itself, and the extraction workers, their
// results no longer taken, stopped for the length of every save. One
// batch is saved while the next fills; a full one waits to be handed
// over (save blocks), so a run holds at most one batch more than before.
type storing struct {
	ctx     context.Context
	cancel  context.CancelFunc
	store   storyline.Store
	placing *placing
	batches chan []storyline.Article
	done    chan struct{}
	pending atomic.Int32 // batches handed over and not saved yet

	// set by the goroutine, read after finish
	created, copies int
	err             error
}

// startStoring starts saving the batches given to save into store (none
// when store is nil), telling placing, when set, what each save created.
// A failed save cancels the run.
func startStoring(ctx context.Context, cancel context.CancelFunc, store storyline.Store, placing *placing) *storing {
	st := &storing{ctx: ctx, cancel: cancel, store: store, placing: placing, batches: make(chan []storyline.Article), done: make(chan struct{})}
	go st.run()
	return st
}

func (st *storing) run() {
	defer close(st.done)
	for batch := range st.batches {
		if st.err == nil && st.ctx.Err() == nil {
			st.saveNow(batch)
		}
		st.pending.Add(-1)
	}
}

func (st *storing) saveNow(batch []storyline.Article) {
	if st.placing != nil {
		st.placing.room()
	}
	created, err := st.store.SaveArticles(st.ctx, batch)
	if err != nil {
		st.err = err
		st.cancel()
		return
	}
	n := 0
	for _, c := range created {
		if c {
			n++
		} else {
			st.copies++
		}
	}
	st.created += n
	if st.placing != nil {
		st.placing.stored(n)
	}
}

// save hands a batch over to be saved, waiting while the one before is
// saved; the caller gives the batch up.
func (st *storing) save(batch []storyline.Article) {
	st.pending.Add(1)
	st.batches <- batch
}

// busy tells whether a batch is being saved or waits to be.
func (st *storing) busy() bool { return st.pending.Load() > 0 }

// finish waits for the batches handed over to be saved and returns the
// first error.
func (st *storing) finish() error {
	close(st.batches)
	<-st.done
	return st.err
}

// extractDoc is extractOne (tests hold documents back through it).
var extractDoc = extractOne

// extractOne extracts one document, naming its file (and line) in any error.
func extractOne(doc storyline.RawDoc, now time.Time) (storyline.Article, error) {
	a, err := extract.Article(doc, now)
	if err != nil {
		return a, ingest.DocError(doc, err)
	}
	return a, nil
}
