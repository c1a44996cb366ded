package pipeline

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// countResolves makes resolve count its calls for the test.
func countResolves(t *testing.T) *atomic.Int64 {
	var n atomic.Int64
	resolve = func(docs []entity.Doc) entity.Result {
		n.Add(1)
		return entity.Resolve(docs)
	}
	t.Cleanup(func() { resolve = entity.Resolve })
	return &n
}

// inBatches returns where the articles from to to went when each batch
// of size is placed by a new process, reading the state saved before.
func inBatches(t *testing.T, to, size int) []storyline.Assignment {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ingestInto(t, s, 0, to)
	for {
		n, err := (&Placer{Batch: size}).place(ctx, s, nil, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if n, err := PlaceStories(ctx, s, size, nil); err != nil { // the last, shorter batch
		t.Fatal(err)
	} else if n != to%size {
		t.Fatalf("the last batch placed %d, want %d", n, to%size)
	}
	return placedOnce(t, s, to)
}

// A Placer resolves the entities of the next batch while it places one,
// and uses them when that batch comes next: each batch is resolved once,
// and the stories are those of batches resolved one at a time.
func TestPlacerResolvesTheNextBatchAhead(t *testing.T) {
	ctx := context.Background()
	want := inBatches(t, 14, 4)
	calls := countResolves(t)
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ingestInto(t, s, 0, 14)
	if n, err := PlaceStories(ctx, s, 4, nil); err != nil || n != 14 {
		t.Fatalf("placed %d, %v; want 14", n, err)
	}
	if c := calls.Load(); c != 4 {
		t.Errorf("%d resolutions for 4 batches, want 4 (each batch once)", c)
	}
	if got := placedOnce(t, s, 14); !reflect.DeepEqual(got, want) {
		t.Errorf("with the next batch resolved ahead:\n%v\none batch at a time:\n%v", got, want)
	}
}

// When another process placed the batch resolved ahead, a Placer throws
// those entities away and resolves the batch it places now.
func TestPlacerDropsAStaleBatchResolvedAhead(t *testing.T) {
	ctx := context.Background()
	want := inBatches(t, 14, 4)
	calls := countResolves(t)
	s, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ingestInto(t, s, 0, 14)
	p := &Placer{Batch: 4}
	if n, err := p.place(ctx, s, nil, 1, nil); err != nil || n != 4 {
		t.Fatalf("first batch: placed %d, %v", n, err)
	}
	// 0–4 now, 4–8 ahead
	<-p.ahead.done
	if c := calls.Load(); c != 2 {
		t.Fatalf("%d resolutions after the first batch, want 2", c)
	}
	// another process places 4–8 (and resolves 8–12 ahead, for nothing)
	other := &Placer{Batch: 4}
	if n, err := other.place(ctx, s, nil, 1, nil); err != nil || n != 4 {
		t.Fatalf("the other process placed %d, %v", n, err)
	}
	<-other.ahead.done
	if c := calls.Load(); c != 4 {
		t.Fatalf("%d resolutions after the other process's batch, want 4", c)
	}
	// 8–12 is not the batch p resolved ahead: it is resolved now; 12–14
	// is not a whole batch, so it is not resolved ahead of a call that
	// places only whole ones
	if n, err := p.place(ctx, s, nil, 1, nil); err != nil || n != 4 {
		t.Fatalf("after the other process: placed %d, %v", n, err)
	}
	if c := calls.Load(); c != 5 {
		t.Errorf("%d resolutions after the third batch, want 5", c)
	}
	if n, err := p.Place(ctx, s, nil); err != nil || n != 2 {
		t.Fatalf("the rest: placed %d, %v", n, err)
	}
	if got := placedOnce(t, s, 14); !reflect.DeepEqual(got, want) {
		t.Errorf("after a stale batch resolved ahead:\n%v\none batch at a time:\n%v", got, want)
	}
}

// Fewer articles than a batch after the one placed are resolved ahead
// only once the caller stored everything (Run finished storing): before,
// more may come, and the next batch would be another.
func TestPlacerResolvesTheLastBatchAheadOnceAllIsStored(t *testing.T) {
	ctx := context.Background()
	calls := countResolves(t)
	for _, all := range []bool{false, true} {
		s, err := sqlite.Open(ctx, ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ingestInto(t, s, 0, 6)
		calls.Store(0)
		p := &Placer{Batch: 4}
		if n, err := p.place(ctx, s, nil, 1, func() bool { return all }); err != nil || n != 4 {
			t.Fatalf("all stored %v: placed %d, %v; want 4", all, n, err)
		}
		if ahead := p.ahead != nil; ahead != all {
			t.Fatalf("all stored %v: the last 2 resolved ahead: %v", all, ahead)
		}
		if all {
			<-p.ahead.done
		}
		if n, err := p.Place(ctx, s, nil); err != nil || n != 2 {
			t.Fatalf("all stored %v: the rest: placed %d, %v; want 2", all, n, err)
		}
		if c := calls.Load(); c != 2 {
			t.Errorf("all stored %v: %d resolutions for 2 batches, want 2", all, c)
		}
		placedOnce(t, s, 6)
	}
}
