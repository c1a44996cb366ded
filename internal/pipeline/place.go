package pipeline

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/storyline-news/storyline"
)

// placing is Run's placing of stored articles on a goroutine of its own
// (Options.Place), overlapping the extraction and storing of the next
// documents. Run tells it how many articles each save created; it places
// whenever a whole batch waits, and everything left when Run finishes.
type placing struct {
	ctx      context.Context
	cancel   context.CancelFunc
	store    storyline.Store
	p        *Placer
	batch    int
	progress func(int)

	mu       sync.Mutex
	unplaced int  // stored articles not placed yet, as far as this run knows
	last     bool // Run is done: place everything
	wake     *sync.Cond

	placed int
	took   time.Duration
	err    error
	done   chan struct{}
}

// startPlacing starts placing for a run: the store's articles not placed
// yet count towards the first batch.
func startPlacing(ctx context.Context, store storyline.Store, p *Placer, progress func(int)) (*placing, error) {
	articles, placed, err := store.Counts(ctx)
	if err != nil {
		return nil, fmt.Errorf("stories: %w", err)
	}
	batch := p.Batch
	if batch <= 0 {
		batch = PlaceBatch
	}
	ctx, cancel := context.WithCancel(ctx)
	pl := &placing{ctx: ctx, cancel: cancel, store: &serialised{Store: store}, p: p, batch: batch, progress: progress,
		unplaced: articles - placed, done: make(chan struct{})}
	pl.wake = sync.NewCond(&pl.mu)
	go pl.run()
	return pl, nil
}

// stored tells that a save created n articles.
func (pl *placing) stored(n int) {
	if n == 0 {
		return
	}
	pl.mu.Lock()
	pl.unplaced += n
	pl.mu.Unlock()
	pl.wake.Signal()
}

// finish tells that the run stored its last article and waits for the
// placing to end: with ok, after the articles left were placed; otherwise
// (the run failed) at once. It returns how many articles were placed,
// the time spent placing and the first error.
func (pl *placing) finish(ok bool) (int, time.Duration, error) {
	if !ok {
		pl.cancel()
	}
	pl.mu.Lock()
	pl.last = true
	pl.mu.Unlock()
	pl.wake.Signal()
	<-pl.done
	pl.cancel()
	return pl.placed, pl.took, pl.err
}

// storedAll tells whether Run stored its last article.
func (pl *placing) storedAll() bool {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return pl.last
}

func (pl *placing) run() {
	defer close(pl.done)
	stop := context.AfterFunc(pl.ctx, func() {
		pl.mu.Lock()
		pl.wake.Broadcast()
		pl.mu.Unlock()
	})
	defer stop()
	for {
		pl.mu.Lock()
		for !pl.last && pl.unplaced < pl.batch && pl.ctx.Err() == nil {
			pl.wake.Wait()
		}
		last, batches := pl.last, pl.unplaced/pl.batch
		pl.mu.Unlock()
		if last {
			batches = 0 // all
		}
		if err := pl.ctx.Err(); err != nil {
			if pl.err == nil {
				pl.err = err
			}
			return
		}
		start := time.Now()
		n, err := pl.p.place(pl.ctx, pl.store, func(k int) {
			if pl.progress != nil {
				pl.progress(pl.placed + k)
			}
		}, batches, pl.storedAll)
		pl.took += time.Since(start)
		pl.placed += n
		if err != nil {
			// the run goes on storing, as it would before placing
			pl.err = err
			return
		}
		if last {
			return
		}
		pl.mu.Lock()
		pl.unplaced -= n
		if n == 0 {
			// fewer than a batch after all (another process placed some):
			// wait for the next save
			pl.unplaced = pl.batch - 1
		}
		pl.mu.Unlock()
	}
}

// serialised is a store whose saves of articles and of the clustering
// take turns in this process, so that Run's saves and its placing's do
// not wait for each other's write lock in the database.
type serialised struct {
	storyline.Store
	mu sync.Mutex
}

func (s *serialised) SaveArticles(ctx context.Context, articles []storyline.Article) ([]bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Store.SaveArticles(ctx, articles)
}

func (s *serialised) SaveClustering(ctx context.Context, version int64, changed []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Store.SaveClustering(ctx, version, changed, placed, merged, moved)
}
