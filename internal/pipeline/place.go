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
//
// Placing is the one stage that runs on a single goroutine, so it sets
// the pace of a run, and it must not be starved by the others. Run
// therefore stores a batch early when the placing waits for articles
// (hungry), and waits before storing more while PlaceAhead batches wait
// to be placed (room): storing far ahead only took CPU from the placing
// and left it a long tail to place alone after the last save, on one
// core with the others idle.
type placing struct {
	ctx      context.Context
	cancel   context.CancelFunc
	store    storyline.Store
	p        *Placer
	batch    int
	progress func(int)

	mu       sync.Mutex
	unplaced int        // stored articles not placed yet, as far as this run knows
	old      int        // of them, those stored before the run
	gone     int        // articles placed during the run
	last     bool       // Run is done: place everything
	idle     bool       // the placing waits for a batch to be stored
	over     bool       // the placing ended
	wake     *sync.Cond // the placing waits on it, and so does room

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
		unplaced: articles - placed, old: articles - placed, done: make(chan struct{})}
	pl.wake = sync.NewCond(&pl.mu)
	go pl.run()
	return pl, nil
}

// PlaceAhead is how many batches of stored articles Run lets wait to be
// placed, the one being placed included, before it stores more: two
// keep the next batch stored while one is placed (its entities are
// resolved meanwhile), and a third lets extraction and storing go on
// while the placing saves.
const PlaceAhead = 3

// stored tells that a save created n articles.
func (pl *placing) stored(n int) {
	if n == 0 {
		return
	}
	pl.mu.Lock()
	pl.unplaced += n
	pl.mu.Unlock()
	pl.wake.Broadcast()
}

// hungry tells whether the placing waits for articles and would place a
// batch if the k articles Run holds were stored now. Some may turn out
// to be copies of stored ones, and then it waits on: so that a stream of
// copies is not stored an article at a time, k must be an eighth of a
// store batch at least.
func (pl *placing) hungry(k, storeBatch int) bool {
	if k < storeBatch/8 {
		return false
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return pl.idle && pl.unplaced+k >= pl.batch
}

// room waits while PlaceAhead batches or more of the articles the run
// stored wait to be placed, unless the placing ended or the run is
// cancelled. Articles left unplaced by an earlier run (placed first) do
// not count: a backlog the run did not make does not hold its storing.
func (pl *placing) room() {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for pl.unplaced-max(0, pl.old-pl.gone) >= PlaceAhead*pl.batch && !pl.over && pl.ctx.Err() == nil {
		pl.wake.Wait()
	}
}

// placedSome counts n more articles placed, and wakes a Run waiting for
// room.
func (pl *placing) placedSome(n int) {
	pl.mu.Lock()
	pl.unplaced -= n
	pl.gone += n
	pl.mu.Unlock()
	pl.wake.Broadcast()
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
	pl.wake.Broadcast()
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
	defer func() {
		pl.mu.Lock()
		pl.over = true
		pl.mu.Unlock()
		pl.wake.Broadcast()
	}()
	stop := context.AfterFunc(pl.ctx, func() {
		pl.mu.Lock()
		pl.wake.Broadcast()
		pl.mu.Unlock()
	})
	defer stop()
	for {
		pl.mu.Lock()
		for !pl.last && pl.unplaced < pl.batch && pl.ctx.Err() == nil {
			pl.idle = true
			pl.wake.Wait()
		}
		pl.idle = false
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
		counted := 0 // of this call's placements, by placedSome
		n, err := pl.p.place(pl.ctx, pl.store, func(k int) {
			pl.placedSome(k - counted)
			counted = k
			if pl.progress != nil {
				pl.progress(pl.placed + k)
			}
		}, batches, pl.storedAll)
		pl.took += time.Since(start)
		pl.placed += n
		pl.placedSome(n - counted)
		if err != nil {
			// the run goes on storing, as it would before placing
			pl.err = err
			return
		}
		if last {
			return
		}
		if n == 0 {
			// fewer than a batch after all (another process placed some):
			// wait for the next save
			pl.mu.Lock()
			pl.unplaced = pl.batch - 1
			pl.mu.Unlock()
		}
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
