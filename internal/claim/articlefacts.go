package claim

import (
	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// Facts are the facts of one article that Compare compares besides its
// claims: the titles it gives people and the durations it states. They
// depend on the article alone (and the entities its mentions link to), so
// a caller that compares the same articles again and again, as new ones
// join their stories, reads them once per article (FactsOf) and compares
// with CompareFacts.
type Facts struct {
	roles     []Role
	durations []Duration
}

// FactsOf reads the facts of one article; mentions are its linked
// mentions, entities those they link to.
func FactsOf(a storyline.Article, mentions []entity.Linked, entities []storyline.Entity) Facts {
	arts := []storyline.Article{a}
	res := entity.Result{Entities: entities, Mentions: [][]entity.Linked{mentions}}
	return Facts{roles: roles(arts, res), durations: durations(arts)}
}

// CompareFacts is Compare with the facts of every article read before:
// facts[i] is FactsOf(articles[i], res.Mentions[i], res.Entities). It
// returns what Compare returns.
func CompareFacts(articles []storyline.Article, res entity.Result, facts []Facts, claims []Claim, stories []storyline.Story) Comparison {
	var rs []Role
	var ds []Duration
	for i, f := range facts {
		for _, r := range f.roles {
			r.Article = i
			rs = append(rs, r)
		}
		for _, d := range f.durations {
			d.Article = i
			ds = append(ds, d)
		}
	}
	return compare(articles, res, rs, ds, claims, stories)
}
