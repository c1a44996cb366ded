package story

import (
	"fmt"
	"testing"
	"time"
)

func day(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, time.UTC) }

func TestEventsAndStories(t *testing.T) {
	bridge := func(i int, d time.Time) Doc {
		return Doc{ID: fmt.Sprint("b", i), Time: d, Title: "Harbour bridge reopens after cable repairs",
			Text:     fmt.Sprintf("The harbour bridge reopened to traffic after engineers replaced forty steel cables, the council said. Report %d.", i),
			Entities: []string{"council", "bridge"}}
	}
	ferry := func(i int, d time.Time) Doc {
		return Doc{ID: fmt.Sprint("f", i), Time: d, Title: "Ferry crews strike over pay",
			Text:     fmt.Sprintf("Ferry crews walked out over pay and the morning crossings were cancelled, the union said. Report %d.", i),
			Entities: []string{"union", "ferry"}}
	}
	docs := []Doc{bridge(1, day(1)), ferry(1, day(1)), bridge(2, day(2)), ferry(2, day(2)), bridge(3, time.Time{})}
	r := Cluster(docs, Options{})
	if r.EventOf[0] != r.EventOf[2] || r.EventOf[0] != r.EventOf[4] {
		t.Errorf("bridge reports split: %v", r.EventOf)
	}
	if r.EventOf[0] == r.EventOf[1] || r.StoryOf(0) == r.StoryOf(1) {
		t.Errorf("bridge and ferry merged: events %v", r.EventOf)
	}
	if len(r.Events) != 2 || len(r.Stories) != 2 {
		t.Errorf("events %v stories %v", r.Events, r.Stories)
	}
	// the same story two months later is another event
	late := bridge(9, day(1).AddDate(0, 2, 0))
	late.Text = "Two months on, the harbour bridge closed again after a cable snapped, the council said."
	late.Title = "Harbour bridge closes again"
	r2 := Cluster(append(docs, late), Options{})
	if r2.EventOf[5] == r2.EventOf[0] {
		t.Errorf("a report two months later joined the first event")
	}
	// deterministic
	r3 := Cluster(docs, Options{})
	if fmt.Sprint(r3) != fmt.Sprint(r) {
		t.Error("same input, other clusters")
	}
}

func TestDecay(t *testing.T) {
	c := &cluster{sum: vector{}}
	c.add(vector{"w:x": 1}, day(10))
	if c.decay(day(10), 3) != 1 || c.decay(time.Time{}, 3) != 1 {
		t.Error("no decay within the span or without a date")
	}
	if d := c.decay(day(16), 3); d > 0.2 || d <= 0 {
		t.Errorf("six days off a 3-day scale: %.3f", d)
	}
}
