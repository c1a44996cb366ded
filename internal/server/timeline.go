package server

import (
	"fmt"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/story"
)

// Timeline picture geometry, in SVG user units.
const (
	tlWidth     = 960
	tlLeft      = 170 // room for outlet names
	tlRight     = 16
	tlTop       = 34 // room for the date axis
	tlRow       = 22
	tlMaxRows   = 40  // outlets beyond are one row, "other outlets"
	tlMaxCols   = 120 // a longer story has columns of several days
	tlMaxTitles = 5   // article titles in a dot's tooltip
)

// timelineSVG is what the story page draws: one row per outlet, one
// column per day, a dot per outlet and day that carried an article, the
// first report marked, events as bands behind.
type timelineSVG struct {
	Width, Height int
	Rows          []tlLine
	Dots          []tlDot
	Bands         []tlBand
	Ticks         []tlTick
	Days          int
	Per           int // days per column
	AxisY, Bottom int
}

type tlLine struct {
	Y     int // baseline of the label
	LineY int
	Label string
}

type tlDot struct {
	X, Y  int
	R     int
	First bool
	Title string // tooltip: outlet, date, titles

	n    int // articles in the dot
	more int // length of Title before "… and N more"
}

type tlBand struct {
	X, W   int
	Class  string
	Title  string
	N      int // the event's number, shown on top
	LabelX int
}

type tlTick struct {
	X     int
	Label string
}

// newTimeline lays out the story's dated articles (arts in publish order);
// nil when none is dated.
func newTimeline(t story.Timeline, arts []*storyline.Article) *timelineSVG {
	if t.Span[0].IsZero() {
		return nil
	}
	start := dayStart(t.Span[0])
	days := int(dayStart(t.Span[1]).Sub(start).Hours()/24) + 1
	if days < 1 {
		days = 1
	}
	// a column is a day, or several when the story is long, so that the
	// picture stays a bounded size
	per := (days + tlMaxCols - 1) / tlMaxCols
	cols := (days + per - 1) / per
	plot := tlWidth - tlLeft - tlRight
	colX := func(c int) int { return tlLeft + (2*c+1)*plot/(2*cols) }
	half := max(plot/(2*cols), 3)
	dayOf := func(a *storyline.Article) int {
		d := int(dayStart(a.Published).Sub(start).Hours() / 24)
		return min(max(d, 0), days-1) / per
	}

	// rows: outlets in the order they first reported
	rowOf := map[string]int{}
	var labels []string
	for _, a := range arts {
		if a.Published.IsZero() {
			continue
		}
		o := a.Outlet
		if o == "" {
			o = "(outlet unknown)"
		}
		if _, ok := rowOf[o]; ok {
			continue
		}
		if len(labels) == tlMaxRows {
			rowOf[o] = tlMaxRows
			continue
		}
		rowOf[o] = len(labels)
		labels = append(labels, o)
	}
	nrows := len(labels)
	for _, r := range rowOf {
		if r == tlMaxRows {
			labels = append(labels, "other outlets")
			nrows++
			break
		}
	}
	tl := &timelineSVG{Width: tlWidth, Days: days, Per: per, AxisY: tlTop - 8}
	tl.Height = tlTop + nrows*tlRow + 8
	tl.Bottom = tl.Height - 4
	for i, l := range labels {
		y := tlTop + i*tlRow + tlRow/2
		tl.Rows = append(tl.Rows, tlLine{Y: y + 4, LineY: y, Label: clip(l, 26)})
	}

	// events as bands
	byID := make(map[string]*storyline.Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	for i, ev := range t.Events {
		lo, hi := -1, -1
		for _, id := range ev.Articles {
			if a := byID[id]; a != nil && !a.Published.IsZero() {
				d := dayOf(a)
				if lo < 0 || d < lo {
					lo = d
				}
				if d > hi {
					hi = d
				}
			}
		}
		if lo < 0 {
			continue
		}
		x := colX(lo) - half
		w := colX(hi) + half - x
		class := "band0"
		if i%2 == 1 {
			class = "band1"
		}
		tl.Bands = append(tl.Bands, tlBand{X: x, W: w, Class: class, Title: clip(ev.Title, 120), N: i + 1, LabelX: x + w/2})
	}

	// dots: one per outlet row and day
	type cell struct{ row, day int }
	idx := map[cell]int{}
	firstDone := false
	for _, a := range arts {
		if a.Published.IsZero() {
			continue
		}
		o := a.Outlet
		if o == "" {
			o = "(outlet unknown)"
		}
		c := cell{rowOf[o], dayOf(a)}
		first := !firstDone
		if _, isCopy := t.CopyOf[a.ID]; isCopy {
			first = false
		}
		if first {
			firstDone = true
		}
		if i, ok := idx[c]; ok {
			d := &tl.Dots[i]
			d.R = min(d.R+1, 9)
			d.n++
			switch {
			case d.n <= tlMaxTitles:
				d.Title += "\n" + clip(a.Title, 100)
			case d.n == tlMaxTitles+1:
				d.more = len(d.Title)
				fallthrough
			default:
				d.Title = d.Title[:d.more] + fmt.Sprintf("\n… and %d more", d.n-tlMaxTitles)
			}
			d.First = d.First || first
			continue
		}
		idx[c] = len(tl.Dots)
		when := day(a.Published)
		if per > 1 {
			when = day(start.AddDate(0, 0, c.day*per)) + " – " + day(start.AddDate(0, 0, c.day*per+per-1))
		}
		title := o + " · " + when + "\n" + clip(a.Title, 100)
		if first {
			title = "first report: " + title
		}
		tl.Dots = append(tl.Dots, tlDot{X: colX(c.day), Y: tlTop + c.row*tlRow + tlRow/2, R: 5, First: first, Title: title, n: 1})
	}

	// date ticks: at most 8
	step := max(1, (cols+7)/8)
	layout := "Jan 2"
	if days > 300 {
		layout = "Jan 2 2006"
	}
	for c := 0; c < cols; c += step {
		tl.Ticks = append(tl.Ticks, tlTick{X: colX(c), Label: start.AddDate(0, 0, c*per).Format(layout)})
	}
	return tl
}

func dayStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
