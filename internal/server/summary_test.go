package server

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/story"
)

// TestSummaryIsBounded: a story of many articles and events is listed
// with its first articles and events only, and counts of them all, so a
// list of large stories stays small; a small story is listed whole.
func TestSummaryIsBounded(t *testing.T) {
	var all []string
	var events []storyline.Event
	for e := range 30 {
		ev := storyline.Event{ID: fmt.Sprintf("e%d", e), Title: "event"}
		for a := range 7 * (e + 1) {
			id := fmt.Sprintf("a%d-%d", e, a)
			ev.Articles = append(ev.Articles, id)
			all = append(all, id)
		}
		events = append(events, ev)
	}
	sn := &snapshot{}
	big := sn.summary(story.Timeline{Story: storyline.Story{ID: "big", Articles: all, Events: events}})
	if len(big.Articles) != maxSummaryArticles || big.ArticleCount != len(all) || big.MoreArticles != len(all)-maxSummaryArticles {
		t.Errorf("articles: %d listed, count %d, more %d (of %d)", len(big.Articles), big.ArticleCount, big.MoreArticles, len(all))
	}
	if len(big.Events) != maxSummaryEvents || big.EventCount != 30 || big.MoreEvents != 30-maxSummaryEvents {
		t.Errorf("events: %d listed, count %d, more %d", len(big.Events), big.EventCount, big.MoreEvents)
	}
	for i, e := range big.Events {
		n := 7 * (i + 1)
		if e.ArticleCount != n || len(e.Articles) != min(n, maxSummaryEventArticles) || e.MoreArticles != n-len(e.Articles) {
			t.Errorf("event %d: %d listed, count %d, more %d (of %d)", i, len(e.Articles), e.ArticleCount, e.MoreArticles, n)
		}
	}
	b, err := json.Marshal(big)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Articles     []string `json:"articles"`
		ArticleCount int      `json:"article_count"`
		Events       []struct {
			Articles []string `json:"articles"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Articles) != maxSummaryArticles || back.ArticleCount != len(all) || len(back.Events) != maxSummaryEvents {
		t.Errorf("JSON lists %d articles (count %d) and %d events", len(back.Articles), back.ArticleCount, len(back.Events))
	}

	small := sn.summary(story.Timeline{Story: storyline.Story{ID: "small", Articles: events[0].Articles, Events: events[:1]}})
	if len(small.Articles) != 7 || small.MoreArticles != 0 || len(small.Events) != 1 || small.MoreEvents != 0 || len(small.Events[0].Articles) != 7 {
		t.Errorf("a small story is not listed whole: %+v", small)
	}
	empty := sn.summary(story.Timeline{Story: storyline.Story{ID: "empty"}})
	if empty.Articles == nil || empty.Events == nil {
		t.Error("an empty story lists null instead of []")
	}
}
