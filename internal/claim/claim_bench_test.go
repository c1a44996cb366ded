package claim

import (
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// BenchmarkClaims measures the claim stage on the five seed articles:
// claims (with the quote extraction they need) and the comparison of the
// articles as one story. Entity resolution is done once, outside.
func BenchmarkClaims(b *testing.B) {
	arts := corpustest.Seeds(b)
	res := entity.Resolve(entity.Docs(arts))
	st := storyline.Story{ID: "s"}
	for _, a := range arts {
		st.Articles = append(st.Articles, a.ID)
	}
	b.ReportAllocs()
	for b.Loop() {
		cs := Find(arts, res)
		Compare(arts, res, cs, []storyline.Story{st})
	}
}
