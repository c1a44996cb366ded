package claim

import (
	"reflect"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// Comparing with the facts read article by article is Compare, on the
// seeds (one story) and on real BBC articles put in stories of five.
func TestCompareFactsIsCompare(t *testing.T) {
	seeds := corpustest.Seeds(t)
	_, bbc := corpustest.BBC(t, 300)
	for _, c := range []struct {
		name     string
		articles []storyline.Article
		size     int
	}{{"seeds", seeds, len(seeds)}, {"bbc", bbc, 5}} {
		res := entity.Resolve(entity.Docs(c.articles))
		var stories []storyline.Story
		for i := 0; i < len(c.articles); i += c.size {
			st := storyline.Story{ID: "s" + c.articles[i].ID}
			for _, a := range c.articles[i:min(i+c.size, len(c.articles))] {
				st.Articles = append(st.Articles, a.ID)
			}
			stories = append(stories, st)
		}
		claims := Find(c.articles, res)
		want := Compare(c.articles, res, claims, stories)
		facts := make([]Facts, len(c.articles))
		for i, a := range c.articles {
			facts[i] = FactsOf(a, res.Mentions[i], res.Entities)
		}
		got := CompareFacts(c.articles, res, facts, claims, stories)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: CompareFacts gives %d disagreements and %d updates, Compare %d and %d", c.name,
				len(got.Disagreements), len(got.Updates), len(want.Disagreements), len(want.Updates))
		}
		if len(want.Disagreements)+len(want.Updates) == 0 {
			t.Errorf("%s: nothing compared: the test proves nothing", c.name)
		}
	}
}
