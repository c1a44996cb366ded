package story

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

func TestBuild(t *testing.T) {
	body := "Harbour Minister Elena Marsh said the harbour bridge reopened to traffic after engineers replaced forty steel cables over eleven weeks.\n\n" +
		"The council said the work came in under its budget, and ferry crews returned to their normal timetable on Monday morning."
	ferry := "Ferry crews of the Port Almera line walked out over pay on Friday and all morning crossings were cancelled, the union said.\n\n" +
		"Union leader Tom Reyes said talks with the operator would resume next week."
	articles := []storyline.Article{
		{ID: "a", Outlet: "Coast Times", Title: "Bridge reopens", Published: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC), Text: body},
		{ID: "b", Outlet: "Harbour Wire", Title: "Ferry strike", Published: time.Date(2025, 3, 7, 0, 0, 0, 0, time.UTC), Text: ferry},
		// a syndicated copy with a line of boilerplate, undated
		{ID: "c", Outlet: "Late Gazette", Title: "Bridge reopens (wire)", Text: body + "\n\nSubscribe to our newsletter"},
	}
	res := entity.Resolve(entity.Docs(articles))
	ts := Build(articles, res, Options{})
	var bridge *Timeline
	for i := range ts {
		for _, id := range ts[i].Articles {
			if id == "a" {
				bridge = &ts[i]
			}
		}
	}
	if bridge == nil || bridge.CopyOf["c"] != "a" || len(bridge.Events) != 1 || strings.Join(bridge.Events[0].Articles, ",") != "a,c" {
		t.Fatalf("bridge story: %+v", bridge)
	}
	if *bridge.FirstPublished != "2025-03-04" || bridge.Title == nil || *bridge.Title != "Bridge reopens" {
		t.Errorf("bridge story metadata: %+v", bridge.Story)
	}
	if len(ts) != 2 {
		t.Errorf("%d stories, want 2 (bridge, ferry)", len(ts))
	}
	again := Build(articles, entity.Resolve(entity.Docs(articles)), Options{})
	for i := range ts {
		if ts[i].ID != again[i].ID {
			t.Error("story IDs differ between runs")
		}
	}
}

func TestBuildIgnoresIngestionOrder(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	var articles []storyline.Article
	for i := 0; i < 12; i++ {
		topic := []string{"harbour bridge cables repairs council", "ferry strike union crossings pay", "port almera budget vote mayor"}[i%3]
		articles = append(articles, storyline.Article{ID: fmt.Sprint("a", i), Published: day(1 + i/4), // several a day
			Text: fmt.Sprintf("Report %d on the %s, with details that differ from report to report number %d.", i, topic, i*7)})
	}
	articles = append(articles, storyline.Article{ID: "undated", Text: "An undated report on the harbour bridge cables repairs council."})
	res := entity.Resolve(entity.Docs(articles))
	want := Build(articles, res, Options{})
	rev := make([]storyline.Article, len(articles))
	for i := range articles {
		rev[len(articles)-1-i] = articles[i]
	}
	got := Build(rev, entity.Resolve(entity.Docs(rev)), Options{})
	if fmt.Sprint(storiesOf(want)) != fmt.Sprint(storiesOf(got)) {
		t.Errorf("ingestion order changed the stories:\n%v\n%v", storiesOf(want), storiesOf(got))
	}
}

func storiesOf(ts []Timeline) [][]string {
	var out [][]string
	for _, t := range ts {
		out = append(out, append([]string{t.ID}, t.Articles...))
	}
	return out
}

func TestHintTime(t *testing.T) {
	for text, want := range map[string]string{
		"— Name (@handle) March 15, 2025":                "2025-03-15",
		"on Jan. 8, 2025 and later on 24 January 2025":   "2025-01-24",
		"filed 2024-11-02; see also 2023-01-01":          "2024-11-02",
		"a Jan. 22 interview, no year":                   "",
		"in 1066 and on February 30, 2025 (no such day)": "",
	} {
		got := ""
		if h := hintTime(text); !h.IsZero() {
			got = h.Format("2006-01-02")
		}
		if got != want {
			t.Errorf("hintTime(%q) = %q, want %q", text, got, want)
		}
	}
}
