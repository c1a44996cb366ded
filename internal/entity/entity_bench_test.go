package entity

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/extract"
)

// bbcArticles cleans the first n BBC articles (politics and business).
func bbcArticles(b *testing.B, n int) ([]storyline.RawDoc, []storyline.Article) {
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
			a, err := extract.Article(raw, time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				continue
			}
			raws = append(raws, raw)
			arts = append(arts, a)
		}
	}
	if len(arts) == 0 {
		b.Fatalf("no BBC articles under %s", dir)
	}
	return raws, arts
}

// BenchmarkCleanPlainText is the plain-text extraction of the same
// articles, the yardstick of BenchmarkResolve: the issue asks the entity
// stage to cost no more than the rest of the plain-text path.
func BenchmarkCleanPlainText(b *testing.B) {
	raws, _ := bbcArticles(b, 500)
	b.ResetTimer()
	for b.Loop() {
		for _, r := range raws {
			if _, err := extract.Article(r, time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(raws)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkResolve is detection and resolution of the entities of 500
// clean BBC articles.
func BenchmarkResolve(b *testing.B) {
	_, arts := bbcArticles(b, 500)
	b.ResetTimer()
	for b.Loop() {
		Resolve(Docs(arts))
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
