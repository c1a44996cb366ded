package extract

import (
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
)

// benchDocs are the BBC corpus's plain-text articles and the seed scrapes,
// with a date as a feed gives it, the way ingestion hands them over.
func benchDocs(b *testing.B) []storyline.RawDoc {
	b.Helper()
	corpus.Require(b, "data", "bbc", "bbc")
	var docs []storyline.RawDoc
	for _, parts := range [][]string{{"data", "bbc", "bbc"}, {"seeds"}} {
		for _, body := range corpus.Files(b, 5000, 1<<20, false, parts...) {
			docs = append(docs, storyline.RawDoc{Kind: storyline.KindText, Body: body, Published: "2020-01-02T03:04:05Z"})
		}
	}
	return docs
}

// BenchmarkArticleText is extract.Article on plain-text documents, one core.
func BenchmarkArticleText(b *testing.B) {
	docs := benchDocs(b)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			Article(d, now)
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkArticleID is ArticleID on the cleaned texts of benchDocs.
func BenchmarkArticleID(b *testing.B) {
	var texts []string
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range benchDocs(b) {
		if a, err := Article(d, now); err == nil {
			texts = append(texts, a.Text)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			ArticleID(t)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
