package entity

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
)

// generatedCorpus makes n articles from real ones: each a random choice of
// paragraphs of several articles, so that names recur across articles in
// new company.
func generatedCorpus(base []storyline.Article, n int, seed uint64) []storyline.Article {
	rng := rand.New(rand.NewPCG(seed, 3))
	out := make([]storyline.Article, 0, n)
	for i := range n {
		var paras []string
		for range 2 + rng.IntN(5) {
			ps := strings.Split(base[rng.IntN(len(base))].Text, "\n\n")
			paras = append(paras, ps[rng.IntN(len(ps))])
		}
		src := base[rng.IntN(len(base))]
		out = append(out, storyline.Article{ID: fmt.Sprintf("gen%05d", i),
			Title: src.Title, Text: strings.Join(paras, "\n\n"), Published: src.Published})
	}
	return out
}

// Articles added to an Incremental in one call get exactly Resolve's
// result: on the seeds, on real BBC articles and on articles generated
// from them.
func TestIncrementalOneBatchIsResolve(t *testing.T) {
	_, bbc := corpustest.BBC(t, 400)
	for _, c := range []struct {
		name     string
		articles []storyline.Article
	}{
		{"seeds", corpustest.Seeds(t)},
		{"bbc", bbc},
		{"generated", generatedCorpus(bbc, 600, 1)},
	} {
		want := Resolve(Docs(c.articles))
		x := NewIncremental()
		x.Add(Docs(c.articles))
		got := x.Result()
		if len(got.Entities) != len(want.Entities) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Incremental.Result differs from Resolve: %d entities, want %d", c.name, len(got.Entities), len(want.Entities))
			for i := range min(len(got.Entities), len(want.Entities)) {
				if !reflect.DeepEqual(got.Entities[i], want.Entities[i]) {
					t.Errorf("first difference at %d: %+v\nwant %+v", i, got.Entities[i], want.Entities[i])
					break
				}
			}
		}
		if x.Len() != len(c.articles) {
			t.Errorf("%s: Len %d, want %d", c.name, x.Len(), len(c.articles))
		}
	}
}

// Articles added one batch after another keep their links, the entities
// keep their indexes, and a person named in several batches is one
// entity.
func TestIncrementalBatches(t *testing.T) {
	articles := corpustest.Seeds(t)
	x := NewIncremental()
	x.Add(Docs(articles[:2]))
	firstEnts, _, firstLinks := x.Current()
	var before [][]Linked
	for d := range firstLinks.Len() {
		before = append(before, firstLinks.Of(d))
	}
	for _, a := range articles[2:] {
		x.Add(Docs([]storyline.Article{a}))
	}
	ents, order, links := x.Current()
	if links.Len() != len(articles) || x.Len() != len(articles) || firstLinks.Len() != 2 {
		t.Fatalf("%d articles linked, want %d", links.Len(), len(articles))
	}
	for d := range before {
		if !reflect.DeepEqual(links.Of(d), before[d]) || !reflect.DeepEqual(firstLinks.Of(d), before[d]) {
			t.Error("the links of the first articles changed when more were added")
		}
		for _, m := range before[d] {
			if m.Entity >= 0 && ents[m.Entity].Type != firstEnts[m.Entity].Type {
				t.Errorf("entity %d changed type: %s then %s", m.Entity, firstEnts[m.Entity].Type, ents[m.Entity].Type)
			}
		}
	}
	for k := 1; k < len(order); k++ {
		if ents[order[k-1]].Mentions < ents[order[k]].Mentions {
			t.Fatalf("order is not by mentions at %d", k)
		}
	}
	if len(order) == 0 {
		t.Fatal("no entity")
	}
	// Zelenskyy is named in every seed: one entity with his spellings
	res := x.Result()
	z := entityOf(res, "Zelenskyy")
	if z == nil || z.Name != "Volodymyr Zelenskyy" || len(z.Articles) != len(articles) {
		t.Fatalf("Zelenskyy after adding the seeds one by one: %+v", z)
	}
	for _, v := range []string{"Zelenskiy", "Zelensky", "Володимир Зеленський"} {
		if entityOf(res, v) != z {
			t.Errorf("%q is not Zelenskyy's", v)
		}
	}
	ids := map[string]bool{}
	for _, e := range res.Entities {
		if ids[e.ID] {
			t.Errorf("two entities with ID %s", e.ID)
		}
		ids[e.ID] = true
	}
	// the same people as Resolve over all of them
	want := map[string]bool{}
	for _, e := range Resolve(Docs(articles)).Entities {
		if e.Type == Person && e.Mentions > 1 {
			want[e.Name] = true
		}
	}
	for _, e := range res.Entities {
		if e.Type == Person && e.Mentions > 1 && !want[e.Name] {
			t.Errorf("person %q (%d mentions) not among Resolve's", e.Name, e.Mentions)
		}
	}
	x.Add(nil)
	if x.Len() != len(articles) {
		t.Error("adding nothing added articles")
	}
}
