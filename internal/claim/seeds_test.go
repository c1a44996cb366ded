package claim

import (
	"strings"
	"testing"

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
