package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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

// newsBatch returns the articles of batch k of a made-up news stream:
// batch articles of 250 to 650 words drawn from a vocabulary of 30,000
// made-up words with a long tail (word i comes about 1/i as often as the
// first), IDs that are hashes of the article number (so they come in no
// order, as content keys do), one in ten a copy of the one before from
// another outlet (same ID), the rest published an hour apart.
func newsBatch(k, batch int) []storyline.Article {
	rng := rand.New(rand.NewPCG(uint64(k), 7))
	word := func() string {
		// inverse of the harmonic CDF, roughly: exp(U * ln 30000)
		return "w" + strconv.Itoa(int(math.Exp(rng.Float64()*math.Log(30000))))
	}
	arts := make([]storyline.Article, batch)
	for i := range arts {
		n := k*batch + i
		if i > 0 && n%10 == 9 {
			a := arts[i-1]
			a.Source, a.URL, a.Outlet = fmt.Sprintf("copy/%d.txt", n), fmt.Sprintf("https://copy.example/%d", n), "Copy Outlet"
			arts[i] = a
			continue
		}
		var b strings.Builder
		for w, words := 0, 250+rng.IntN(400); w < words; w++ {
			if w > 0 && w%60 == 0 {
				b.WriteString("\n\n")
			} else if w > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(word())
		}
		sum := sha256.Sum256([]byte(strconv.Itoa(n)))
		arts[i] = storyline.Article{ID: hex.EncodeToString(sum[:8]), Source: fmt.Sprintf("news/%d.txt", n), URL: fmt.Sprintf("https://news.example/%d", n),
			Outlet: fmt.Sprintf("Outlet %d", n%40), Title: word() + " " + word() + " " + word() + " " + word(), Text: b.String(), Language: "en",
			Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Hour), PublishedClock: true}
	}
	return arts
}

// BenchmarkStoreAndPlace times the store's write path as ingesting uses
// it, in a new file: batches of 2,000 articles (pipeline.StoreBatch)
// saved, each then placed (SaveClustering: an event and a story per
// article, hashes as the stream's IDs are, a few merges and moves, 300
// changed parts of the state of 200 to 4,000 bytes). It reports the CPU
// time per article stored and placed, and of it SaveArticles' and
// SaveClustering's; the batches sub-benchmarks show how that cost moves
// as the file grows.
//
//	go test -run '^$' -bench StoreAndPlace -count 6 ./internal/sqlite
func BenchmarkStoreAndPlace(b *testing.B) {
	const batch = 2000
	for _, batches := range []int{5, 25} {
		b.Run(fmt.Sprintf("articles=%d", batches*batch), func(b *testing.B) {
			ctx := context.Background()
			data := make([][]storyline.Article, batches)
			for k := range data {
				data[k] = newsBatch(k, batch)
			}
			var cpu, saving, placing time.Duration
			for i := 0; i < b.N; i++ {
				s, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprint("bench", i, ".db")))
				if err != nil {
					b.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(1, 2))
				c0 := cpuTime()
				var version int64
				for k, arts := range data {
					c := cpuTime()
					created, err := s.SaveArticles(ctx, arts)
					if err != nil {
						b.Fatal(err)
					}
					saving += cpuTime() - c
					_, v, unplaced, err := s.Clustering(ctx, version, batch)
					if err != nil {
						b.Fatal(err)
					}
					placed := make([]storyline.Assignment, 0, len(unplaced))
					for j, a := range unplaced {
						ev := hash("event", a.ID)
						if j > 0 && j%3 == 0 { // joins the event of an article before it
							ev = placed[j-1-rng.IntN(min(j, 50))].Event
						}
						placed = append(placed, storyline.Assignment{Article: a.ID, Event: ev, Story: "story_" + ev})
					}
					var merged []storyline.StoryMerge
					var moved []storyline.EventMove
					if k > 0 {
						for m := 0; m < 5; m++ {
							merged = append(merged, storyline.StoryMerge{From: placed[rng.IntN(len(placed))].Story, To: "story_" + hash("event", data[k-1][m].ID)})
							moved = append(moved, storyline.EventMove{Event: hash("event", data[k-1][m+10].ID), Story: placed[rng.IntN(len(placed))].Story})
						}
					}
					parts := make([]storyline.StatePart, 300)
					for p := range parts {
						data := make([]byte, 200+rng.IntN(3800))
						for d := range data { // state parts are compressed gobs: no repeats
							data[d] = byte(rng.Uint32())
						}
						parts[p] = storyline.StatePart{Key: fmt.Sprint("e", rng.IntN((k+1)*1000)), Data: data}
					}
					c = cpuTime()
					if version, err = s.SaveClustering(ctx, v, parts, placed, merged, moved); err != nil {
						b.Fatal(err)
					}
					placing += cpuTime() - c
					_ = created
				}
				cpu += cpuTime() - c0
				s.Close()
			}
			n := float64(b.N * batches * batch)
			b.ReportMetric(cpu.Seconds()*1e6/n, "cpu-us/article")
			b.ReportMetric(saving.Seconds()*1e6/n, "save-us/article")
			b.ReportMetric(placing.Seconds()*1e6/n, "place-us/article")
		})
	}
}

func hash(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:6])
}
