package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/postgres/pgtest"
	"github.com/storyline-news/storyline/internal/storetest"
)

// A database whose clustering state was saved whole (schema 2) keeps it
// as the part "stream" (which a stream loads and replaces by its parts).
func TestMigrationKeepsAWholeClusteringState(t *testing.T) {
	ctx := context.Background()
	url, conn := databaseAt(t, 2)
	whole := []byte{0x1f, 0, 0xff, 'w', 'h', 'o', 'l', 'e'}
	if _, err := conn.Exec(ctx, `INSERT INTO clustering (id, state, version, updated_at) VALUES (1, $1, 5, now())`, whole); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	parts, v, _, err := s.Clustering(ctx, -1, 1)
	if err != nil || v != 5 || len(parts) != 1 || parts[0].Key != "stream" || string(parts[0].Data) != string(whole) {
		t.Errorf("after the migration: %+v at version %d, %v; want the whole state as the part stream at version 5", parts, v, err)
	}
}

// A database made before the list of unplaced articles (schema 3) gets
// its unplaced articles listed, and the list follows the articles stored
// and placed after.
func TestMigrationListsTheUnplacedArticles(t *testing.T) {
	ctx := context.Background()
	s := fourOldArticlesAt(t, 3)
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3", "old4"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{{ID: "new1", Source: "n.txt", Text: "A new article."}}); err != nil {
		t.Fatal(err)
	}
	v, err := s.ClusteringVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "old3", Event: "e", Story: "s"}}
	if _, err := s.SaveClustering(ctx, v, nil, placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old4", "new1"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after storing and placing: %v, want %v", got, want)
	}
}

// A database at schema 4 loses the two indexes no query reads (on
// articles.published, on unplaced.article_id) and keeps its unplaced
// articles, and the list follows the articles stored, placed and deleted
// after.
func TestMigrationDropsIndexesNotRead(t *testing.T) {
	ctx := context.Background()
	s := fourOldArticlesAt(t, 4)
	indexes := func(table string) []string {
		t.Helper()
		rows, err := s.pool.Query(ctx, `SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname`, table)
		if err != nil {
			t.Fatal(err)
		}
		names, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return names
	}
	if got := indexes("articles"); slices.Contains(got, "articles_published") {
		t.Errorf("indexes on articles: %v, want no articles_published", got)
	}
	if got, want := indexes("unplaced"), []string{"unplaced_pkey"}; !slices.Equal(got, want) {
		t.Errorf("indexes on unplaced: %v, want %v (the seq only)", got, want)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old3", "old4"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	if _, err := s.SaveArticles(ctx, []storyline.Article{{ID: "new1", Source: "n1.txt", Text: "A new article."}, {ID: "new2", Source: "n2.txt", Text: "Another new article."}}); err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "old3", Event: "e", Story: "s"}, {Article: "new1", Event: "e", Story: "s"}}
	if _, err := s.SaveClustering(ctx, 0, nil, placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "old4", "new2"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after storing and placing: %v, want %v", got, want)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM articles WHERE id = 'old4'`); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old1", "new2"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after deleting old4: %v, want %v", got, want)
	}
}

// A database at schema 5 gets an index on the assignments' event, which
// moving an event can search (the plan with sequential scans off uses
// it; without the index it could not), and a move then takes the event's
// articles placed before the migration along.
func TestMigrationIndexesEvents(t *testing.T) {
	ctx := context.Background()
	s := fourOldArticlesAt(t, 5)
	if _, err := s.SaveClustering(ctx, 0, nil, []storyline.Assignment{{Article: "old1", Event: "e", Story: "s1"}, {Article: "old3", Event: "f", Story: "s"}}, nil, nil); err != nil {
		t.Fatal(err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query(ctx, `EXPLAIN UPDATE assignments SET story_id = $1 WHERE event_id = $2`, "s2", "e")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "assignments_event") {
		t.Errorf("moving an event: plan\n%s\nwant a scan of the index assignments_event", strings.Join(plan, "\n"))
	}
	tx.Rollback(ctx)
	if _, err := s.SaveClustering(ctx, 1, nil, nil, nil, []storyline.EventMove{{Event: "e", Story: "s2"}}); err != nil {
		t.Fatal(err)
	}
	storetest.PlacedAs(t, s, "after moving e", []storyline.Assignment{
		{Article: "old2", Event: "e", Story: "s2"}, {Article: "old1", Event: "e", Story: "s2"}, {Article: "old3", Event: "f", Story: "s"}})
}

// fourOldArticlesAt opens a database made at schema n holding the
// articles old1 to old4, old2 placed, which Open migrates.
func fourOldArticlesAt(t *testing.T, n int) *Store {
	t.Helper()
	ctx := context.Background()
	url, conn := databaseAt(t, n)
	for i := 1; i <= 4; i++ {
		if _, err := conn.Exec(ctx, `INSERT INTO articles (id, source, text) VALUES ($1, $2, $3)`,
			fmt.Sprint("old", i), fmt.Sprint(i, ".txt"), fmt.Sprint("Old article number ", i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO assignments (article_id, event_id, story_id) VALUES ('old2', 'e', 's')`); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// databaseAt makes a new database as storyline left it at schema version
// n (the first n migrations), for tests of the migrations after; it
// returns its URL and a connection to it, which the caller closes.
func databaseAt(t *testing.T, n int) (string, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	qs := []string{`CREATE TABLE schema_version (version integer NOT NULL)`, fmt.Sprintf(`INSERT INTO schema_version VALUES (%d)`, n)}
	for _, q := range append(qs, migrations[:n]...) {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return url, conn
}
