package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/storetest"
)

// searchStore is a store holding ferry articles in this order: weak ones
// (the word once, in a long text) with a strong one every fifth.
func searchStore(t *testing.T, n int) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "search.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	var arts []storyline.Article
	for i := range n {
		a := storetest.Art(fmt.Sprintf("a%03d", i), fmt.Sprintf("Council notes %d", i),
			fmt.Sprintf("Note %d on the weather, the road works, the school year, the library, and a ferry.", i))
		if i%5 == 0 {
			a = storetest.Art(fmt.Sprintf("a%03d", i), fmt.Sprintf("Ferry %d", i),
				fmt.Sprintf("The ferry left at %d. The ferry came back.\n\nThe ferry crews met.", i))
		}
		arts = append(arts, a)
	}
	if _, err := s.SaveArticles(context.Background(), arts); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSearchPoolIsTheContracts(t *testing.T) {
	if SearchPool != storetest.SearchPool {
		t.Errorf("SearchPool = %d, the store contract says %d", SearchPool, storetest.SearchPool)
	}
}

// TestSearchRanksTheNewestPool: with more matches than the pool, the hits
// are the best of the pool newest, with the rank each has when all are
// ranked (bm25 reads the whole index's statistics either way).
func TestSearchRanksTheNewestPool(t *testing.T) {
	ctx := context.Background()
	s := searchStore(t, 40)
	all, err := s.search(ctx, "ferry", 40, 1000)
	if err != nil || len(all) != 40 {
		t.Fatalf("search(ferry, pool 1000): %d hits, %v", len(all), err)
	}
	rankOf := map[string]float64{}
	for _, h := range all {
		rankOf[h.ID] = h.Rank
	}
	hits, err := s.search(ctx, "ferry", 5, 12)
	if err != nil {
		t.Fatal(err)
	}
	// the 12 newest are a028..a039; the strong among them a030 and a035,
	// then the weak ones
	if got := hitIDs(hits); len(got) != 5 || !slices.Equal(slices.Sorted(slices.Values(got[:2])), []string{"a030", "a035"}) {
		t.Fatalf("search(ferry, limit 5, pool 12) = %v; want a030 and a035 first, then weak ones of the 12 newest", got)
	}
	for _, h := range hits {
		if h.ID < "a028" {
			t.Errorf("hit %s is older than the 12 newest matches", h.ID)
		}
		if h.Rank != rankOf[h.ID] {
			t.Errorf("hit %s: rank %v in the pool, %v when all are ranked", h.ID, h.Rank, rankOf[h.ID])
		}
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Rank < hits[i-1].Rank {
			t.Errorf("hits not best first: %v", hitIDs(hits))
		}
	}
	// a pool as large as the matches is all of them
	whole, err := s.search(ctx, "ferry", 40, 40)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(whole, all, func(a, b storyline.SearchHit) bool { return a == b }) {
		t.Errorf("pool of 40 over 40 matches differs from the whole ranking:\n%v\n%v", hitIDs(whole), hitIDs(all))
	}
}

// TestSearchSnippetsOfEveryHit: the snippets, made in one pass over the
// matches from the first hit to the last, are each hit's own.
func TestSearchSnippetsOfEveryHit(t *testing.T) {
	ctx := context.Background()
	s := searchStore(t, 60)
	for _, c := range []struct {
		q     string
		limit int
		pool  int
		mark  string
	}{
		{"ferry", 60, 1000, "[ferry]"},
		{"ferry", 7, 20, "[ferry]"},
		{"ferry crews", 12, 1000, "[crews]"},
		{`"came back"`, 3, 1000, "[came back]"},
		{"library", 1, 1000, "[library]"},
	} {
		hits, err := s.search(ctx, c.q, c.limit, c.pool)
		if err != nil {
			t.Fatalf("search(%q): %v", c.q, err)
		}
		if len(hits) != c.limit {
			t.Errorf("search(%q, limit %d): %d hits", c.q, c.limit, len(hits))
		}
		for _, h := range hits {
			n := strings.TrimPrefix(h.ID, "a")
			for len(n) > 1 && n[0] == '0' {
				n = n[1:]
			}
			if !strings.Contains(strings.ToLower(h.Snippet), c.mark) || !strings.Contains(h.Snippet, n) {
				t.Errorf("search(%q): hit %s has snippet %q; want its own text with %s", c.q, h.ID, h.Snippet, c.mark)
			}
		}
	}
}

// cpuTime is the CPU time the process used so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestJSONInts(t *testing.T) {
	for _, c := range []struct {
		in   []int64
		want string
	}{{nil, "[]"}, {[]int64{7}, "[7]"}, {[]int64{3, -1, 1 << 40}, "[3,-1,1099511627776]"}} {
		if got := jsonInts(c.in); got != c.want {
			t.Errorf("jsonInts(%v) = %s, want %s", c.in, got, c.want)
		}
	}
}

func hitIDs(hits []storyline.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

// BenchmarkSearch times Search alone on an existing store, without the
// analysis the server's latency benchmark builds first, for quick turns
// on the query: STORYLINE_SEARCH_DB names the SQLite file (give it a copy:
// opening it migrates it). Each sub-benchmark asks b.N searches in turn
// and reports p50 and p99: single common words, and pairs of them, 50
// hits (the API's page) or 200 (what the pages look at), and the CPU time
// a search takes, which a loaded machine does not inflate as it does the
// wall time.
//
//	STORYLINE_SEARCH_DB=/tmp/copy-of-latency-100k.db go test -run '^$' -bench Search -benchtime 100x ./internal/sqlite
func BenchmarkSearch(b *testing.B) {
	path := os.Getenv("STORYLINE_SEARCH_DB")
	if path == "" {
		b.Skip("STORYLINE_SEARCH_DB names no store to search")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	words := []string{"government", "election", "market", "minister", "technology", "growth", "Blair", "phone", "prices", "\"interest rates\""}
	pairs := strings.Fields(`government election market minister technology growth phone prices interest rates
	bank court police music film game mobile software tax budget labour party company profits sales shares
	oil energy health school children report plans deal talks law security power football players`)
	for _, c := range []struct {
		name  string
		limit int
		q     func(i int) string
	}{
		{"common", 50, func(i int) string { return words[i%len(words)] }},
		{"pairs", 50, func(i int) string { return pairs[i%40] + " " + pairs[(i/40+i+1)%40] }},
		{"common-200", 200, func(i int) string { return words[i%len(words)] }},
	} {
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := s.Search(ctx, c.q(i), c.limit); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
			}
			// the process's CPU time per search: what a search costs,
			// whatever else the machine runs meanwhile
			b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op")
			slices.Sort(lat)
			q := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))].Seconds() * 1000 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(lat[len(lat)-1].Seconds()*1000, "max-ms")
		})
	}
}
