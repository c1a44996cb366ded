package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

// wordyBatch returns n articles of 400 words each, drawn from 20,000
// made-up words by a fixed generator, and how many of them contain the
// word "w0": together about 3 MiB of search index, more than FTS5's
// default hashsize (1 MiB) and less than ftsHashBytes.
func wordyBatch(n int) ([]storyline.Article, int) {
	x := uint64(1)
	next := func() uint64 { // xorshift64
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	arts := make([]storyline.Article, n)
	with := 0
	for i := range arts {
		var b strings.Builder
		has := false
		for w := 0; w < 400; w++ {
			k := next() % 20000
			has = has || k == 0
			fmt.Fprintf(&b, "w%d ", k)
		}
		if has {
			with++
		}
		arts[i] = art(fmt.Sprint("id", i), fmt.Sprint("Title ", i), b.String())
	}
	return arts, with
}

// SaveArticles' batch of 2,000 articles (pipeline.StoreBatch) goes into the
// search index as one segment, in a new database and in one made before
// the hashsize was set, and the index holds every article: FTS5 writes a
// segment whenever its pending index outgrows the hashsize, and every
// segment is rewritten by merges later.
func TestBatchIndexedAsOneSegment(t *testing.T) {
	ctx := context.Background()
	old := filepath.Join(t.TempDir(), "v9.db")
	db := databaseAt(t, old, len(migrations))
	db.Close()
	arts, with := wordyBatch(2000)
	if with == 0 {
		t.Fatal("no article has the word w0: the test searches for nothing")
	}
	for _, s := range []*Store{open(t, old), open(t, filepath.Join(t.TempDir(), "new.db"))} {
		var hashsize int64
		if err := s.db.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'hashsize'`).Scan(&hashsize); err != nil || hashsize != ftsHashBytes {
			t.Fatalf("hashsize %d, %v; want %d", hashsize, err, ftsHashBytes)
		}
		if _, err := s.SaveArticles(ctx, arts); err != nil {
			t.Fatal(err)
		}
		var segments int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT segid) FROM articles_fts_idx`).Scan(&segments); err != nil {
			t.Fatal(err)
		}
		if segments != 1 {
			t.Errorf("a batch of %d articles made %d segments of the search index, want 1", len(arts), segments)
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')`); err != nil {
			t.Fatalf("the search index does not match the articles: %v", err)
		}
		if hits, err := s.search(ctx, "w0", 10000, 10000); err != nil || len(hits) != with {
			t.Errorf("search w0: %d hits, %v; want %d", len(hits), err, with)
		}
	}
}

// Opening a database raises a smaller hashsize to ftsHashBytes and keeps a
// larger one, and every connection has a page cache of cacheKiB and keeps
// its statement journals in memory.
func TestOpenTunesHashsizeAndCache(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ set, want int64 }{{1 << 20, ftsHashBytes}, {32 << 20, 32 << 20}} {
		path := filepath.Join(t.TempDir(), "t.db")
		s := open(t, path)
		if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?)`, tc.set); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = open(t, path)
		var hashsize int64
		if err := s.db.QueryRowContext(ctx, `SELECT v FROM articles_fts_config WHERE k = 'hashsize'`).Scan(&hashsize); err != nil || hashsize != tc.want {
			t.Errorf("hashsize %d set, %d after opening again (%v); want %d", tc.set, hashsize, err, tc.want)
		}
		c1, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c2, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []*sql.Conn{c1, c2} { // two at once: the pragma is set on each
			var n int
			if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&n); err != nil || n != -cacheKiB {
				t.Errorf("connection %d: cache_size %d, %v; want %d", i+1, n, err, -cacheKiB)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&n); err != nil || n != 2 {
				t.Errorf("connection %d: temp_store %d, %v; want 2 (memory)", i+1, n, err)
			}
		}
		c1.Close()
		c2.Close()
	}
}
