// Package corpustest gives tests and benchmarks the real articles they
// share, cleaned the way ingestion cleans them: the five seed articles
// and BBC News articles from ../shared (see package corpus; missing
// corpora skip the test, or fail it under CI=true).
package corpustest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/extract"
)

// SeedNow is the reference time the seeds are cleaned with.
var SeedNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

// BBCNow is the reference time the BBC articles are cleaned with.
var BBCNow = time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)

// Seeds returns the five seed articles, cleaned, in file order.
func Seeds(t testing.TB) []storyline.Article {
	t.Helper()
	dir := corpus.Require(t, "seeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) != 5 {
		t.Fatalf("seeds: %v %d files", err, len(files))
	}
	var articles []storyline.Article
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := extract.Article(storyline.RawDoc{Source: f, Kind: storyline.KindText, Body: b}, SeedNow)
		if err != nil {
			t.Fatal(err)
		}
		articles = append(articles, a)
	}
	return articles
}

// BBC returns the first n BBC articles of the politics, business, world
// and tech sections, raw and cleaned.
func BBC(t testing.TB, n int) ([]storyline.RawDoc, []storyline.Article) {
	t.Helper()
	dir := corpus.Require(t, "data", "bbc", "bbc")
	var raws []storyline.RawDoc
	var arts []storyline.Article
	for _, section := range []string{"politics", "business", "world", "tech"} {
		files, _ := filepath.Glob(filepath.Join(dir, section, "*.txt"))
		for _, f := range files {
			if len(raws) == n {
				break
			}
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			raw := storyline.RawDoc{Source: f, Kind: storyline.KindText, Body: body}
			a, err := extract.Article(raw, BBCNow)
			if err != nil {
				continue
			}
			raws = append(raws, raw)
			arts = append(arts, a)
		}
	}
	if len(arts) == 0 {
		t.Fatalf("no BBC articles under %s", dir)
	}
	return raws, arts
}

// BenchmarkClean cleans the raw documents once per iteration and reports
// articles/s: the yardstick stage benchmarks compare themselves with.
func BenchmarkClean(b *testing.B, raws []storyline.RawDoc) {
	b.Helper()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range raws {
			if _, err := extract.Article(r, BBCNow); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
