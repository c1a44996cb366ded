package pipeline

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/sqlite"
	"github.com/storyline-news/storyline/internal/story"
)

// interfering is a store whose SaveClustering first lets another process
// act (once, or every time), as a second worker would between this one's
// read and its save.
type interfering struct {
	storyline.Store
	before func() error
	always bool
	saves  int
}

func (s *interfering) SaveClustering(ctx context.Context, version int64, state []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	s.saves++
	if s.before != nil {
		if err := s.before(); err != nil {
			return 0, err
		}
		if !s.always {
			s.before = nil
		}
	}
	return s.Store.SaveClustering(ctx, version, state, placed, merged, moved)
}

func ingestInto(t *testing.T, store storyline.Store, from, to int) {
	t.Helper()
	dir := t.TempDir()
	writeArticles(t, dir, from, to)
	if _, err := Run(context.Background(), &ingest.Reader{}, []string{dir}, store, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
}

func placedOnce(t *testing.T, store storyline.Store, want int) []storyline.Assignment {
	t.Helper()
	as, err := store.Assignments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.Article] {
			t.Errorf("%s placed twice", a.Article)
		}
		seen[a.Article] = true
	}
	if len(seen) != want {
		t.Errorf("%d articles placed, want %d", len(seen), want)
	}
	return as
}

// Another process places the stored articles (and stores more) between
// this one's read and its save: the save is refused, PlaceStories reads
// again and places only what is still unplaced, against the other's state.
func TestPlaceStoriesRetriesAfterAConflict(t *testing.T) {
	conflictPause = 0
	t.Cleanup(func() { conflictPause = 10e6 })
	ctx := context.Background()
	inner, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	ingestInto(t, inner, 0, 6)
	var otherPlaced int
	var byOther []storyline.Assignment
	store := &interfering{Store: inner, before: func() error {
		n, err := PlaceStories(ctx, inner, 0, nil) // the other process: places all six
		otherPlaced = n
		byOther, _ = inner.Assignments(ctx)
		ingestInto(t, inner, 6, 9) // and three more come
		return err
	}}
	n, err := PlaceStories(ctx, store, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if otherPlaced != 6 || n != 3 || store.saves != 2 {
		t.Errorf("the other placed %d, this one %d in %d saves; want 6, then 3 after one refused save", otherPlaced, n, store.saves)
	}
	as := placedOnce(t, inner, 9)
	if _, v, unplaced, err := inner.Clustering(ctx, -1, 0); err != nil || v != 2 || len(unplaced) != 0 {
		t.Errorf("clustering at version %d with %d unplaced (%v); want version 2 (two saves that counted), none unplaced", v, len(unplaced), err)
	}
	// the articles the other process placed kept their place
	if len(as) < 6 || !slices.Equal(as[:6], byOther) {
		t.Errorf("assignments %+v\nwant the other process's first: %+v", as, byOther)
	}
}

// A store where someone else always saved first: PlaceStories gives up
// after PlaceConflicts tries with an error wrapping ErrConflict, and
// leaves the articles unplaced.
func TestPlaceStoriesGivesUpAfterConflicts(t *testing.T) {
	conflictPause = 0
	t.Cleanup(func() { conflictPause = 10e6 })
	ctx := context.Background()
	inner, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	ingestInto(t, inner, 0, 4)
	empty, err := story.NewStream(story.Options{}, 0).Changes()
	if err != nil {
		t.Fatal(err)
	}
	store := &interfering{Store: inner, always: true, before: func() error {
		_, v, _, err := inner.Clustering(ctx, -1, 1)
		if err != nil {
			return err
		}
		_, err = inner.SaveClustering(ctx, v, empty, nil, nil, nil) // moves the version on, places nothing
		return err
	}}
	n, err := PlaceStories(ctx, store, 0, nil)
	if !errors.Is(err, storyline.ErrConflict) || n != 0 || store.saves != PlaceConflicts {
		t.Fatalf("placed %d in %d saves, err %v; want an ErrConflict after %d saves", n, store.saves, err, PlaceConflicts)
	}
	placedOnce(t, inner, 0)
	if n, err := PlaceStories(ctx, inner, 0, nil); err != nil || n != 4 {
		t.Errorf("the next run placed %d, %v; want the 4 left", n, err)
	}
}

// Processes placing at once on one store (several workers, one SQLite
// file, one connection pool each): every article is placed exactly once,
// whoever places it, and none is left.
func TestPlaceStoriesConcurrently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	first, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	ingestInto(t, first, 0, 40)
	var conflicts atomic.Int64
	inProcesses(t, path, 3, func(w int, s storyline.Store) error {
		c := &counting{Store: s}
		_, err := PlaceStories(ctx, c, 5, nil)
		conflicts.Add(c.conflicts.Load())
		return err
	})
	t.Logf("%d saves refused as conflicts", conflicts.Load())
	placedOnce(t, first, 40)
	if _, _, unplaced, err := first.Clustering(ctx, -1, 0); err != nil || len(unplaced) != 0 {
		t.Errorf("%d unplaced (%v)", len(unplaced), err)
	}
}

// inProcesses runs f on n goroutines at once, each with its own store
// opened on the SQLite file at path, as n processes would, and reports
// the error each returns.
func inProcesses(t *testing.T, path string, n int, f func(w int, s storyline.Store) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for w := range errs {
		wg.Go(func() {
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				errs[w] = err
				return
			}
			defer s.Close()
			errs[w] = f(w, s)
		})
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", w, err)
		}
	}
}

// counting counts the saves refused as conflicts.
type counting struct {
	storyline.Store
	conflicts atomic.Int64
}

func (s *counting) SaveClustering(ctx context.Context, version int64, state []storyline.StatePart, placed []storyline.Assignment, merged []storyline.StoryMerge, moved []storyline.EventMove) (int64, error) {
	v, err := s.Store.SaveClustering(ctx, version, state, placed, merged, moved)
	if errors.Is(err, storyline.ErrConflict) {
		s.conflicts.Add(1)
	}
	return v, err
}
