package pipeline

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// logging is a store that records the sizes of the batches placed.
type logging struct {
	storyline.Store
	mu       sync.Mutex
	sizes    []int
	placed   chan struct{} // closed at the first batch placed
	failWith error         // SaveClustering's error, when set
}

func (s *logging) SaveClustering(ctx context.Context, version int64, changed []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	if s.failWith != nil {
		return 0, s.failWith
	}
	v, err := s.Store.SaveClustering(ctx, version, changed, placed, merged, moved)
	if err == nil {
		s.mu.Lock()
		if len(s.sizes) == 0 {
			close(s.placed)
		}
		s.sizes = append(s.sizes, len(placed))
		s.mu.Unlock()
	}
	return v, err
}

func memStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Run with Options.Place places while it stores (the run waits after its
// 25th document for a batch placed, and it comes), in the batches PlaceStories makes
// after the run, articles left unplaced before the run included: the same
// stories.
func TestRunPlacesWhileItStores(t *testing.T) {
	ctx := context.Background()
	dir := corpus(t, 30)

	// before: store, then place
	want := memStore(t)
	ingestInto(t, want, 100, 103) // stored, not placed
	if _, err := Run(ctx, &ingest.Reader{}, []string{dir}, want, Options{BatchSize: 4, Now: now}); err != nil {
		t.Fatal(err)
	}
	wantLog := &logging{Store: want, placed: make(chan struct{})}
	if n, err := PlaceStories(ctx, wantLog, 7, nil); err != nil || n != 33 {
		t.Fatalf("PlaceStories: %d, %v", n, err)
	}
	wantAs, _ := want.Assignments(ctx)

	for _, workers := range []int{1, 3} {
		got := memStore(t)
		ingestInto(t, got, 100, 103)
		log := &logging{Store: got, placed: make(chan struct{})}
		var progress []int
		held := false
		hold := func(done int) {
			if done != 25 { // 24 stored: 3 + 24 unplaced, three batches
				return
			}
			select {
			case <-log.placed:
				held = true
			case <-time.After(20 * time.Second):
			}
		}
		sum, err := Run(ctx, &ingest.Reader{}, []string{dir}, log, Options{Workers: workers, BatchSize: 4, Now: now, Progress: hold,
			Place: &Placer{Batch: 7}, PlaceProgress: func(n int) { progress = append(progress, n) }})
		if err != nil {
			t.Fatal(err)
		}
		if sum.New != 30 || sum.Duplicates != 1 || sum.Placed != 33 || sum.Placing <= 0 {
			t.Errorf("workers %d: summary new %d, copies %d, placed %d in %v; want 30, 1, 33", workers, sum.New, sum.Duplicates, sum.Placed, sum.Placing)
		}
		if !held {
			t.Errorf("workers %d: nothing was placed while the articles were being stored", workers)
		}
		if !reflect.DeepEqual(log.sizes, wantLog.sizes) || !reflect.DeepEqual(log.sizes, []int{7, 7, 7, 7, 5}) {
			t.Errorf("workers %d: batches placed %v, PlaceStories after the run %v; want 7, 7, 7, 7, 5", workers, log.sizes, wantLog.sizes)
		}
		if !reflect.DeepEqual(progress, []int{7, 14, 21, 28, 33}) {
			t.Errorf("workers %d: progress %v", workers, progress)
		}
		gotAs := placedOnce(t, got, 33)
		if !reflect.DeepEqual(gotAs, wantAs) {
			t.Errorf("workers %d: placed while storing:\n%v\nafter storing:\n%v", workers, gotAs, wantAs)
		}
	}
}

// A placing that fails does not stop the storing, and Run returns its
// error; the articles stay unplaced for the next run.
func TestRunPlacingFails(t *testing.T) {
	ctx := context.Background()
	dir := corpus(t, 20)
	store := memStore(t)
	log := &logging{Store: store, placed: make(chan struct{}), failWith: errors.New("disk full")}
	sum, err := Run(ctx, &ingest.Reader{}, []string{dir}, log, Options{BatchSize: 4, Now: now, Place: &Placer{Batch: 5}})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "stories") {
		t.Errorf("err = %v, want the placing's error", err)
	}
	if sum.New != 20 || sum.Placed != 0 {
		t.Errorf("stored %d, placed %d; want 20 stored, none placed", sum.New, sum.Placed)
	}
	if articles, placed, err := store.Counts(ctx); err != nil || articles != 20 || placed != 0 {
		t.Errorf("store holds %d articles, %d placed (%v)", articles, placed, err)
	}
}

// A run that fails to store stops placing too, and returns the store's
// error.
func TestRunWithPlacingStopsOnStoreError(t *testing.T) {
	dir := corpus(t, 20)
	store := &failingStore{Store: memStore(t)}
	_, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, store, Options{BatchSize: 5, Now: now, Place: &Placer{Batch: 3}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("err = %v, want the store's error", err)
	}
}

// pacing is a store that counts the articles saved and holds the first
// placement until release is closed.
type pacing struct {
	storyline.Store
	mu       sync.Mutex
	saves    []int // articles per SaveArticles call
	holding  chan struct{}
	release  chan struct{}
	heldOnce sync.Once
}

func (s *pacing) SaveArticles(ctx context.Context, articles []storyline.Article) ([]bool, error) {
	s.mu.Lock()
	s.saves = append(s.saves, len(articles))
	s.mu.Unlock()
	return s.Store.SaveArticles(ctx, articles)
}

func (s *pacing) saved() (calls, articles int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.saves {
		articles += n
	}
	return len(s.saves), articles
}

func (s *pacing) SaveClustering(ctx context.Context, version int64, changed []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	s.heldOnce.Do(func() {
		close(s.holding)
		<-s.release
	})
	return s.Store.SaveClustering(ctx, version, changed, placed, merged, moved)
}

// While the placing is held, Run stores no more than PlaceAhead batches
// ahead of it (and a store batch it began), then goes on when the
// placing does: storing far ahead would only take the placing's CPU.
func TestRunStoresBoundedlyAheadOfPlacing(t *testing.T) {
	dir := corpus(t, 60)
	store := &pacing{Store: memStore(t), holding: make(chan struct{}), release: make(chan struct{})}
	const storeBatch, placeBatch = 4, 5
	var during int
	go func() {
		<-store.holding
		time.Sleep(300 * time.Millisecond) // time enough to store all 60 unbounded
		_, during = store.saved()
		close(store.release)
	}()
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, store, Options{Workers: 2, BatchSize: storeBatch, Now: now, Place: &Placer{Batch: placeBatch}})
	if err != nil {
		t.Fatal(err)
	}
	if most := PlaceAhead*placeBatch + storeBatch - 1 + 1; during > most { // +1: the copy of an article
		t.Errorf("%d articles stored while the first batch's placing was held; want at most %d", during, most)
	}
	if sum.New != 60 || sum.Placed != 60 {
		t.Errorf("stored %d, placed %d; want 60 and 60", sum.New, sum.Placed)
	}
	placedOnce(t, store, 60)
}

// A placing that waits for articles gets a batch as soon as Run holds
// enough for one, not when the store batch is full; the batches placed
// are the same.
func TestRunStoresEarlyForAnIdlePlacing(t *testing.T) {
	dir := corpus(t, 30)
	store := &pacing{Store: memStore(t), holding: make(chan struct{}), release: make(chan struct{})}
	close(store.release)
	log := &logging{Store: store, placed: make(chan struct{})}
	hold := func(done int) {
		if done == 1 {
			time.Sleep(100 * time.Millisecond) // the placing waits by now
		}
	}
	sum, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, log, Options{Workers: 1, BatchSize: 20, Now: now, Progress: hold, Place: &Placer{Batch: 5}})
	if err != nil {
		t.Fatal(err)
	}
	if calls, _ := store.saved(); calls < 2 || store.saves[0] != 5 {
		t.Errorf("articles per save %v; want the first save to hold a placing batch (5), not a store batch (20)", store.saves)
	}
	if sum.Placed != 30 || !reflect.DeepEqual(log.sizes, []int{5, 5, 5, 5, 5, 5}) {
		t.Errorf("placed %d in batches %v; want 30 in six batches of 5", sum.Placed, log.sizes)
	}
}
