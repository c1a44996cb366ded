package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
)

func art(id, title, text string) storyline.Article {
	return storyline.Article{ID: id, Source: id + ".txt", Title: title, Outlet: "Coast Times", Text: text,
		Published: time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC), PublishedClock: true, Language: "en",
		Removed: []storyline.RemovedLine{{Line: "Subscribe now", Reason: "promotion"}}}
}

func open(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "t.db")
	s := open(t, path)
	if _, err := s.SaveArticles(ctx, []storyline.Article{art("x", "T", "Some text about the harbour.")}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := open(t, path) // migrations run again and must be no-ops
	all, err := s2.Articles(ctx)
	if err != nil || len(all) != 1 {
		t.Fatalf("after reopen: %d articles, %v", len(all), err)
	}
}

func TestMigrationBackfillsCopies(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, `INSERT INTO schema_version VALUES (1)`, migrations[0],
		`INSERT INTO articles (id, source, outlet, text, ingested_at) VALUES ('old', 'old.txt', 'Coast Times', 'An article from before copies.', '2025-01-01T00:00:00Z')`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := open(t, path)
	cs, err := s.Copies(ctx, "old")
	if err != nil || len(cs) != 1 || cs[0].Source != "old.txt" || cs[0].Outlet != "Coast Times" {
		t.Errorf("backfilled copies = %+v, %v", cs, err)
	}
}

func TestManyOpenANewFileAtOnce(t *testing.T) {
	for round := 0; round < 5; round++ {
		path := filepath.Join(t.TempDir(), "new.db")
		errs := make(chan error, 8)
		for range 8 {
			go func() {
				s, err := Open(context.Background(), path)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		for range 8 {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
