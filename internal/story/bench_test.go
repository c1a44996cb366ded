package story

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// bbcArticles are the BBC corpus's articles (../shared/data/bbc), in the
// order of their file names, an hour apart, with their entities resolved
// per batch of batch articles. A benchmark that needs them skips with a
// message when the corpus is absent, and fails under CI=true.
func bbcArticles(b *testing.B, batch int) ([]storyline.Article, []entity.Result) {
	b.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "data", "bbc", "bbc")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) == 0 {
		if os.Getenv("CI") == "true" {
			b.Fatalf("the BBC corpus is missing under CI: %s (%v)", dir, err)
		}
		b.Skipf("the BBC corpus is not available under %s; skipping", dir)
	}
	slices.Sort(files)
	start := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	var articles []storyline.Article
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		title, text, _ := strings.Cut(string(raw), "\n")
		articles = append(articles, storyline.Article{ID: filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f),
			Title: strings.TrimSpace(title), Text: strings.TrimSpace(text), Published: start.Add(time.Duration(i) * time.Hour)})
	}
	var res []entity.Result
	for k := 0; k < len(articles); k += batch {
		res = append(res, entity.Resolve(entity.Docs(articles[k:min(k+batch, len(articles))])))
	}
	return articles, res
}

// BenchmarkStreamAdd places the BBC corpus in a new Stream, in batches of
// 500 with their entities resolved ahead (not timed): near-duplicates,
// tokenising and clustering, as a store's placing does.
func BenchmarkStreamAdd(b *testing.B) {
	const batch = 500
	articles, res := bbcArticles(b, batch)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s := NewStream(Options{}, 0)
		for k := 0; k < len(articles); k += batch {
			s.Add(articles[k:min(k+batch, len(articles))], res[k/batch])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(articles)), "ns/article")
}

// BenchmarkCluster tokenises and clusters the BBC corpus's documents with
// their entities (Cluster), without near-duplicates: the clusterer's own
// cost.
func BenchmarkCluster(b *testing.B) {
	const batch = 500
	articles, res := bbcArticles(b, batch)
	docs := make([]Doc, len(articles))
	for i, a := range articles {
		docs[i] = Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
		r := res[i/batch]
		docs[i].AddNames(r.Mentions[i%batch], r.Entities, nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Cluster(docs, Options{})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(articles)), "ns/article")
}
