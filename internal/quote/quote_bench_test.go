package quote

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/extract"
)

var benchNow = time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)

// bbc reads and cleans the first n BBC articles (politics, business).
func bbc(b *testing.B, n int) ([]storyline.RawDoc, []storyline.Article) {
	dir := corpus.Require(b, "data", "bbc", "bbc")
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
				b.Fatal(err)
			}
			raw := storyline.RawDoc{Source: f, Kind: storyline.KindText, Body: body}
			a, err := extract.Article(raw, benchNow)
			if err != nil {
				continue
			}
			raws = append(raws, raw)
			arts = append(arts, a)
		}
	}
	return raws, arts
}

// BenchmarkCleanPlainText is plain-text cleaning of the articles, the
// yardstick of BenchmarkQuotes.
func BenchmarkCleanPlainText(b *testing.B) {
	raws, _ := bbc(b, 500)
	for b.Loop() {
		for _, r := range raws {
			if _, err := extract.Article(r, benchNow); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkQuotes is the quote stage alone (extraction and grouping) on
// the same articles, their entities resolved beforehand.
func BenchmarkQuotes(b *testing.B) {
	_, arts := bbc(b, 500)
	res := entity.Resolve(entity.Docs(arts))
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = len(Find(arts, res))
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(n), "quotes")
}
