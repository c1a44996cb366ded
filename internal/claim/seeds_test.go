package claim

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// TestSeedClaims checks the claims issue 6 names on the seed articles:
// 200,000 soldiers (001) and 5% of GDP (003) and a 30-day ceasefire (004),
// each with its claimant.
func TestSeedClaims(t *testing.T) {
	arts := corpustest.Seeds(t)
	res := entity.Resolve(entity.Docs(arts))
	cs := Find(arts, res)
	source := map[string]string{}
	for _, a := range arts {
		source[a.ID] = a.Source
	}
	want := []struct{ seed, number, unit, subject, claimant string }{
		{"001_", "200,000", "", "soldiers", "Zelenskyy"},
		{"001_", "Two hundred thousand", "", "soldiers", "Zelenskyy"},
		{"003_", "5%", "percent", "GDP", "Trump"},
		{"004_", "30-day", "day", "ceasefire", "Trump"},
	}
	for _, w := range want {
		ok := false
		for _, c := range cs {
			if strings.Contains(source[c.Article], w.seed) && c.Number == w.number && str(c.Unit) == w.unit &&
				strings.Contains(str(c.Subject), w.subject) && strings.Contains(str(c.Claimant), w.claimant) && c.SpeakerEntity != nil {
				ok = true
			}
		}
		if !ok {
			t.Errorf("no claim %+v", w)
		}
	}
	for _, c := range cs {
		if c.Value >= 1900 && c.Value <= 2100 || strings.Contains(c.Number, ":") {
			t.Errorf("a year or time became a claim: %q in %q", c.Number, c.Text)
		}
	}
}

// TestSeedDisagreements checks the two points issue 6 names on the seeds,
// all five taken as one story: Trump's title (003 and 004 call the
// sitting president "former", 001 and 002 "President") and the length of
// the war (002 "ongoing for four years", 004 "enters its third year").
func TestSeedDisagreements(t *testing.T) {
	arts := corpustest.Seeds(t)
	res := entity.Resolve(entity.Docs(arts))
	st := storyline.Story{ID: "story_seeds"}
	seed := map[string]string{}
	for _, a := range arts {
		st.Articles = append(st.Articles, a.ID)
		seed[a.ID] = filepath.Base(a.Source)[:3]
	}
	cmp := Compare(arts, res, Find(arts, res), []storyline.Story{st})
	sides := map[string]map[string]string{}
	for _, d := range cmp.Disagreements {
		sides[d.Kind] = map[string]string{}
		for _, s := range d.Statements {
			sides[d.Kind][seed[s.Article]] = s.Says
		}
		if d.Why == "" || len(d.Statements) < 2 {
			t.Errorf("%s flag without why or sides: %+v", d.Kind, d)
		}
	}
	role := sides[storyline.DisagreeRole]
	if !strings.HasPrefix(role["003"], "former") || !strings.HasPrefix(role["004"], "former") ||
		strings.HasPrefix(role["002"], "former") || role["002"] == "" {
		t.Errorf("Trump's title: %v", role)
	}
	war := sides[storyline.DisagreeDuration]
	if !strings.Contains(war["002"], "four years") || !strings.Contains(war["004"], "third year") {
		t.Errorf("the war's length: %v", war)
	}
	if len(cmp.Disagreements) > 3 {
		t.Errorf("%d flags on the seeds: %+v", len(cmp.Disagreements), cmp.Disagreements)
	}
}
