package quote

import (
	"reflect"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// Find article by article, then Group, is Find over all the articles.
func TestGroupAfterFindPerArticle(t *testing.T) {
	articles := corpustest.Seeds(t)
	res := entity.Resolve(entity.Docs(articles))
	want := Find(articles, res)
	var got []Statement
	for i, a := range articles {
		got = append(got, Find([]storyline.Article{a}, entity.Result{Entities: res.Entities, Mentions: res.Mentions[i : i+1]})...)
	}
	Group(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Find per article then Group: %d statements, want %d, or other SameAs", len(got), len(want))
	}
	grouped := 0
	for _, s := range want {
		if s.SameAs != nil {
			grouped++
		}
	}
	if grouped == 0 {
		t.Error("no statement of the seeds grouped: the test proves nothing")
	}
}
