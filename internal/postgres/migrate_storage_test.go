package postgres

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/storetest"
)

// A database at schema 6 (articles stored one statement each, pglz for
// every value, a trigger run per row) migrates to storage that costs the
// server less, and nothing read changes: the values stored before read
// back as they were, an article stored after gets the same tsvector as
// the same text stored before (so the same hits, rank and snippet), and
// the list of unplaced articles follows inserts and placements of one
// statement for many rows.
func TestMigrationStoresForLessCPU(t *testing.T) {
	ctx := context.Background()
	url, conn := databaseAt(t, 6)
	// long enough to be compressed (pglz needs a quarter saved) and
	// stored out of line
	text := strings.Repeat("Café owners in Łódź cheered the harbour bridge, which reopened on Tuesday; «enfin», said Zoë. ", 60)
	bigPart := bytes.Repeat([]byte("posting list "), 20000)
	if _, err := conn.Exec(ctx, `INSERT INTO articles (id, source, title, text, published) VALUES ('old', 'old.txt', 'Bridge reopens', $1, '2025-03-04T09:30:00Z')`, text); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO clustering (id, state, version, updated_at) VALUES (1, '', 3, now())`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO clustering_parts (key, data) VALUES ('big', $1), ('small', '\x0102')`, bigPart); err != nil {
		t.Fatal(err)
	}
	var method string
	if err := conn.QueryRow(ctx, `SELECT coalesce(pg_column_compression(text), '') FROM articles WHERE id = 'old'`).Scan(&method); err != nil || method != "pglz" {
		t.Fatalf("before the migration, the text is compressed with %q (%v); want pglz, for the test to mean something", method, err)
	}
	conn.Close(ctx)

	s, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	lz4 := hasLZ4(t, s)
	storage := func(table, column string) (string, string) {
		t.Helper()
		var st, cm string
		if err := s.pool.QueryRow(ctx, `SELECT attstorage::text, attcompression::text FROM pg_attribute
			WHERE attrelid = $1::regclass AND attname = $2`, table, column).Scan(&st, &cm); err != nil {
			t.Fatal(err)
		}
		return st, cm
	}
	if st, _ := storage("articles", "search"); st != "e" {
		t.Errorf("articles.search storage %q, want e (external, not compressed)", st)
	}
	textSt, textCm := storage("articles", "text")
	partSt, partCm := storage("clustering_parts", "data")
	if lz4 && (textSt != "x" || textCm != "l" || partSt != "x" || partCm != "l") {
		t.Errorf("with lz4: articles.text %s/%q, clustering_parts.data %s/%q; want both x/l (compressed with lz4)", textSt, textCm, partSt, partCm)
	}
	if !lz4 && (textSt != "x" || textCm != "" || partSt != "e") {
		t.Errorf("without lz4: articles.text %s/%q, clustering_parts.data %s; want x/'' (pglz as before) and e (not compressed)", textSt, textCm, partSt)
	}
	t.Logf("server has lz4: %v", lz4)

	// what was stored before reads back as it was
	old, err := s.Article(ctx, "old")
	if err != nil || old.Text != text {
		t.Errorf("the text stored before the migration reads back changed (%v)", err)
	}
	parts, v, _, err := s.Clustering(ctx, -1, 1)
	if err != nil || v != 3 {
		t.Fatalf("clustering: version %d, %v", v, err)
	}
	slices.SortFunc(parts, func(a, b storyline.StatePart) int { return strings.Compare(a.Key, b.Key) })
	if len(parts) != 2 || !bytes.Equal(parts[0].Data, bigPart) || !bytes.Equal(parts[1].Data, []byte{1, 2}) {
		t.Errorf("the parts stored before the migration read back changed: %d parts", len(parts))
	}

	// the same text stored now: the same tsvector, hits, rank and snippet
	same := storyline.Article{ID: "new", Source: "new.txt", Title: "Bridge reopens", Text: text}
	if created, err := s.SaveArticles(ctx, []storyline.Article{same}); err != nil || !created[0] {
		t.Fatalf("SaveArticles: %v %v", created, err)
	}
	var equal bool
	if err := s.pool.QueryRow(ctx, `SELECT a.search = b.search FROM articles a, articles b WHERE a.id = 'old' AND b.id = 'new'`).Scan(&equal); err != nil || !equal {
		t.Errorf("the tsvector of a text stored after the migration differs from the same text's stored before (%v)", err)
	}
	if lz4 {
		if err := s.pool.QueryRow(ctx, `SELECT coalesce(pg_column_compression(text), '') FROM articles WHERE id = 'new'`).Scan(&method); err != nil || method != "lz4" {
			t.Errorf("a text stored after the migration is compressed with %q (%v), want lz4", method, err)
		}
	}
	for _, q := range []string{"cafe", "Łódź", `"harbour bridge"`, "bridge reopens", "enfin zoë"} {
		hits, err := s.Search(ctx, q, 10)
		if err != nil || len(hits) != 2 {
			t.Fatalf("Search(%q): %d hits, %v; want the article stored before and after", q, len(hits), err)
		}
		a, b := hits[0], hits[1]
		if a.Rank != b.Rank || a.Snippet != b.Snippet || a.Title != b.Title {
			t.Errorf("Search(%q): stored before and after differ:\n%+v\n%+v", q, a, b)
		}
	}

	// the unplaced list follows statements of many rows
	if got, want := storetest.Unplaced(t, s), []string{"old", "new"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after the migration: %v, want %v", got, want)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO articles (id, source, text) VALUES ('sql1', '1.txt', 'One.'), ('sql2', '2.txt', 'Two.')`); err != nil {
		t.Fatal(err)
	}
	placed := []storyline.Assignment{{Article: "new", Event: "e", Story: "s"}, {Article: "sql1", Event: "e", Story: "s"}, {Article: "new", Event: "f", Story: "t"}}
	if _, err := s.SaveClustering(ctx, 3, nil, placed, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := storetest.Unplaced(t, s), []string{"old", "sql2"}; !slices.Equal(got, want) {
		t.Fatalf("unplaced after storing two articles and placing two: %v, want %v", got, want)
	}
	storetest.PlacedAs(t, s, "placed in one statement", []storyline.Assignment{{Article: "new", Event: "e", Story: "s"}, {Article: "sql1", Event: "e", Story: "s"}})
}

// hasLZ4 tells whether the server can compress with lz4.
func hasLZ4(t *testing.T, s *Store) bool {
	t.Helper()
	ctx := context.Background()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	_, err = tx.Exec(ctx, `SET LOCAL default_toast_compression = 'lz4'`)
	return err == nil
}
