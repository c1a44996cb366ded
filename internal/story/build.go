package story

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/dedup"
	"github.com/storyline-news/storyline/internal/entity"
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
// same articles give the same stories and IDs. It is one batch of a
// Stream; a store keeps a Stream to cluster an archive as it grows.
func Build(articles []storyline.Article, res entity.Result, opt Options) []Timeline {
	s := NewStream(opt, dedup.Window)
	return Timelines(s.Add(articles, res), articles)
}

// sortLargestFirst orders stories by their number of articles, largest
// first, keeping the order they were opened in otherwise.
func sortLargestFirst(ts []Timeline) {
	sort.SliceStable(ts, func(i, j int) bool { return len(ts[i].Articles) > len(ts[j].Articles) })
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
	if !hasYear(body) {
		return best // every pattern below ends in a year
	}
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

// hasYear tells whether a text has a run of four digits, as every full
// date hintTime reads ends in (or starts with) one.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
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
