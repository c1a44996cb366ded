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
