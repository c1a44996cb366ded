package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/eval/dups"
	"github.com/storyline-news/storyline/internal/extract"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// generated returns n articles GENERATED from real BBC articles, for load
// tests only: nine in ten are a BBC article with a third of its words
// replaced at random (so that replicas are not copies of each other), the
// tenth a perturbed copy of the one before (syndication, re-scrape); 50 a
// day from 2020-01-01, spread over 40 outlets named "generated outlet N";
// their source says "generated from" the BBC file.
func generated(b *testing.B, n int, seed uint64) []storyline.Article {
	_, base := corpustest.BBC(b, 2000)
	rng := rand.New(rand.NewPCG(seed, 7))
	var vocab []string
	for _, a := range base[:min(len(base), 200)] {
		vocab = append(vocab, strings.Fields(a.Text)...)
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]storyline.Article, 0, n)
	seen := map[string]bool{}
	for i := 0; len(out) < n; i++ {
		src := base[i%len(base)]
		a := storyline.Article{Title: src.Title, Language: src.Language,
			Published: start.Add(time.Duration(i) * 24 * time.Hour / 50), PublishedClock: true,
			Outlet: fmt.Sprintf("generated outlet %d", rng.IntN(40)),
			Source: fmt.Sprintf("generated from %s #%d", filepath.Base(src.Source), i)}
		if i%10 == 9 && len(out) > 0 {
			prev := out[len(out)-1]
			a.Title = prev.Title
			paras := strings.Split(prev.Text, "\n\n")
			for k := range paras {
				paras[k] = dups.Perturb(paras[k], dups.Kinds[rng.IntN(len(dups.Kinds)-1)], rng)
			}
			a.Text = strings.Join(paras, "\n\n")
		} else {
			paras := strings.Split(src.Text, "\n\n")
			for k, p := range paras {
				words := strings.Fields(p)
				for j := 0; j < len(words)/3+1; j++ {
					words[rng.IntN(len(words))] = vocab[rng.IntN(len(vocab))]
				}
				paras[k] = strings.Join(words, " ")
			}
			a.Text = strings.Join(paras, "\n\n")
		}
		a.ID = extract.ArticleID(a.Text)
		if seen[a.ID] || strings.TrimSpace(a.Text) == "" {
			continue
		}
		seen[a.ID] = true
		out = append(out, a)
	}
	return out
}

// BenchmarkLatency measures the API and pages over a store of generated
// articles (STORYLINE_BENCH_ARTICLES, 10,000 by default): the time of the
// first request, which waits for the analysis, then p50 and p99 of warm
// requests, each sub-benchmark over b.N requests through loopback HTTP,
// and last the time to bring the analysis up to date after 100 more
// articles are stored and placed (refresh-s).
//
// STORYLINE_BENCH_DB names a SQLite file to keep the store in: made (and
// kept) when it does not exist, else reused, so that a large store is
// placed in stories once. The benchmark works on a copy of it.
//
//	STORYLINE_BENCH_ARTICLES=100000 STORYLINE_BENCH_DB=/tmp/latency-100k.db go test -run '^$' -bench Latency -benchtime 200x -timeout 60m ./internal/server
func BenchmarkLatency(b *testing.B) {
	n := 10000
	if s := os.Getenv("STORYLINE_BENCH_ARTICLES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 100 {
			b.Fatalf("STORYLINE_BENCH_ARTICLES=%q: want a number of articles, 100 or more", s)
		}
	}
	ctx := context.Background()
	t0 := time.Now()
	arts := generated(b, n+100, 1)
	more := slices.Clone(arts[n:]) // the rest is dropped once stored
	b.Logf("generated %d articles in %v", len(arts), time.Since(t0).Round(time.Millisecond))

	path := os.Getenv("STORYLINE_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "made.db")
	}
	if _, err := os.Stat(path); err != nil {
		if err := makeStore(ctx, b, path, arts[:n]); err != nil {
			b.Fatal(err)
		}
	}
	arts = nil
	work := filepath.Join(b.TempDir(), "bench.db")
	if err := copyFile(path, work); err != nil {
		b.Fatal(err)
	}
	store, err := sqlite.Open(ctx, work)
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()

	// the analysis logs its steps (the first build's, and each update)
	s, err := New(store, Options{Refresh: time.Hour, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		b.Fatal(err)
	}
	// after the HTTP server, before the store: the details being made
	// ahead are stopped and waited for
	defer func() {
		if err := s.Shutdown(ctx); err != nil {
			b.Error(err)
		}
	}()
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := ts.Client()
	fetch := func(path string) (time.Duration, error) {
		start := time.Now()
		resp, err := client.Get(ts.URL + path)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("%s: %s", path, resp.Status)
		}
		return time.Since(start), err
	}
	cold, err := fetch("/api/stories")
	if err != nil {
		b.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("first request (builds the analysis of the store): %v; heap in use after: %d MiB", cold.Round(time.Millisecond), ms.HeapInuse>>20)
	b.ReportMetric(cold.Seconds(), "first-request-s")

	sn, err := s.cache.current(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d articles, %d stories, %d statements, %d entities", len(sn.articles), len(sn.stories), len(sn.statements), len(sn.named))
	// stories asked for: the 50 largest and 50 at random
	rng := rand.New(rand.NewPCG(2, 2))
	var storyIDs []string
	for i := 0; i < min(50, len(sn.stories)); i++ {
		storyIDs = append(storyIDs, sn.stories[i].ID)
	}
	for range 50 {
		storyIDs = append(storyIDs, sn.stories[rng.IntN(len(sn.stories))].ID)
	}
	words := []string{"government", "election", "market", "minister", "technology", "growth", "Blair", "phone", "prices", "\"interest rates\""}
	person := ""
	if len(sn.personFacets) > 0 {
		person = sn.personFacets[0].Value
	}
	for _, c := range []struct {
		name string
		path func(i int) string
	}{
		{"api-stories", func(i int) string { return fmt.Sprintf("/api/stories?offset=%d", (i%20)*50) }},
		{"page-stories", func(i int) string { return fmt.Sprintf("/?offset=%d", (i%20)*50) }},
		{"api-stories-filtered", func(i int) string {
			return fmt.Sprintf("/api/stories?from=2020-03-01&to=2021-06-30&outlet=generated+outlet+%d&person=%s", i%40, url.QueryEscape(person))
		}},
		{"api-story", func(i int) string { return "/api/stories/" + storyIDs[i%len(storyIDs)] }},
		{"page-story", func(i int) string { return "/stories/" + storyIDs[i%len(storyIDs)] }},
		{"api-search", func(i int) string { return "/api/search?q=" + url.QueryEscape(words[i%len(words)]) }},
		{"page-search", func(i int) string { return "/search?q=" + url.QueryEscape(words[i%len(words)]) }},
		// searches never asked before (the server keeps recent answers):
		// two words of 40, a pair once
		{"api-search-new", func(i int) string {
			return "/api/search?q=" + url.QueryEscape(pairWords[i%40]+" "+pairWords[(i/40+i+1)%40])
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				d, err := fetch(c.path(i))
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, d)
			}
			slices.Sort(lat)
			q := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))].Seconds() * 1000 }
			b.ReportMetric(q(0.50), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(lat[len(lat)-1].Seconds()*1000, "max-ms")
		})
	}
	// the refresh after an ingest of 100 articles: stored and placed
	// (not timed here: that is ingest), then the analysis brought up to
	// date
	if _, err := store.SaveArticles(ctx, more); err != nil {
		b.Fatal(err)
	}
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		b.Fatal(err)
	}
	t0 = time.Now()
	sn2, err := s.cache.refresh(ctx)
	if err != nil {
		b.Fatal(err)
	}
	d := time.Since(t0)
	runtime.ReadMemStats(&ms)
	b.Logf("refresh after %d more articles: %v (%d articles now); heap in use after: %d MiB", len(more), d.Round(time.Millisecond), len(sn2.articles), ms.HeapInuse>>20)
	b.ReportMetric(d.Seconds(), "refresh-s")
	s.cache.settle()
	d = time.Since(t0)
	b.Logf("and with the large stories compared after: %v", d.Round(time.Millisecond))
	b.ReportMetric(d.Seconds(), "refresh-all-s")
}

// pairWords make searches never asked before.
var pairWords = strings.Fields(`government election market minister technology growth phone prices interest rates
	bank court police music film game mobile software tax budget labour party company profits sales shares
	oil energy health school children report plans deal talks law security power football players`)

// makeStore stores the articles in a new SQLite file at path and places
// them in stories.
func makeStore(ctx context.Context, b *testing.B, path string, arts []storyline.Article) error {
	t0 := time.Now()
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	for i := 0; i < len(arts); i += 2000 {
		if _, err := store.SaveArticles(ctx, arts[i:min(i+2000, len(arts))]); err != nil {
			return err
		}
	}
	b.Logf("stored in %v", time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		return err
	}
	b.Logf("placed in stories in %v", time.Since(t0).Round(time.Millisecond))
	return store.Close()
}

// copyFile copies a closed SQLite file.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
