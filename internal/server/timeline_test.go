package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/story"
)

// A story of three years is drawn in at most tlMaxCols columns, with
// dated ticks, a dot per outlet and column, and one first report.
func TestTimelineLongStory(t *testing.T) {
	start := time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)
	var arts []*storyline.Article
	var ids []string
	for i := 0; i < 3000; i++ {
		a := &storyline.Article{ID: fmt.Sprint("a", i), Outlet: fmt.Sprint("outlet ", i%60), Title: "t",
			Published: start.Add(time.Duration(i) * 9 * time.Hour)}
		arts = append(arts, a)
		ids = append(ids, a.ID)
	}
	tl := story.Timeline{Story: storyline.Story{ID: "s", Articles: ids, Events: []storyline.Event{{ID: "e", Articles: ids}}},
		Span: [2]time.Time{arts[0].Published, arts[len(arts)-1].Published}}
	svg := newTimeline(tl, arts)
	if svg.Days < 1000 || svg.Per < 2 {
		t.Fatalf("days %d, per %d", svg.Days, svg.Per)
	}
	cols := (svg.Days + svg.Per - 1) / svg.Per
	if cols > tlMaxCols || len(svg.Ticks) > 8 || len(svg.Rows) != tlMaxRows+1 {
		t.Errorf("%d columns, %d ticks, %d rows", cols, len(svg.Ticks), len(svg.Rows))
	}
	if len(svg.Dots) > (tlMaxRows+1)*tlMaxCols {
		t.Errorf("%d dots", len(svg.Dots))
	}
	first := 0
	for _, d := range svg.Dots {
		if n := strings.Count(d.Title, "\n"); n > tlMaxTitles+1 {
			t.Errorf("a tooltip of %d lines: %q", n+1, d.Title)
		}
		if d.X < tlLeft || d.X > tlWidth-tlRight {
			t.Errorf("a dot outside the plot: %+v", d)
		}
		if d.First {
			first++
		}
	}
	if first != 1 || svg.Ticks[0].Label != "Jan 1 2020" || svg.Ticks[1].Label == svg.Ticks[0].Label {
		t.Errorf("%d first reports; ticks %+v", first, svg.Ticks)
	}
}
