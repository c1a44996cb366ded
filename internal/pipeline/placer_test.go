package pipeline

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// reading counts the reads of the clustering state that returned parts.
type reading struct {
	storyline.Store
	reads atomic.Int64
}

func (s *reading) Clustering(ctx context.Context, have int64, limit int) ([]storyline.StatePart, int64, []storyline.Article, error) {
	parts, v, unplaced, err := s.Store.Clustering(ctx, have, limit)
	if parts != nil {
		s.reads.Add(1)
	}
	return parts, v, unplaced, err
}

// A Placer called again and again reads the saved state once, and places
// as one that never stopped does; it reads it again when another
// process saved since.
func TestPlacerKeepsTheClusteringBetweenCalls(t *testing.T) {
	ctx := context.Background()
	inner, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	ingestInto(t, inner, 0, 4)
	if _, err := PlaceStories(ctx, inner, 0, nil); err != nil { // a state to start from
		t.Fatal(err)
	}
	store := &reading{Store: inner}
	p := &Placer{}
	for k := 0; k < 3; k++ {
		ingestInto(t, inner, 4+4*k, 8+4*k)
		if n, err := p.Place(ctx, store, nil); err != nil || n != 4 {
			t.Fatalf("call %d: placed %d, %v; want 4", k, n, err)
		}
	}
	if r := store.reads.Load(); r != 1 {
		t.Errorf("the state was read %d times in three calls, want once", r)
	}
	// another process places: the next call reads the state again
	ingestInto(t, inner, 16, 18)
	if n, err := PlaceStories(ctx, inner, 0, nil); err != nil || n != 2 {
		t.Fatalf("the other process placed %d, %v", n, err)
	}
	ingestInto(t, inner, 18, 20)
	if n, err := p.Place(ctx, store, nil); err != nil || n != 2 {
		t.Fatalf("after the other process: placed %d, %v; want 2", n, err)
	}
	if r := store.reads.Load(); r != 2 {
		t.Errorf("the state was read %d times, want twice", r)
	}
	got := placedOnce(t, inner, 20)

	// the same batches, each placed by a new process reading the state
	again, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for _, r := range [][2]int{{0, 4}, {4, 8}, {8, 12}, {12, 16}, {16, 18}, {18, 20}} {
		ingestInto(t, again, r[0], r[1])
		if _, err := PlaceStories(ctx, again, 0, nil); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := again.Assignments(ctx)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("placed by one Placer:\n%v\nby processes reading the state:\n%v", got, want)
	}
}

// A yielding Placer leaves the placing to a process that is placing
// already, and places itself when nobody does.
func TestYieldingPlacer(t *testing.T) {
	ctx := context.Background()
	inner, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	ingestInto(t, inner, 0, 4)
	store := &reading{Store: inner}
	p := &Placer{Yield: true, YieldWait: 50 * time.Millisecond}
	// the first call waits for a placing process; the next, seeing none, places
	if n, err := p.Place(ctx, store, nil); err != nil || n != 0 || !p.Waiting() {
		t.Fatalf("first call: placed %d, %v, waiting %v; want it to wait for another process", n, err, p.Waiting())
	}
	if n, err := p.Place(ctx, store, nil); err != nil || n != 4 || p.Waiting() {
		t.Fatalf("nobody else placing: placed %d, %v, waiting %v; want 4", n, err, p.Waiting())
	}
	// it placed last: it goes on at once
	ingestInto(t, inner, 4, 6)
	if n, err := p.Place(ctx, store, nil); err != nil || n != 2 {
		t.Fatalf("placing again: placed %d, %v; want 2", n, err)
	}
	// someone else places, and goes on saving while this one is asked to place
	ingestInto(t, inner, 6, 8)
	if _, err := PlaceStories(ctx, inner, 0, nil); err != nil {
		t.Fatal(err)
	}
	ingestInto(t, inner, 8, 10)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			v, err := inner.ClusteringVersion(ctx)
			if err == nil {
				inner.SaveClustering(ctx, v, nil, nil, nil, nil) // moves the version on, as a process placing does
			}
		}
	})
	reads := store.reads.Load()
	for k := 0; k < 3; k++ {
		if n, err := p.Place(ctx, store, nil); err != nil || n != 0 || !p.Waiting() {
			t.Errorf("call %d while another process saves: placed %d (%v), waiting %v; want it left to the other", k, n, err, p.Waiting())
		}
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if r := store.reads.Load() - reads; r != 0 {
		t.Errorf("the state was read %d times while another process placed", r)
	}
	// the other stopped: within a few calls this one places the two left
	placed := 0
	for k := 0; k < 3 && placed == 0; k++ {
		n, err := p.Place(ctx, store, nil)
		if err != nil {
			t.Fatal(err)
		}
		placed = n
	}
	if placed != 2 || p.Waiting() {
		t.Errorf("once the other stopped: placed %d, waiting %v; want 2", placed, p.Waiting())
	}
	placedOnce(t, inner, 10)
}

// Workers placing with yielding Placers, each after storing its own
// articles: whoever places, every article is placed once and none is left.
func TestYieldingPlacersPlaceEverything(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	first, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	inProcesses(t, path, 3, func(w int, s storyline.Store) error {
		p := &Placer{Batch: 3, Yield: true, YieldWait: 20 * time.Millisecond}
		for k := 0; k < 3; k++ {
			from := 20*w + 5*k
			ingestInto(t, s, from, from+5)
			if _, err := p.Place(ctx, s, nil); err != nil {
				return err
			}
		}
		for p.Waiting() { // idle, as a worker whose queue is empty
			if _, err := p.Place(ctx, s, nil); err != nil {
				return err
			}
		}
		return nil
	})
	placedOnce(t, first, 45)
	if _, _, unplaced, err := first.Clustering(ctx, -1, 0); err != nil || len(unplaced) != 0 {
		t.Errorf("%d unplaced (%v)", len(unplaced), err)
	}
}

// A yielding Placer waits longer for another process's save when the
// saves it saw were slow, so that a process placing slowly (under load,
// or with a large state) is not taken over at every batch; one slow save
// is soon forgotten, and the wait is bounded.
func TestYieldWaitFollowsTheSavesSeen(t *testing.T) {
	p := &Placer{Yield: true, YieldWait: 100 * time.Millisecond}
	if w := p.turnWait(); w != 100*time.Millisecond {
		t.Fatalf("before any save seen: wait %v, want YieldWait", w)
	}
	p.sawSave(20 * time.Millisecond) // quick saves: YieldWait stands
	if w := p.turnWait(); w != 100*time.Millisecond {
		t.Errorf("after quick saves: wait %v, want YieldWait", w)
	}
	p.sawSave(time.Second)
	if w := p.turnWait(); w != 3*time.Second {
		t.Errorf("after a save a second apart: wait %v, want 3s", w)
	}
	for range 30 { // quick saves: the slow one is still remembered
		p.sawSave(20 * time.Millisecond)
	}
	if w := p.turnWait(); w < time.Second {
		t.Errorf("after thirty quick saves: wait %v, want the slow save still counted", w)
	}
	for range 300 { // many quick saves: the slow one fades
		p.sawSave(20 * time.Millisecond)
	}
	if w := p.turnWait(); w != 100*time.Millisecond {
		t.Errorf("after 330 quick saves: wait %v, want YieldWait again", w)
	}
	p.sawSave(time.Hour)
	if w := p.turnWait(); w != MaxYieldWait {
		t.Errorf("after a save an hour apart: wait %v, want MaxYieldWait", w)
	}
	if w := (&Placer{}).turnWait(); w != DefaultYieldWait {
		t.Errorf("zero Placer: wait %v, want DefaultYieldWait", w)
	}
}

// The Placer that placed last leads: a worker lets it place what other
// workers stored. Once another process saved, it no longer leads, and
// when it finds nothing left to place it lets its stale state go without
// reading the saved one.
func TestLeadingPlacer(t *testing.T) {
	ctx := context.Background()
	inner, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	store := &reading{Store: inner}
	p := &Placer{Yield: true, YieldWait: 10 * time.Millisecond}
	if p.Leading() {
		t.Fatal("a new Placer leads")
	}
	ingestInto(t, inner, 0, 4)
	for k := 0; k < 5 && !p.Leading(); k++ {
		if _, err := p.Place(ctx, store, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(15 * time.Millisecond)
	}
	if !p.Leading() {
		t.Fatal("a Placer that placed does not lead")
	}
	// articles another worker stored: the leader places them at once
	ingestInto(t, inner, 4, 6)
	if n, err := p.Place(ctx, store, nil); err != nil || n != 2 || !p.Leading() {
		t.Fatalf("the leader placing others' articles: placed %d, %v, leading %v; want 2", n, err, p.Leading())
	}
	// another process places
	ingestInto(t, inner, 6, 8)
	if _, err := PlaceStories(ctx, inner, 0, nil); err != nil {
		t.Fatal(err)
	}
	reads := store.reads.Load()
	for k := 0; k < 5 && (p.Leading() || p.Waiting()); k++ {
		if n, err := p.Place(ctx, store, nil); err != nil || n != 0 {
			t.Fatalf("call %d after another process placed everything: placed %d, %v", k, n, err)
		}
		time.Sleep(15 * time.Millisecond)
	}
	if p.Leading() || p.Waiting() {
		t.Errorf("after another process placed everything: leading %v, waiting %v; want neither", p.Leading(), p.Waiting())
	}
	if r := store.reads.Load() - reads; r != 0 {
		t.Errorf("the saved state was read %d times with nothing to place", r)
	}
	placedOnce(t, inner, 8)
}
