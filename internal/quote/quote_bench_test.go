package quote

import (
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// BenchmarkCleanPlainText is plain-text cleaning of the articles, the
// yardstick of BenchmarkQuotes.
func BenchmarkCleanPlainText(b *testing.B) {
	raws, _ := corpustest.BBC(b, 500)
	corpustest.BenchmarkClean(b, raws)
}

// BenchmarkQuotes is the quote stage alone (extraction and grouping) on
// the same articles, their entities resolved beforehand.
func BenchmarkQuotes(b *testing.B) {
	_, arts := corpustest.BBC(b, 500)
	res := entity.Resolve(entity.Docs(arts))
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n = len(Find(arts, res))
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(n), "quotes")
}
