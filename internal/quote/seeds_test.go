package quote

import (
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// TestSeeds checks who said what in the seed articles: the speakers of
// statements quoted with names, pronouns, role nouns and posts; the two
// translations of one statement in one group; nothing from boilerplate.
func TestSeeds(t *testing.T) {
	articles := corpustest.Seeds(t)
	st := Find(articles, entity.Resolve(entity.Docs(articles)))
	find := func(content string) *Statement {
		for i := range st {
			if strings.Contains(st[i].Text, content) {
				return &st[i]
			}
		}
		return nil
	}
	for content, speaker := range map[string]string{
		"This is impossible without the United States":      "Volodymyr Zelenskyy", // dash attribution
		"It can’t be without the United States":             "Volodymyr Zelenskyy", // “…,” Zelenskyy told Bloomberg
		"He can push Putin to peace":                        "Volodymyr Zelenskyy", // “…,” he said
		"We can do this the easy way or the hard way":       "Donald Trump",        // he wrote, after "Trump called on the Russian president"
		"It’s not merely the question of ending the war":    "Dmitry Polyanskiy",
		"effective peacekeeping efforts must include":       "Volodymyr Zelenskyy", // In an interview …, he emphasized that
		"This cannot be pursued without the involvement":    "Volodymyr Zelenskyy",
		"failure to do so could leave them":                 "Volodymyr Zelenskyy", // The Ukrainian leader called …
		"We must define a clear position":                   "Volodymyr Zelenskyy", // embedded post
		"each NATO country can send its peacekeeping troop": "Matthew Bryza",
		"US Troops Must Be Part of Any Peacekeeping Force":  "Volodymyr Zelenskyy", // headline
	} {
		s := find(content)
		if s == nil {
			t.Errorf("no statement %q", content)
			continue
		}
		if s.SpeakerName != speaker {
			t.Errorf("%q: speaker %q (%s), want %s", content, s.SpeakerName, deref(s.Speaker), speaker)
		}
	}
	a, b := find("This is impossible without the United States"), find("nobody will risk without the United States")
	if a == nil || b == nil || a.SameAs == nil || b.SameAs == nil || *a.SameAs != *b.SameAs {
		t.Errorf("the two translations of one statement are not one group: %+v / %+v", a, b)
	}
	// nothing from the removed boilerplate (the headline statement comes
	// from the title, which a scrape may repeat in the body)
	for _, art := range articles {
		for _, r := range art.Removed {
			for _, s := range st {
				if s.Article == art.ID && len(r.Line) > 20 && strings.Contains(r.Line, s.Text) && !strings.Contains(art.Title, s.Text) {
					t.Errorf("statement %q comes from a removed line (%s)", s.Text, r.Reason)
				}
			}
		}
	}
	for _, s := range st {
		if s.Speaker == nil {
			t.Errorf("statement without a speaker: %q", s.Text)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
