package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
)

// TestCheckpointerCopiesTheWALAfterACommit checks that pages committed
// reach the database file without another commit and without the WAL
// growing to walLimitBytes: the store's checkpointer copies them within
// its interval.
func TestCheckpointerCopiesTheWALAfterACommit(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s := open(t, path)
	before := fileSize(t, path)
	var arts []storyline.Article
	for i := range 200 {
		arts = append(arts, art(fmt.Sprintf("a%03d", i), fmt.Sprintf("Harbour note %d", i),
			fmt.Sprintf("The harbour board met on day %d and spoke about the ferry, the pier and the tides.", i)))
	}
	if _, err := s.SaveArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5*checkpointEvery + 5*time.Second)
	for fileSize(t, path) <= before {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is still %d bytes: the committed pages were not checkpointed", before)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// the file holds them: another connection reads them without the WAL's help
	got, err := s.Article(ctx, "a123")
	if err != nil || got.Title != "Harbour note 123" {
		t.Fatalf("after the checkpoint: %+v, %v", got, err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestCheckpointerStopsAtClose checks that Close stops the checkpointer
// even while commits keep asking for checkpoints, and that a store
// closed and opened again has everything committed.
func TestCheckpointerStopsAtClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if _, err := s.SaveArticles(ctx, []storyline.Article{art(fmt.Sprintf("b%02d", i), "Pier", "The pier opened again.")}); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	s2 := open(t, path)
	n, _, err := s2.Counts(ctx)
	if err != nil || n != 20 {
		t.Fatalf("reopened: %d articles, %v; want 20", n, err)
	}
}

// TestWritesShareOneConnection checks that the store's writes go through
// one connection, which keeps its page cache between transactions, and
// that writers in several goroutines take turns on it: every save
// succeeds, none meets a locked database.
func TestWritesShareOneConnection(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "t.db"))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				id := fmt.Sprintf("g%d-%d", g, i)
				if _, err := s.SaveArticles(ctx, []storyline.Article{art(id, "Tides", "The tides were high on "+id+".")}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _, err := s.Counts(ctx); err != nil || n != 80 {
		t.Fatalf("%d articles, %v; want 80", n, err)
	}
	if st := s.w.Stats(); st.MaxOpenConnections != 1 || st.OpenConnections != 1 {
		t.Errorf("writing connections: %d open, at most %d; want one", st.OpenConnections, st.MaxOpenConnections)
	}
}
