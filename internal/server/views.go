package server

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/storyline-news/storyline/internal/report"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/quote"
	"github.com/storyline-news/storyline/internal/story"
)

// Bounds on the articles and events a story's summary lists, so that a
// list of stories, or a story of thousands of articles, answers in bounded
// time and size; the counts say how many there are, and the story's own
// page and /api/stories/{id} list its events and articles.
const (
	maxSummaryArticles      = 50
	maxSummaryEvents        = 20
	maxSummaryEventArticles = 20
)

// storySummary is one story of a list, for the page and the API. Its
// Articles and Events are the first ones only (see maxSummaryArticles);
// ArticleCount and EventCount count them all.
type storySummary struct {
	storyline.Story
	Articles     []string       `json:"articles"`
	ArticleCount int            `json:"article_count"`
	MoreArticles int            `json:"more_articles"`
	Events       []summaryEvent `json:"events"`
	EventCount   int            `json:"event_count"`
	MoreEvents   int            `json:"more_events"`
	Outlets      []string       `json:"outlets"`
	// Start and End are the first and last publish dates of the story's
	// dated articles (YYYY-MM-DD); null when none is dated.
	Start         *string `json:"start"`
	End           *string `json:"end"`
	Statements    int     `json:"statements"`
	Disagreements int     `json:"disagreements"`
}

// Span writes the story's dates for people.
func (s storySummary) Span() string {
	switch {
	case s.Start == nil:
		return "undated"
	case *s.Start == *s.End:
		return *s.Start
	}
	return *s.Start + " – " + *s.End
}

// DisplayTitle is the title, or "(untitled)".
func (s storySummary) DisplayTitle() string {
	if s.Title == nil || *s.Title == "" {
		return "(untitled)"
	}
	return *s.Title
}

// summaryEvent is an event in a story's summary, with its first articles
// only (see maxSummaryEventArticles).
type summaryEvent struct {
	storyline.Event
	ArticleCount int `json:"article_count"`
	MoreArticles int `json:"more_articles"`
}

func (sn *snapshot) summary(t story.Timeline) storySummary {
	s := storySummary{Story: t.Story, Outlets: t.Outlets, Disagreements: len(sn.disagreements[t.ID])}
	if s.Outlets == nil {
		s.Outlets = []string{}
	}
	s.Articles, s.ArticleCount, s.MoreArticles = firstOf(t.Articles, maxSummaryArticles)
	s.EventCount = len(t.Events)
	s.MoreEvents = max(0, len(t.Events)-maxSummaryEvents)
	s.Events = make([]summaryEvent, 0, min(len(t.Events), maxSummaryEvents))
	for _, ev := range t.Events[:min(len(t.Events), maxSummaryEvents)] {
		e := summaryEvent{Event: ev}
		e.Articles, e.ArticleCount, e.MoreArticles = firstOf(ev.Articles, maxSummaryEventArticles)
		s.Events = append(s.Events, e)
	}
	if !t.Span[0].IsZero() {
		a, b := day(t.Span[0]), day(t.Span[1])
		s.Start, s.End = &a, &b
	}
	s.Statements = len(sn.inStory[t.ID])
	return s
}

// firstOf returns the first n IDs (never nil), how many there are, and
// how many are left out.
func firstOf(ids []string, n int) (first []string, count, more int) {
	first = ids[:min(len(ids), n)]
	if first == nil {
		first = []string{}
	}
	return first, len(ids), len(ids) - len(first)
}

// storiesMatching returns the stories, largest first; with a query, only
// the stories holding an article the full-text search finds, best first.
func (s *Server) storiesMatching(ctx context.Context, sn *snapshot, q string) ([]story.Timeline, error) {
	if q == "" {
		return sn.stories, nil
	}
	hits, err := s.search(ctx, sn, q, searchLimit)
	if err != nil {
		return nil, err
	}
	var out []story.Timeline
	seen := map[string]bool{}
	for _, h := range hits {
		id, ok := sn.storyOf[h.ID]
		if !ok || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, sn.stories[sn.storyByID[id]])
	}
	return out, nil
}

// articleRow is one article of an event: its copies folded under it.
type articleRow struct {
	ID        string  `json:"id"`
	Title     *string `json:"title"`
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"`
	// First marks the event's first report.
	First bool `json:"first"`
	// Copies are the near-duplicate copies of this article in the story
	// and the other sources of its very text.
	Copies []copyRow `json:"copies"`
}

// copyRow is a copy of an article: a near-duplicate article of the story
// (with its ID) or another source of the same text (no ID).
type copyRow struct {
	Article   *string `json:"article"`
	Title     *string `json:"title"`
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"`
	SameText  bool    `json:"same_text"`
}

// eventView is one event of a story with its articles, copies folded.
type eventView struct {
	ID             string       `json:"id"`
	Title          string       `json:"title"`
	FirstPublished *string      `json:"first_published"`
	Articles       []articleRow `json:"articles"`
	// MoreArticles counts the event's articles not listed (see maxStoryRows).
	MoreArticles int `json:"more_articles"`
}

// statementView is one statement with every outlet's version of it.
type statementView struct {
	ID       string        `json:"id"`
	Direct   bool          `json:"direct"`
	Versions []versionView `json:"versions"`
}

// versionOf is a statement as one article's version of it.
func versionOf(st quote.Statement) versionView {
	return versionView{Quote: st.ID, Article: st.Article, Outlet: nullable(st.Outlet),
		Published: nullable(dayOrEmpty(st.Published)), Text: st.Text, Cue: st.Cue, Speaker: st.Speaker, Kind: st.Kind}
}

// versionView is one article's version of a statement.
type versionView struct {
	Quote     string  `json:"quote"`
	Article   string  `json:"article"`
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"`
	Text      string  `json:"text"`
	Cue       *string `json:"cue"`
	Speaker   *string `json:"speaker"`
	Kind      string  `json:"kind"`
}

// speakerView is what one speaker said in a story.
type speakerView struct {
	Name       string          `json:"name"`
	Entity     *string         `json:"entity"`
	Statements []statementView `json:"statements"`
}

// Bounds on one story page (and /api/stories/{id}), so that a story of
// thousands of articles answers in bounded time: the articles listed
// under the events (in event order; the rest counted in more_articles),
// the store queries for exact copies, and the statements listed (the rest
// counted in more_statements; /api/quotes?story= gives them all).
const (
	maxStoryRows       = 300
	maxCopyLookups     = 100
	maxStoryStatements = 300
)

// storyDetail is one story in full, for the page and the API.
type storyDetail struct {
	Story    storySummary  `json:"story"`
	Events   []eventView   `json:"events"`
	Undated  int           `json:"undated_articles"`
	Speakers []speakerView `json:"who_said_what"`
	// MoreStatements counts the statements not listed (see maxStoryStatements).
	MoreStatements int                      `json:"more_statements"`
	Disagreements  []storyline.Disagreement `json:"disagreements"`
	Timeline       *timelineSVG             `json:"-"`
}

func (s *Server) storyDetail(ctx context.Context, sn *snapshot, t story.Timeline) (storyDetail, error) {
	d := storyDetail{Story: sn.summary(t), Events: []eventView{}, Speakers: []speakerView{}, Disagreements: sn.disagreements[t.ID]}
	if d.Disagreements == nil {
		d.Disagreements = []storyline.Disagreement{}
	}
	copies := map[string][]string{}
	for _, ev := range t.Events {
		for _, id := range ev.Articles {
			if o, ok := t.CopyOf[id]; ok {
				copies[o] = append(copies[o], id)
			}
		}
	}
	lookups, rows := 0, 0
	for _, ev := range t.Events {
		e := eventView{ID: ev.ID, Title: ev.Title, FirstPublished: ev.FirstPublished, Articles: []articleRow{}}
		for _, id := range ev.Articles {
			if _, isCopy := t.CopyOf[id]; isCopy {
				continue
			}
			a := sn.byID[id]
			if a == nil {
				continue
			}
			if rows >= maxStoryRows {
				e.MoreArticles++
				continue
			}
			rows++
			row := articleRow{ID: id, Title: nullable(a.Title), Outlet: nullable(a.Outlet), Published: nullable(a.PublishedString()), First: len(e.Articles) == 0, Copies: []copyRow{}}
			for _, c := range copies[id] {
				if ca := sn.byID[c]; ca != nil {
					cid := c
					row.Copies = append(row.Copies, copyRow{Article: &cid, Title: nullable(ca.Title), Outlet: nullable(ca.Outlet), Published: nullable(ca.PublishedString())})
				}
			}
			// other sources of the same text: asked of the store for the
			// first maxCopyLookups articles only, so that a huge story
			// costs a bounded number of queries
			var cs []storyline.Copy
			if lookups < maxCopyLookups {
				lookups++
				var err error
				if cs, err = s.store.Copies(ctx, id); err != nil {
					return d, err
				}
			}
			for i, c := range cs {
				if i == 0 {
					continue // the article's own source
				}
				row.Copies = append(row.Copies, copyRow{Title: nullable(c.Title), Outlet: nullable(c.Outlet), Published: nullable(shortDate(c.Published)), SameText: true})
			}
			e.Articles = append(e.Articles, row)
		}
		d.Events = append(d.Events, e)
	}
	arts := sn.storyArticles(t)
	for _, a := range arts {
		if a.Published.IsZero() {
			d.Undated++
		}
	}
	idx := sn.inStory[t.ID]
	if len(idx) > maxStoryStatements {
		d.MoreStatements = len(idx) - maxStoryStatements
		idx = idx[:maxStoryStatements]
	}
	stmts := make([]quote.Statement, 0, len(idx))
	for _, i := range idx {
		stmts = append(stmts, sn.statements[i])
	}
	d.Speakers = speakers(stmts, t)
	d.Timeline = newTimeline(t, arts)
	return d, nil
}

// speakers groups the statements of a story's articles by speaker, and
// the versions of one statement together, first published first.
func speakers(all []quote.Statement, t story.Timeline) []speakerView {
	in := map[string]bool{}
	for _, id := range t.Articles {
		in[id] = true
	}
	type group struct {
		key   string
		stmts []quote.Statement
	}
	var order []string
	groups := map[string]*group{}
	for _, st := range all {
		if !in[st.Article] {
			continue
		}
		key := st.ID
		if st.SameAs != nil {
			key = *st.SameAs
		}
		g := groups[key]
		if g == nil {
			g = &group{key: key}
			groups[key] = g
			order = append(order, key)
		}
		g.stmts = append(g.stmts, st)
	}
	var out []speakerView
	bySpeaker := map[string]int{}
	for _, key := range order {
		vs := groups[key].stmts
		sort.SliceStable(vs, func(i, j int) bool {
			pi, pj := vs[i].Published, vs[j].Published
			if pi.IsZero() != pj.IsZero() {
				return !pi.IsZero()
			}
			return pi.Before(pj)
		})
		first := vs[0]
		sv := statementView{ID: key}
		for _, v := range vs {
			sv.Direct = sv.Direct || v.Direct
			sv.Versions = append(sv.Versions, versionOf(v))
		}
		name, skey := "unknown speaker", "?"
		switch {
		case first.SpeakerName != "":
			name, skey = first.SpeakerName, "e:"+deref(first.SpeakerEntity)
		case first.Speaker != nil && *first.Speaker != "":
			name, skey = *first.Speaker, "s:"+strings.ToLower(*first.Speaker)
		}
		i, ok := bySpeaker[skey]
		if !ok {
			i = len(out)
			bySpeaker[skey] = i
			out = append(out, speakerView{Name: name, Entity: first.SpeakerEntity})
		}
		out[i].Statements = append(out[i].Statements, sv)
	}
	sort.SliceStable(out, func(i, j int) bool {
		ui, uj := out[i].Name == "unknown speaker", out[j].Name == "unknown speaker"
		if ui != uj {
			return uj
		}
		return len(out[i].Statements) > len(out[j].Statements)
	})
	if out == nil {
		out = []speakerView{}
	}
	return out
}

// articleJSON is an article as the API gives it: the report's keys (unknown
// values null), its story and the other sources of its text.
type articleJSON struct {
	report.Article
	Story  *string          `json:"story"`
	Copies []storyline.Copy `json:"copies"`
}

func toArticleJSON(a storyline.Article, storyID string, copies []storyline.Copy) articleJSON {
	out := articleJSON{Article: report.ArticleOf(a), Story: nullable(storyID), Copies: copies}
	if out.Copies == nil {
		out.Copies = []storyline.Copy{}
	}
	return out
}

// segment is a piece of text, escaped when rendered: a link (URL set),
// plain text, marked text (a search match), a name (Entity set: the ID of
// its person, organisation or place), part of a statement (Said, with who
// said it in SaidBy), or both of the last two.
type segment struct {
	Text   string
	URL    string
	Mark   bool
	Entity string
	Said   bool
	SaidBy string
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"'\x60]+`)

// linkify cuts plain text into text and http(s) links. Anything else —
// javascript: included — stays text.
func linkify(s string) []segment {
	var out []segment
	last := 0
	for _, m := range urlRE.FindAllStringIndex(s, -1) {
		u := strings.TrimRight(s[m[0]:m[1]], ".,;:!?)]}")
		end := m[0] + len(u)
		if p, err := url.Parse(u); err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
			continue
		}
		if m[0] > last {
			out = append(out, segment{Text: s[last:m[0]]})
		}
		out = append(out, segment{Text: u, URL: u})
		last = end
	}
	if last < len(s) {
		out = append(out, segment{Text: s[last:]})
	}
	return out
}

// safeURL returns u when it is an http(s) URL with a host, else "".
func safeURL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || (p.Scheme != "http" && p.Scheme != "https") {
		return ""
	}
	return u
}

// marks cuts a search snippet into text and matches (the store marks
// matches with [ and ]).
func marks(s string) []segment {
	var out []segment
	for s != "" {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			break
		}
		if i > 0 {
			out = append(out, segment{Text: s[:i]})
		}
		out = append(out, segment{Text: s[i+1 : i+j], Mark: true})
		s = s[i+j+1:]
	}
	if s != "" {
		out = append(out, segment{Text: s})
	}
	return out
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func dayOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return day(t)
}

func shortDate(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
