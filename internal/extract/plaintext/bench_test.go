package plaintext

import (
	"testing"

	"github.com/storyline-news/storyline/internal/corpus"
)

// BenchmarkClean is the cleaner alone on the BBC corpus and the seed
// scrapes, one core.
func BenchmarkClean(b *testing.B) {
	corpus.Require(b, "data", "bbc", "bbc")
	var texts []string
	for _, parts := range [][]string{{"data", "bbc", "bbc"}, {"seeds"}} {
		for _, body := range corpus.Files(b, 5000, 1<<20, false, parts...) {
			texts = append(texts, string(body))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			Clean(t, ref)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "texts/s")
}
