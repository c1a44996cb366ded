package story

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/dedup"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/text"
)

// Timeline is a story with what its timeline shows: events in order, and
// per article the earlier article it copies, if any.
type Timeline struct {
	storyline.Story
	Outlets []string
	Span    [2]time.Time // first and last publish dates of its dated articles
	// CopyOf maps an article to the earlier article it near-duplicates
	// (a syndicated or re-scraped copy), for the articles of this story.
	CopyOf map[string]string
}

// Build clusters articles into events and stories, in publish order (see
// streamOrder), with the entities res resolved for the same articles, and
// links near-duplicate copies to their original, which they join. The
// same articles give the same stories and IDs.
func Build(articles []storyline.Article, res entity.Result, opt Options) []Timeline {
	order := streamOrder(articles)
	dups := dedup.NewIndex()
	copyOf := map[string]string{}
	c := New(opt)
	eventOf := map[string]int{}
	for _, i := range order {
		a := articles[i]
		if m, ok := dups.Add(a.ID, a.Text); ok && m.ID != a.ID {
			orig := m.ID
			for copyOf[orig] != "" {
				orig = copyOf[orig]
			}
			copyOf[a.ID] = orig
		}
		d := Doc{ID: a.ID, Time: a.Published, Title: a.Title, Text: a.Text}
		if d.Time.IsZero() {
			// an undated article is placed by the latest full date it
			// mentions, when it mentions one (an embedded post's date);
			// the hint places it in time, it is no publish date
			d.Time = hintTime(a.Text)
		}
		if i < len(res.Mentions) {
			for _, m := range res.Mentions[i] {
				if m.Entity >= 0 && res.Entities[m.Entity].Type != entity.Other {
					d.Entities = append(d.Entities, res.Entities[m.Entity].ID)
				}
			}
		}
		if orig, ok := copyOf[a.ID]; ok {
			// a copy joins its original's event, whatever its boilerplate
			ev := eventOf[orig]
			c.join(d, ev)
			eventOf[a.ID] = ev
			continue
		}
		ev, _ := c.Add(d)
		eventOf[a.ID] = ev
	}
	r := c.Result()
	byID := map[string]storyline.Article{}
	for _, a := range articles {
		byID[a.ID] = a
	}
	streamIDs := make([]string, 0, len(order))
	for _, i := range order {
		streamIDs = append(streamIDs, articles[i].ID)
	}
	var out []Timeline
	for _, events := range r.Stories {
		t := Timeline{CopyOf: map[string]string{}}
		t.Events = []storyline.Event{}
		t.Articles = []string{}
		outlets := map[string]bool{}
		var largest []string
		for _, e := range events {
			var ids []string
			for _, k := range r.Events[e] {
				ids = append(ids, streamIDs[k])
			}
			ev := storyline.Event{ID: "ev_" + text.Hash("event", ids[0])[:12], Articles: ids}
			ev.Title = titleOf(ids, byID)
			ev.FirstPublished = firstPublished(ids, byID)
			t.Events = append(t.Events, ev)
			t.Articles = append(t.Articles, ids...)
			if len(ids) > len(largest) {
				largest = ids
			}
			for _, id := range ids {
				a := byID[id]
				if a.Outlet != "" && !outlets[a.Outlet] {
					outlets[a.Outlet] = true
					t.Outlets = append(t.Outlets, a.Outlet)
				}
				if !a.Published.IsZero() {
					if t.Span[0].IsZero() || a.Published.Before(t.Span[0]) {
						t.Span[0] = a.Published
					}
					if a.Published.After(t.Span[1]) {
						t.Span[1] = a.Published
					}
				}
				if o, ok := copyOf[id]; ok {
					t.CopyOf[id] = o
				}
			}
		}
		t.ID = "story_" + text.Hash("story", t.Articles[0])[:12]
		if title := titleOf(largest, byID); title != "" {
			t.Title = &title
		}
		t.FirstPublished = firstPublished(t.Articles, byID)
		out = append(out, t)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].Articles) > len(out[j].Articles) })
	return out
}

// join adds a document to a given event (a copy to its original's).
func (c *Clusterer) join(d Doc, event int) {
	c.count(d)
	c.record(event)
}

var (
	monthDayYearRE = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}),? (\d{4})\b`)
	dayMonthYearRE = regexp.MustCompile(`\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,? (\d{4})\b`)
	isoDateRE      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
)

// hintTime returns the latest full date (day, month and year) a text
// mentions, or the zero time.
func hintTime(body string) time.Time {
	var best time.Time
	try := func(layout, value string) {
		t, err := time.Parse(layout, value)
		if err == nil && t.Year() >= 1990 && t.Year() <= 2100 && t.After(best) {
			best = t
		}
	}
	for _, m := range monthDayYearRE.FindAllStringSubmatch(body, 50) {
		try("Jan 2 2006", m[1][:3]+" "+m[2]+" "+m[3])
	}
	for _, m := range dayMonthYearRE.FindAllStringSubmatch(body, 50) {
		try("2 Jan 2006", m[1]+" "+m[2][:3]+" "+m[3])
	}
	for _, m := range isoDateRE.FindAllStringSubmatch(body, 50) {
		try("2006-01-02", m[1]+"-"+m[2]+"-"+m[3])
	}
	return best
}

// streamOrder returns the indices of the articles in publish order, ties
// broken by article ID, undated articles last (by ID): an order that does
// not depend on how the articles were ingested, in which batches or in
// which order, so the same archive always gives the same stories.
func streamOrder(articles []storyline.Article) []int {
	idx := make([]int, len(articles))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := articles[idx[x]], articles[idx[y]]
		if a.Published.IsZero() != b.Published.IsZero() {
			return !a.Published.IsZero()
		}
		if !a.Published.Equal(b.Published) {
			return a.Published.Before(b.Published)
		}
		return a.ID < b.ID
	})
	return idx
}

// titleOf is the title of the first article that has one, else the start
// of the first article's text.
func titleOf(ids []string, byID map[string]storyline.Article) string {
	for _, id := range ids {
		if t := byID[id].Title; t != "" {
			return t
		}
	}
	if len(ids) == 0 {
		return ""
	}
	first := strings.SplitN(byID[ids[0]].Text, "\n\n", 2)[0]
	if r := []rune(first); len(r) > 90 {
		first = string(r[:89]) + "…"
	}
	return first
}

// firstPublished is the earliest publish date of the articles, or nil.
func firstPublished(ids []string, byID map[string]storyline.Article) *string {
	var best storyline.Article
	for _, id := range ids {
		a := byID[id]
		if !a.Published.IsZero() && (best.Published.IsZero() || a.Published.Before(best.Published)) {
			best = a
		}
	}
	if best.Published.IsZero() {
		return nil
	}
	s := best.PublishedString()
	return &s
}
