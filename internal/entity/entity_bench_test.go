package entity

import (
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
)

// BenchmarkCleanPlainText is the plain-text extraction of the same
// articles, the yardstick of BenchmarkResolve: the issue asks the entity
// stage to cost no more than the rest of the plain-text path.
func BenchmarkCleanPlainText(b *testing.B) {
	raws, _ := corpustest.BBC(b, 500)
	corpustest.BenchmarkClean(b, raws)
}

// BenchmarkResolve is detection and resolution of the entities of 500
// clean BBC articles.
func BenchmarkResolve(b *testing.B) {
	_, arts := corpustest.BBC(b, 500)
	b.ResetTimer()
	for b.Loop() {
		Resolve(Docs(arts))
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkResolveBatches is detection and resolution of 2,000 clean BBC
// articles in batches of 200, as ingestion resolves them: the memos of
// words and names are warm after the first batches, and each batch is
// new text.
func BenchmarkResolveBatches(b *testing.B) {
	_, arts := corpustest.BBC(b, 2000)
	b.ResetTimer()
	for b.Loop() {
		for i := 0; i < len(arts); i += 200 {
			Resolve(Docs(arts[i:min(i+200, len(arts))]))
		}
	}
	b.ReportMetric(float64(len(arts)*b.N)/b.Elapsed().Seconds(), "articles/s")
}
