package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/storetest"
)

func art(id, title, text string) storyline.Article {
	return storyline.Article{ID: id, Source: id + ".txt", Title: title, Outlet: "Coast Times", Text: text,
		Published: time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC), PublishedClock: true, Language: "en",
		Removed: []storyline.RemovedLine{{Line: "Subscribe now", Reason: "promotion"}}}
}

// databaseAt makes a database at path as storyline left it at schema
// version n (the first n migrations), for tests of the migrations after.
// The caller closes it.
func databaseAt(t *testing.T, path string, n int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	qs := []string{`CREATE TABLE schema_version (version INTEGER NOT NULL)`, fmt.Sprintf(`INSERT INTO schema_version VALUES (%d)`, n)}
	for _, q := range append(qs, migrations[:n]...) {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// storeOld inserts n articles, old1 to oldn, into a database made by
// databaseAt, as a store of its schema had stored them.
func storeOld(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		if _, err := db.ExecContext(context.Background(), `INSERT INTO articles (id, source, text, ingested_at) VALUES (?, ?, ?, '2025-01-01T00:00:00Z')`,
			fmt.Sprint("old", i), fmt.Sprint(i, ".txt"), fmt.Sprint("Old article number ", i)); err != nil {
			t.Fatal(err)
		}
	}
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

func TestRetryBusy(t *testing.T) {
	ctx := context.Background()
	busy := errors.New("schema: database is locked (5) (SQLITE_BUSY)")
	calls := 0
	// busy twice, then through: three calls, no error
	err := retryBusy(ctx, 5, time.Millisecond, func() error {
		if calls++; calls < 3 {
			return busy
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("busy twice: err %v after %d calls, want nil after 3", err, calls)
	}
	// busy every time: gives up after the tries with the busy error
	calls = 0
	if err := retryBusy(ctx, 4, time.Millisecond, func() error { calls++; return busy }); err != busy || calls != 4 {
		t.Errorf("always busy: err %v after %d calls, want the busy error after 4", err, calls)
	}
	// another error: returned at once
	calls = 0
	other := errors.New("no such table")
	if err := retryBusy(ctx, 4, time.Millisecond, func() error { calls++; return other }); err != other || calls != 1 {
		t.Errorf("other error: err %v after %d calls, want it after 1", err, calls)
	}
	// a cancelled context ends the waiting
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := retryBusy(cctx, 4, time.Hour, func() error { return busy }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
}

// The search index holds every stored article once: articles indexed by
// the trigger before migration 6 and those SaveArticles indexes after it,
// with copies (within a batch and of stored articles) not indexed again.
func TestSearchIndexMatchesArticles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.db")
	db := databaseAt(t, path, 5)
	if _, err := db.ExecContext(ctx, `INSERT INTO articles (id, source, outlet, title, text, ingested_at) VALUES ('old', 'old.txt', 'Coast Times', 'Ferry', 'The lighthouse ferry sailed before the upgrade.', '2025-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := open(t, path)
	a := art("a", "Harbour", "The lighthouse keeper counted the harbour boats.")
	b := art("b", "Quay", "A lighthouse stood on the quay of the old port.")
	copyOfA := a
	copyOfA.Source = "elsewhere.txt"
	created, err := s.SaveArticles(ctx, []storyline.Article{a, b, copyOfA})
	if err != nil {
		t.Fatal(err)
	}
	if !created[0] || !created[1] || created[2] {
		t.Fatalf("created = %v, want [true true false]", created)
	}
	if created, err = s.SaveArticles(ctx, []storyline.Article{b}); err != nil || created[0] {
		t.Fatalf("saving b again: created %v, %v", created, err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("the search index does not match the articles: %v", err)
	}
	hits, err := s.Search(ctx, "lighthouse", 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, h := range hits {
		got[h.ID]++
	}
	if len(hits) != 3 || got["old"] != 1 || got["a"] != 1 || got["b"] != 1 {
		t.Errorf("search hits %v, want old, a and b once each", got)
	}
	if hits, err := s.Search(ctx, "quay", 10); err != nil || len(hits) != 1 || hits[0].ID != "b" {
		t.Errorf("search quay: %v, %v", hits, err)
	}
}

// Migration 7 makes the search index merge sixteen segments at a time,
// in a new database and in one made before it; the index still holds
// every article, after enough batches that segments were merged.
func TestSearchIndexMergesSixteenAtATime(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v6.db")
	db := databaseAt(t, path, 6)
	db.Close()
	for _, s := range []*Store{open(t, path), open(t, ":memory:")} {
		var automerge int
		if err := s.db.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'automerge'`).Scan(&automerge); err != nil || automerge != 16 {
			t.Fatalf("automerge %d, %v; want 16", automerge, err)
		}
		// one segment per batch: 40 batches merge some
		for b := 0; b < 40; b++ {
			batch := []storyline.Article{art(fmt.Sprint("a", b), "Harbour", fmt.Sprintf("The lighthouse keeper counted %d boats in batch %d.", b, b)),
				art(fmt.Sprint("b", b), "Quay", fmt.Sprintf("Quay number %d of the port.", b))}
			if _, err := s.SaveArticles(ctx, batch); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')`); err != nil {
			t.Fatalf("the search index does not match the articles: %v", err)
		}
		if hits, err := s.Search(ctx, "lighthouse", 100); err != nil || len(hits) != 40 {
			t.Errorf("search lighthouse: %d hits, %v; want 40", len(hits), err)
		}
		if hits, err := s.Search(ctx, "quay 17", 100); err != nil || len(hits) != 1 || hits[0].ID != "b17" {
			t.Errorf("search quay 17: %v, %v", hits, err)
		}
	}
}

// TestUnplacedKeptByTriggers checks that a database made before migration
// 8 gets its unplaced articles listed, and that the list follows the
// articles stored and placed after it: the batch to place is read from it.
func TestUnplacedKeptByTriggers(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v7.db")
	db := databaseAt(t, path, 7)
	// five articles stored before, the second and fourth placed
	storeOld(t, db, 5)
	for _, id := range []string{"old2", "old4"} {
		if _, err := db.ExecContext(ctx, `INSERT INTO assignments (article_id, event_id, story_id) VALUES (?, 'e', 's')`, id); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := open(t, path)
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3", "old5"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{art("new1", "Harbour", "A new article."), art("old3", "Harbour", "Old article number 3")}); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3", "old5", "new1"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after storing: %v, want %v", got, want)
	}
	v, err := s.ClusteringVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "old3", Event: "e", Story: "s"}, {Article: "new1", Event: "e", Story: "s"}}
	if _, err := s.SaveClustering(ctx, v, nil, placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old5"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after placing: %v, want %v", got, want)
	}
	_, _, first, err := s.Clustering(ctx, -1, 1)
	if err != nil || len(first) != 1 || first[0].ID != "old1" || first[0].Text != "Old article number 1" {
		t.Fatalf("first unplaced: %v, %v", first, err)
	}
}

// TestMigrationDropsIndexesNotRead checks that a database made before
// migration 9 loses the two indexes that storing wrote and no query read
// (articles by published, unplaced by article ID), keeps its unplaced
// articles, and that placing an article still takes it off the list.
func TestMigrationDropsIndexesNotRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v8.db")
	db := databaseAt(t, path, 8)
	for i := 1; i <= 4; i++ {
		if _, err := db.ExecContext(ctx, `INSERT INTO articles (id, source, text, published, ingested_at) VALUES (?, ?, ?, ?, '2025-01-01T00:00:00Z')`,
			fmt.Sprint("old", i), fmt.Sprint(i, ".txt"), fmt.Sprint("Old article number ", i), fmt.Sprintf("2025-01-0%dT00:00:00Z", 5-i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO assignments (article_id, event_id, story_id) VALUES ('old2', 'e', 's')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := open(t, path)
	indexes := func(table string) []string {
		t.Helper()
		rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`, table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		return names
	}
	if got, want := indexes("articles"), []string{"sqlite_autoindex_articles_1"}; !slices.Equal(got, want) {
		t.Errorf("indexes on articles: %v, want %v (the unique ID only)", got, want)
	}
	if got := indexes("unplaced"); len(got) != 0 {
		t.Errorf("indexes on unplaced: %v, want none", got)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3", "old4"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{art("new1", "Harbour", "A new article."), art("new2", "Quay", "Another new article.")}); err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "old3", Event: "e", Story: "s"}, {Article: "new1", Event: "e", Story: "s"}}
	if _, err := s.SaveClustering(ctx, 0, nil, placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old4", "new2"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after storing and placing: %v, want %v", got, want)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM copies WHERE article_id = 'new2'; DELETE FROM articles WHERE id = 'new2'`); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old4"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after deleting new2: %v, want %v", got, want)
	}
}

// TestCheckpointsAtWalLimitBytes checks that every connection of
// the pool checkpoints the WAL at walLimitBytes of the file's pages,
// not at SQLite's default of 1,000 pages: in a new file (pages of
// pageBytes) and in one made with SQLite's default pages of 4 KiB.
func TestCheckpointsAtWalLimitBytes(t *testing.T) {
	ctx := context.Background()
	old := filepath.Join(t.TempDir(), "old.db")
	databaseAt(t, old, len(migrations)).Close()
	for _, c := range []struct {
		path string
		page int
	}{{filepath.Join(t.TempDir(), "t.db"), pageBytes}, {old, 4096}} {
		s := open(t, c.path)
		// two connections at once: the pragma is set on each
		c1, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, conn := range []*sql.Conn{c1, c2} {
			var n int
			if err := conn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != walLimitBytes/c.page {
				t.Errorf("pages of %d bytes: connection %d checkpoints every %d pages, want %d", c.page, i+1, n, walLimitBytes/c.page)
			}
		}
		c1.Close()
		c2.Close()
	}
}

// TestMigrationIndexesEvents checks that a database made before
// migration 10 gets an index on the assignments' event, that moving an
// event reads it (the query plan searches the index, no scan of the
// table), and that a move then takes the event's articles placed before
// the migration along.
func TestMigrationIndexesEvents(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v9.db")
	db := databaseAt(t, path, 9)
	for i := 1; i <= 3; i++ {
		if _, err := db.ExecContext(ctx, `INSERT INTO articles (id, source, text, ingested_at) VALUES (?, ?, ?, '2025-01-01T00:00:00Z')`,
			fmt.Sprint("old", i), fmt.Sprint(i, ".txt"), fmt.Sprint("Old article number ", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO assignments (article_id, event_id, story_id) VALUES (?, ?, 's1')`, fmt.Sprint("old", i), fmt.Sprint("e", i%2)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := open(t, path)
	rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN UPDATE assignments SET story_id = ? WHERE event_id = ?`, "s2", "e1")
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	if len(plan) != 1 || !strings.Contains(plan[0], "USING INDEX assignments_event") {
		t.Errorf("moving an event: plan %q, want a search of the index assignments_event", plan)
	}
	if _, err := s.SaveClustering(ctx, 0, nil, nil, nil, []storyline.EventMove{{Event: "e1", Story: "s2"}}); err != nil {
		t.Fatal(err)
	}
	storetest.PlacedAs(t, s, "after moving e1", []storyline.Assignment{
		{Article: "old1", Event: "e1", Story: "s2"}, {Article: "old2", Event: "e0", Story: "s1"}, {Article: "old3", Event: "e1", Story: "s2"}})
}

// TestMigrationKeepsCopiesOfOtherSources checks that a database made
// before migration 11 loses the copy rows that repeat an article's own
// row (its first copy) and keeps those of other sources, that Copies
// answers as before the migration, and that copies stored after it (in
// the batch that stores the article, in a later one, from the article's
// own source again) come in ingestion order, each source once.
func TestMigrationKeepsCopiesOfOtherSources(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v10.db")
	db := databaseAt(t, path, 10)
	for _, q := range []string{
		`INSERT INTO articles (id, source, url, outlet, title, published, text, ingested_at) VALUES
			('x', 'x.txt', 'https://coast.example/x', 'Coast Times', 'Bridge', '2025-03-04T09:30:00Z', 'The bridge reopened.', '2025-03-04T10:00:00Z'),
			('y', 'y.txt', '', 'Coast Times', 'Ferry', '', 'The ferry sailed.', '2025-03-04T10:00:00Z')`,
		`INSERT INTO copies (article_id, source, url, outlet, title, published, ingested_at) VALUES
			('x', 'x.txt', 'https://coast.example/x', 'Coast Times', 'Bridge', '2025-03-04T09:30:00Z', '2025-03-04T10:00:00Z'),
			('y', 'y.txt', '', 'Coast Times', 'Ferry', '', '2025-03-04T10:00:00Z'),
			('x', 'wire.txt', 'https://wire.example/1', 'Harbour Wire', 'Bridge open', '', '2025-03-05T10:00:00Z')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := open(t, path)
	var rows int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM copies`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("copy rows after the migration: %d, %v; want 1 (wire.txt)", rows, err)
	}
	x := storyline.Copy{Article: "x", Source: "x.txt", URL: "https://coast.example/x", Outlet: "Coast Times", Title: "Bridge", Published: "2025-03-04T09:30:00Z"}
	wire := storyline.Copy{Article: "x", Source: "wire.txt", URL: "https://wire.example/1", Outlet: "Harbour Wire", Title: "Bridge open"}
	copies := func(id string) []storyline.Copy {
		t.Helper()
		cs, err := s.Copies(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	if got, want := copies("x"), []storyline.Copy{x, wire}; !slices.Equal(got, want) {
		t.Errorf("copies of x after the migration:\n%+v\nwant\n%+v", got, want)
	}
	if got, want := copies("y"), []storyline.Copy{{Article: "y", Source: "y.txt", Outlet: "Coast Times", Title: "Ferry"}}; !slices.Equal(got, want) {
		t.Errorf("copies of y after the migration: %+v, want %+v", got, want)
	}
	// z and a copy of it in one batch, with copies of x from its own
	// source, from wire.txt again and from a third source
	z := art("z", "Quay", "The quay was rebuilt.")
	zCopy := z
	zCopy.Source, zCopy.Outlet = "z-copy.txt", "Other Outlet"
	xOwn := art("x", "Bridge again", "The bridge reopened.")
	xOwn.Source = "x.txt"
	xWire := art("x", "Bridge", "The bridge reopened.")
	xWire.Source = "wire.txt"
	xThird := art("x", "Third bridge", "The bridge reopened.")
	xThird.Source = "third.txt"
	created, err := s.SaveArticles(ctx, []storyline.Article{z, zCopy, xOwn, xWire, xThird})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(created, []bool{true, false, false, false, false}) {
		t.Errorf("created %v, want only z", created)
	}
	third := storyline.Copy{Article: "x", Source: "third.txt", Outlet: "Coast Times", Title: "Third bridge", Published: "2025-03-04T09:30:00Z"}
	if got, want := copies("x"), []storyline.Copy{x, wire, third}; !slices.Equal(got, want) {
		t.Errorf("copies of x:\n%+v\nwant\n%+v", got, want)
	}
	zc := storyline.Copy{Article: "z", Source: "z.txt", Outlet: "Coast Times", Title: "Quay", Published: "2025-03-04T09:30:00Z"}
	zcc := zc
	zcc.Source, zcc.Outlet = "z-copy.txt", "Other Outlet"
	if got, want := copies("z"), []storyline.Copy{zc, zcc}; !slices.Equal(got, want) {
		t.Errorf("copies of z:\n%+v\nwant\n%+v", got, want)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM copies WHERE article_id = 'z'`).Scan(&rows); err != nil || rows != 1 {
		t.Errorf("copy rows of z: %d, %v; want 1 (its own source is its article row)", rows, err)
	}
	if got := copies("nope"); len(got) != 0 {
		t.Errorf("copies of a missing article: %+v", got)
	}
}

// TestMigrationPlacesBySeq checks that a database made before migration
// 12 keeps its placements, in placement order (not the order the
// articles were stored in), that its placements are then unique by the
// article's seq (no index on the article's ID is left to write), and
// that placing after it takes articles off the unplaced list, leaves an
// article placed before where it was, and refuses an unknown article.
func TestMigrationPlacesBySeq(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v11.db")
	db := databaseAt(t, path, 11)
	storeOld(t, db, 4)
	for _, id := range []string{"old3", "old1"} { // placed in this order
		if _, err := db.ExecContext(ctx, `INSERT INTO assignments (article_id, event_id, story_id, copy_of) VALUES (?, 'e-'||?, 's1', '')`, id, id); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := open(t, path)
	storetest.PlacedAs(t, s, "after the migration", []storyline.Assignment{
		{Article: "old3", Event: "e-old3", Story: "s1"}, {Article: "old1", Event: "e-old1", Story: "s1"}})
	if got, want := storetest.Unplaced(t, s), []string{"old2", "old4"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	var unique string
	if err := s.db.QueryRowContext(ctx, `SELECT group_concat(name) FROM pragma_index_info('sqlite_autoindex_assignments_1')`).Scan(&unique); err != nil || unique != "article_seq" {
		t.Errorf("the unique index of assignments is on %q, %v; want article_seq", unique, err)
	}
	var byID int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master m, pragma_index_info(m.name) i
		WHERE m.type = 'index' AND m.tbl_name = 'assignments' AND i.name = 'article_id'`).Scan(&byID); err != nil || byID != 0 {
		t.Errorf("%d indexes of assignments on article_id, %v; want none", byID, err)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{art("new1", "Harbour", "A new article.")}); err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "new1", Event: "e-new1", Story: "s2"}, {Article: "old1", Event: "e-moved", Story: "s9"}, {Article: "old4", Event: "e-old4", Story: "s2", CopyOf: "old3"}}
	if _, err := s.SaveClustering(ctx, 0, nil, placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	storetest.PlacedAs(t, s, "after placing", []storyline.Assignment{
		{Article: "old3", Event: "e-old3", Story: "s1"}, {Article: "old1", Event: "e-old1", Story: "s1"},
		{Article: "new1", Event: "e-new1", Story: "s2"}, {Article: "old4", Event: "e-old4", Story: "s2", CopyOf: "old3"}})
	if got, want := storetest.Unplaced(t, s), []string{"old2"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after placing: %v, want %v", got, want)
	}
	if _, err := s.SaveClustering(ctx, 1, nil, []storyline.Assignment{{Article: "old2", Event: "e", Story: "s"}, {Article: "nope", Event: "e", Story: "s"}}, nil, nil); !errors.Is(err, storyline.ErrNotFound) {
		t.Errorf("placing an unknown article: %v, want an error wrapping ErrNotFound", err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old2"}; !slices.Equal(got, want) {
		t.Errorf("unplaced after a failed placing: %v, want %v", got, want)
	}
}

// TestNewFilesUseLargerPages checks that a new file gets pages of
// pageBytes in WAL mode, and that a file made with SQLite's default
// pages keeps them (and its data) when opened.
func TestNewFilesUseLargerPages(t *testing.T) {
	ctx := context.Background()
	settings := func(s *Store) (int, string) {
		t.Helper()
		var size int
		var mode string
		if err := s.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		return size, mode
	}
	s := open(t, filepath.Join(t.TempDir(), "new.db"))
	if size, mode := settings(s); size != pageBytes || mode != "wal" {
		t.Errorf("new file: page size %d, journal mode %s; want %d and wal", size, mode, pageBytes)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	db := databaseAt(t, path, len(migrations))
	// stored as SaveArticles stores it: the article, and its place on the unplaced list
	if _, err := db.ExecContext(ctx, `INSERT INTO articles (id, source, text, ingested_at) VALUES ('old', 'old.txt', 'An old article.', '2025-01-01T00:00:00Z');
		INSERT INTO unplaced (seq) SELECT seq FROM articles`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s = open(t, path)
	if size, mode := settings(s); size != 4096 || mode != "wal" {
		t.Errorf("file made with default pages: page size %d, journal mode %s; want 4096 and wal", size, mode)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{art("new", "Harbour", "A new article.")}); err != nil {
		t.Fatal(err)
	}
	if got := storetest.Unplaced(t, s); !slices.Equal(got, []string{"old", "new"}) {
		t.Errorf("articles of the old file: %v, want [old new]", got)
	}
}

// TestMigrationDefersPlacementsKey checks that a database made before
// migration 13 keeps its placements and its unplaced list, that storing
// after it puts the new articles on the list without the trigger that
// did, and that the placements' key to articles still holds, checked
// when the transaction commits.
func TestMigrationDefersPlacementsKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v12.db")
	db := databaseAt(t, path, 12)
	storeOld(t, db, 3)
	if _, err := db.ExecContext(ctx, `INSERT INTO assignments (article_seq, article_id, event_id, story_id) SELECT seq, id, 'e1', 's1' FROM articles WHERE id = 'old2'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := open(t, path)
	storetest.PlacedAs(t, s, "after the migration", []storyline.Assignment{{Article: "old2", Event: "e1", Story: "s1"}})
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	var triggers int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles' AND sql LIKE '%AFTER INSERT%'`).Scan(&triggers); err != nil || triggers != 0 {
		t.Errorf("%d insert triggers on articles, %v; want none", triggers, err)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{art("new1", "Harbour", "A new article."), art("old1", "Again", "Old article number 1")}); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3", "new1"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after storing: %v, want %v", got, want)
	}
	// a placement of an article not stored: the insert passes, the commit fails
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (article_seq, article_id, event_id, story_id) VALUES (999, 'ghost', 'e', 's')`); err != nil {
		t.Fatalf("the key is checked at the insert, not deferred: %v", err)
	}
	if err := tx.Commit(); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("committing a placement of an article not stored: %v, want a foreign key failure", err)
	}
	storetest.PlacedAs(t, s, "after the failed commit", []storyline.Assignment{{Article: "old2", Event: "e1", Story: "s1"}})
	// the writing connection is left out of the failed transaction
	if _, err := s.SaveClustering(ctx, 0, nil, []storyline.Assignment{{Article: "new1", Event: "e2", Story: "s2"}}, nil, nil); err != nil {
		t.Fatalf("placing after the failed commit: %v", err)
	}
	storetest.PlacedAs(t, s, "after placing", []storyline.Assignment{{Article: "old2", Event: "e1", Story: "s1"}, {Article: "new1", Event: "e2", Story: "s2"}})
}
