package sqlite

import (
	"context"
	"database/sql"
	"errors"
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

func TestSaveIsIdempotentAndKeepsOrder(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "news db.sqlite"))
	a := art("b1", "Harbour bridge reopens", "The harbour bridge reopened on Tuesday.\n\nEngineers replaced forty cables.")
	c := art("a2", "Ferry strike ends", "The ferry strike ended after talks.")
	created, err := s.SaveArticles(ctx, []storyline.Article{a, c})
	if err != nil || len(created) != 2 || !created[0] || !created[1] {
		t.Fatalf("first save: %v %v", created, err)
	}
	created, err = s.SaveArticles(ctx, []storyline.Article{c, art("c3", "Third", "A third story about the port.")})
	if err != nil || created[0] || !created[1] {
		t.Fatalf("second save: %v %v; want [false true]", created, err)
	}
	all, err := s.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range all {
		ids = append(ids, x.ID)
	}
	if len(ids) != 3 || ids[0] != "b1" || ids[1] != "a2" || ids[2] != "c3" {
		t.Errorf("order = %v, want first stored first: [b1 a2 c3]", ids)
	}
	got, err := s.Article(ctx, "b1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != a.Title || got.Text != a.Text || !got.Published.Equal(a.Published) || !got.PublishedClock ||
		got.Language != "en" || len(got.Removed) != 1 || got.Removed[0].Reason != "promotion" {
		t.Errorf("round trip lost data:\n got %+v\nwant %+v", got, a)
	}
	if _, err := s.Article(ctx, "nope"); !errors.Is(err, storyline.ErrNotFound) {
		t.Errorf("missing article: err = %v, want ErrNotFound", err)
	}
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

func TestFailedBatchStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := open(t, ":memory:")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.SaveArticles(cctx, []storyline.Article{art("x", "T", "text one"), art("y", "U", "text two")}); err == nil {
		t.Fatal("save with a cancelled context succeeded")
	}
	if all, _ := s.Articles(ctx); len(all) != 0 {
		t.Errorf("%d articles stored by a failed batch", len(all))
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := open(t, ":memory:")
	s.SaveArticles(ctx, []storyline.Article{
		art("p", "Peacekeeping force", "Any peacekeeping force must include troops from many countries."),
		art("h", "Harbour bridge", "The harbour bridge reopened; no troops were involved."),
	})
	hits, err := s.Search(ctx, "peacekeeping", 10)
	if err != nil || len(hits) != 1 || hits[0].ID != "p" || hits[0].Published != "2025-03-04" {
		t.Fatalf("search peacekeeping: %+v %v", hits, err)
	}
	if hits, _ := s.Search(ctx, "troops", 10); len(hits) != 2 {
		t.Errorf("search troops: %d hits, want 2", len(hits))
	}
	if hits, _ := s.Search(ctx, `"bridge reopened"`, 10); len(hits) != 1 || hits[0].ID != "h" {
		t.Errorf("phrase search: %+v", hits)
	}
	// FTS5 syntax in user input is taken as words, never as an error.
	for _, q := range []string{`troops AND (`, `"unclosed`, `NEAR(a b)`, `col:value`, `*`, `-troops`, `'; DROP TABLE articles; --`} {
		if _, err := s.Search(ctx, q, 10); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	if hits, err := s.Search(ctx, "   ", 10); err != nil || len(hits) != 0 {
		t.Errorf("blank query: %v %v", hits, err)
	}
}

func TestCopiesKeepEverySource(t *testing.T) {
	ctx := context.Background()
	s := open(t, ":memory:")
	a := art("x", "Bridge", "The bridge reopened on Tuesday after repairs.")
	b := a
	b.Source, b.Outlet = "wire/copy.txt", "Harbour Wire"
	if _, err := s.SaveArticles(ctx, []storyline.Article{a, b}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{b}); err != nil { // the same source again
		t.Fatal(err)
	}
	cs, err := s.Copies(ctx, "x")
	if err != nil || len(cs) != 2 || cs[0].Source != "x.txt" || cs[1].Outlet != "Harbour Wire" || cs[1].Published != "2025-03-04T09:30:00Z" {
		t.Fatalf("copies = %+v, %v", cs, err)
	}
	if all, _ := s.Articles(ctx); len(all) != 1 {
		t.Errorf("%d articles stored, want 1", len(all))
	}
	if cs, err := s.Copies(ctx, "nope"); err != nil || len(cs) != 0 {
		t.Errorf("copies of a missing article: %v %v", cs, err)
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

func TestClusteringPlacementsAndMerges(t *testing.T) {
	ctx := context.Background()
	s := open(t, ":memory:")
	arts := []storyline.Article{art("a1", "One", "First text."), art("a2", "Two", "Second text."), art("a3", "Three", "Third text.")}
	if _, err := s.SaveArticles(ctx, arts); err != nil {
		t.Fatal(err)
	}
	state, unplaced, err := s.Clustering(ctx, 2)
	if err != nil || state != nil || len(unplaced) != 2 || unplaced[0].ID != "a1" {
		t.Fatalf("fresh store: state %v, unplaced %d, err %v", state, len(unplaced), err)
	}
	placed := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s2", CopyOf: "a1"}}
	if err := s.SaveClustering(ctx, []byte("state 1"), placed, nil); err != nil {
		t.Fatal(err)
	}
	// the next batch: the third article, and story s2 merged into s1
	state, unplaced, err = s.Clustering(ctx, 10)
	if err != nil || string(state) != "state 1" || len(unplaced) != 1 || unplaced[0].ID != "a3" {
		t.Fatalf("second batch: state %q, unplaced %v, err %v", state, unplaced, err)
	}
	err = s.SaveClustering(ctx, []byte("state 2"), []storyline.Assignment{{Article: "a3", Event: "e3", Story: "s1"}}, []storyline.StoryMerge{{From: "s2", To: "s1"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Assignments(ctx)
	if err != nil || len(got) != 3 {
		t.Fatalf("assignments %v, err %v", got, err)
	}
	want := []storyline.Assignment{{Article: "a1", Event: "e1", Story: "s1"}, {Article: "a2", Event: "e2", Story: "s1", CopyOf: "a1"}, {Article: "a3", Event: "e3", Story: "s1"}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("assignment %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	// placing an article again keeps its first place
	if err := s.SaveClustering(ctx, []byte("state 3"), []storyline.Assignment{{Article: "a1", Event: "other", Story: "other"}}, nil); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Assignments(ctx); again[0] != want[0] {
		t.Errorf("a placed article moved: %+v", again[0])
	}
	// an unknown article cannot be placed
	if err := s.SaveClustering(ctx, []byte("state 4"), []storyline.Assignment{{Article: "nope", Event: "e", Story: "s"}}, nil); err == nil {
		t.Error("an assignment of an unknown article was saved")
	}
}
