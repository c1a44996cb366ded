// Package report builds the report of an analysis — the JSON document of
// `storyline analyze --json`, whose keys are a stable contract — and renders
// it as JSON or as text for people.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/storyline-news/storyline"
)

// Report is the JSON report. Every array is present (empty, never null).
type Report struct {
	Articles      []Article                `json:"articles"`
	Entities      []storyline.Entity       `json:"entities"`
	Quotes        []storyline.Quote        `json:"quotes"`
	Claims        []storyline.Claim        `json:"claims"`
	Stories       []storyline.Story        `json:"stories"`
	Disagreements []storyline.Disagreement `json:"disagreements"`
}

// Article is an article as the report shows it: unknown values are null.
type Article struct {
	ID        string                  `json:"id"`
	Source    string                  `json:"source"`
	URL       *string                 `json:"url"`
	Outlet    *string                 `json:"outlet"`
	Title     *string                 `json:"title"`
	Author    *string                 `json:"author"`
	Published *string                 `json:"published"`
	Language  *string                 `json:"language"`
	Text      string                  `json:"text"`
	Removed   []storyline.RemovedLine `json:"removed"`
}

// Build makes the report of the given articles, in the order given, and
// of the entities found in them (nil when none were looked for).
func Build(articles []storyline.Article, entities []storyline.Entity) Report {
	r := Report{
		Articles:      make([]Article, 0, len(articles)),
		Entities:      entities,
		Quotes:        []storyline.Quote{},
		Claims:        []storyline.Claim{},
		Stories:       []storyline.Story{},
		Disagreements: []storyline.Disagreement{},
	}
	if r.Entities == nil {
		r.Entities = []storyline.Entity{}
	}
	for _, a := range articles {
		r.Articles = append(r.Articles, ArticleOf(a))
	}
	return r
}

// ArticleOf is an article as the report shows it.
func ArticleOf(a storyline.Article) Article {
	removed := a.Removed
	if removed == nil {
		removed = []storyline.RemovedLine{}
	}
	return Article{
		ID: a.ID, Source: a.Source, URL: null(a.URL), Outlet: null(a.Outlet),
		Title: null(a.Title), Author: null(a.Author), Published: null(a.PublishedString()),
		Language: null(a.Language), Text: a.Text, Removed: removed,
	}
}

func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON report: %w", err)
	}
	return nil
}

// WriteText writes the report for people: one block per article with its
// metadata, the start of its text and what was removed.
func WriteText(w io.Writer, r Report) error {
	ew := &errWriter{w: w}
	ew.printf("%d articles\n", len(r.Articles))
	for _, a := range r.Articles {
		ew.printf("\n%s  %s\n", a.ID, orUnknown(a.Title, "(no title)"))
		ew.printf("  source:    %s\n", a.Source)
		ew.printf("  outlet:    %s\n", orUnknown(a.Outlet, "unknown"))
		ew.printf("  author:    %s\n", orUnknown(a.Author, "unknown"))
		ew.printf("  published: %s\n", orUnknown(a.Published, "unknown"))
		ew.printf("  language:  %s\n", orUnknown(a.Language, "unknown"))
		paras := strings.Split(a.Text, "\n\n")
		ew.printf("  text:      %d paragraphs, %d words\n", len(paras), len(strings.Fields(a.Text)))
		ew.printf("             %s\n", clip(paras[0], 160))
		if len(a.Removed) > 0 {
			counts := map[string]int{}
			var order []string
			for _, rm := range a.Removed {
				if counts[rm.Reason] == 0 {
					order = append(order, rm.Reason)
				}
				counts[rm.Reason]++
			}
			parts := make([]string, len(order))
			for i, reason := range order {
				parts[i] = fmt.Sprintf("%s ×%d", reason, counts[reason])
			}
			ew.printf("  removed:   %d lines (%s)\n", len(a.Removed), strings.Join(parts, ", "))
		}
	}
	if len(r.Entities) > 0 {
		ew.printf("\n%d people, organisations and places; the most mentioned:\n", len(r.Entities))
		WriteEntities(ew, r.Entities, 20)
	}
	if len(r.Stories) > 0 {
		noun := "stories"
		if len(r.Stories) == 1 {
			noun = "story"
		}
		ew.printf("\n%d %s (storyline story ID shows a timeline):\n", len(r.Stories), noun)
		for _, st := range r.Stories {
			ew.printf("  %s  %s\n", st.ID, clip(orUnknown(st.Title, "(untitled)"), 90))
			for _, ev := range st.Events {
				day := orUnknown(ev.FirstPublished, "undated")
				if len(day) > 10 {
					day = day[:10]
				}
				ew.printf("      %-10s %2d articles  %s\n", day, len(ev.Articles), clip(ev.Title, 80))
			}
		}
	}
	if len(r.Quotes) > 0 {
		names := map[string]string{}
		for _, e := range r.Entities {
			names[e.ID] = e.Name
		}
		groups := map[string]int{}
		for _, q := range r.Quotes {
			key := q.ID
			if q.SameAs != nil {
				key = *q.SameAs
			}
			groups[key]++
		}
		ew.printf("\n%d statements (%d quotes); the first %d (storyline quotes lists them all):\n", len(groups), len(r.Quotes), min(len(r.Quotes), 10))
		for _, q := range r.Quotes[:min(len(r.Quotes), 10)] {
			who := orUnknown(q.Speaker, "unknown speaker")
			if q.SpeakerEntity != nil && names[*q.SpeakerEntity] != "" {
				who = names[*q.SpeakerEntity]
			}
			ew.printf("  %-22s %s “%s”\n", clip(who, 22), orUnknown(q.Cue, "-"), clip(q.Text, 110))
		}
	}
	if len(r.Claims) > 0 {
		names := map[string]string{}
		for _, e := range r.Entities {
			names[e.ID] = e.Name
		}
		ew.printf("\n%d numeric claims; the first %d (storyline claims lists them all):\n", len(r.Claims), min(len(r.Claims), 10))
		for _, c := range r.Claims[:min(len(r.Claims), 10)] {
			what := c.Number
			if c.Subject != nil {
				what += " · " + *c.Subject
			}
			ew.printf("  %-34s %-22s %s\n", clip(what, 34), clip(orUnknown(c.Claimant, "unknown"), 22), clip(c.Text, 100))
		}
	}
	if len(r.Disagreements) > 0 {
		ew.printf("\n%d points where articles of one story disagree (storyline disagreements shows the sentences):\n", len(r.Disagreements))
		for _, d := range r.Disagreements {
			var sides []string
			for _, s := range d.Statements {
				sides = append(sides, fmt.Sprintf("%s %q", orUnknown(s.Outlet, s.Article[:min(8, len(s.Article))]), s.Says))
			}
			ew.printf("  [%s] %s: %s\n", d.Kind, d.About, clip(strings.Join(sides, " vs "), 160))
		}
	}
	return ew.err
}

// WriteEntities writes a table of entities for people: the first max of
// them (all when max is 0) with type, mentions, articles and variants.
func WriteEntities(w io.Writer, entities []storyline.Entity, max int) error {
	ew, ok := w.(*errWriter)
	if !ok {
		ew = &errWriter{w: w}
	}
	for i, e := range entities {
		if max > 0 && i == max {
			break
		}
		ew.printf("  %-30s %-12s %4d mentions in %d articles  %s\n", clip(e.Name, 30), e.Type, e.Mentions, len(e.Articles),
			clip(strings.Join(e.Variants, " · "), 80))
	}
	return ew.err
}

// WriteEntity writes one entity in full for people: variants, roles with
// their dates, articles and the evidence for each merge.
func WriteEntity(w io.Writer, e storyline.Entity, articles map[string]storyline.Article) error {
	ew := &errWriter{w: w}
	ew.printf("%s  (%s, %s)\n", e.Name, e.Type, e.ID)
	ew.printf("  mentions:  %d in %d articles\n", e.Mentions, len(e.Articles))
	ew.printf("  variants:  %s\n", strings.Join(e.Variants, " · "))
	if len(e.Roles) > 0 {
		ew.printf("  roles:\n")
		for _, r := range e.Roles {
			ew.printf("    %-10s  %-40s  %s\n", orUnknown(r.Date, "undated"), r.Role, articleLabel(r.Article, articles))
		}
	}
	ew.printf("  articles:\n")
	for _, id := range e.Articles {
		ew.printf("    %s\n", articleLabel(id, articles))
	}
	if len(e.Evidence) > 0 {
		ew.printf("  merged because:\n")
		for _, why := range e.Evidence {
			ew.printf("    - %s\n", why)
		}
	}
	return ew.err
}

func articleLabel(id string, articles map[string]storyline.Article) string {
	a, ok := articles[id]
	if !ok {
		return id
	}
	label := id[:min(12, len(id))]
	if a.Outlet != "" {
		label += "  " + a.Outlet
	}
	if p := a.PublishedString(); p != "" {
		label += "  " + p
	}
	if a.Title != "" {
		label += "  " + clip(a.Title, 60)
	}
	return label
}

func orUnknown(s *string, unknown string) string {
	if s == nil {
		return unknown
	}
	return *s
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	var n int
	n, e.err = e.w.Write(p)
	return n, e.err
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
