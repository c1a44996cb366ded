package claim

import (
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

func TestCitations(t *testing.T) {
	a := fixture(t, "provenance.txt", "Harbour Wire", "2024-03-12")
	arts := []storyline.Article{a}
	got := map[string]string{}
	for _, c := range Citations(arts, entity.Resolve(entity.Docs(arts))) {
		if c.Article != a.ID || c.Outlet != "Harbour Wire" || c.Sentence == "" {
			t.Errorf("citation without its article or sentence: %+v", c)
		}
		got[c.Cited] = c.How
	}
	want := map[string]string{"Reuters": ViaInterview, "Almera Times": ViaReport, "Bloomberg": ViaInterview,
		"Coastal Courier": ViaReport, "Telegram": ViaPost}
	for name, how := range want {
		if got[name] != how {
			t.Errorf("%s cited as %q, want %q (all: %v)", name, got[name], how, got)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("not a citation: %s (%s)", name, got[name])
		}
	}
}
