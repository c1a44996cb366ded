package story

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
)

// lateDocs are the documents of the late-article tests: an undated report
// on a summit (its names: the EU, Poland, Brussels, the Commission), a
// dated report on something else, and a report of the summit with other
// words and half of its names, dated at will.
func lateDocs() (undated, other Doc, summit func(t time.Time) Doc) {
	undated = Doc{ID: "u", Text: "leaders gathered summit agenda", Entities: []string{"eu", "eu", "poland", "brussels", "commission"}}
	other = Doc{ID: "o", Time: day(20), Text: "harbour bridge cables replaced", Entities: []string{"marsh", "almera"}}
	summit = func(t time.Time) Doc {
		return Doc{ID: "s", Time: t, Text: "ministers quarrel funds budget", Entities: []string{"eu", "poland", "warsaw", "tusk", "tusk"}}
	}
	return undated, other, summit
}

// TestLateArticleKeepsOutOfUndatedStories: placed in publish order, a
// dated article never meets a story of undated articles alone (they come
// last); an article published before one placed already (late) does not
// open its event in such a story, while one in publish order, or one
// whose time is a hint read in its text, still does.
func TestLateArticleKeepsOutOfUndatedStories(t *testing.T) {
	place := func(t time.Time, hinted bool) (c *Clusterer, undatedStory, story int, opened bool) {
		undated, other, summit := lateDocs()
		c = New(Options{})
		_, undatedStory = c.Add(undated)
		c.Add(other)
		d := summit(t)
		d.hinted = hinted
		events := len(c.events)
		e, story := c.Add(d)
		return c, undatedStory, story, e == events
	}
	_, u, s, opened := place(day(25), false)
	if !opened || s != u {
		t.Fatalf("in publish order: event opened %v, story %d, want a new event in the undated story %d (the test needs it)", opened, s, u)
	}
	if _, u, s, _ := place(day(5), false); s == u {
		t.Errorf("a late article opened its event in the undated story %d", u)
	}
	if _, u, s, _ := place(day(5), true); s != u {
		t.Errorf("an article dated by a hint went to story %d, want the undated story %d", s, u)
	}
	// a hint moves no article's lateness: after a hint of day 40, day 25
	// is in publish order
	undated, other, summit := lateDocs()
	c := New(Options{})
	_, u = c.Add(undated)
	c.Add(other)
	hint := Doc{ID: "h", Time: day(40), hinted: true, Text: "unrelated words entirely", Entities: []string{"marsh"}}
	c.Add(hint)
	if _, s := c.Add(summit(day(25))); s != u {
		t.Errorf("after a hint of a later day, an article in publish order went to story %d, want the undated story %d", s, u)
	}
}

// lateArticles are lateDocs as articles of a Stream, with their entities.
func lateArticles() (batches [][]storyline.Article, res []entity.Result) {
	undated, other, summit := lateDocs()
	late := summit(day(5))
	for _, d := range []Doc{undated, other, late} {
		a := storyline.Article{ID: d.ID, Text: d.Text, Published: d.Time}
		var r entity.Result
		for _, e := range d.Entities {
			r.Entities = append(r.Entities, storyline.Entity{ID: e, Name: fmt.Sprintf("Name %s", e), Type: storyline.Person})
		}
		m := make([]entity.Linked, len(d.Entities))
		for i := range m {
			m[i] = entity.Linked{Entity: i}
		}
		r.Mentions = [][]entity.Linked{m}
		batches = append(batches, []storyline.Article{a})
		res = append(res, r)
	}
	return batches, res
}

// TestStreamKeepsLatenessAcrossSaves: the newest publish time placed is
// saved with a Stream, whole or as parts, so that an article a loaded
// stream finds late is the one the stream kept in memory finds late.
func TestStreamKeepsLatenessAcrossSaves(t *testing.T) {
	batches, res := lateArticles()
	straight := NewStream(Options{}, 0)
	var want []storyline.Assignment
	for i := range batches {
		want = append(want, straight.Add(batches[i], res[i])...)
	}
	if want[2].Story == want[0].Story {
		t.Fatalf("the late article went to the undated story: %+v", want)
	}
	whole := NewStream(Options{}, 0)
	parts := NewStream(Options{}, 0)
	store := partStore{}
	for i := range 2 {
		whole.Add(batches[i], res[i])
		parts.Add(batches[i], res[i])
		store.save(t, parts)
	}
	b, err := whole.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	fromWhole := &Stream{}
	if err := fromWhole.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	fromParts := checkLoadsAs(t, store, parts, "a stream loaded from parts holds another state")
	for name, s := range map[string]*Stream{"whole": fromWhole, "parts": fromParts} {
		if got := s.Add(batches[2], res[2]); !reflect.DeepEqual(got, want[2:]) {
			t.Errorf("loaded from a %s state: placed %+v, want %+v", name, got, want[2:])
		}
	}
}

// TestStreamLoadsLatenessOfOldStates: a state saved before the newest
// publish time was judges lateness from its newest time; a state holding
// more than one newest publish time is refused.
func TestStreamLoadsLatenessOfOldStates(t *testing.T) {
	s, parts := savedStream(t)
	withPublished := func(ts []time.Time) []storyline.StatePart {
		return withMeta(t, parts, func(m *metaState) { m.Published = ts })
	}
	if s.c.published.IsZero() || !s.c.published.Equal(s.c.latest) {
		t.Fatalf("published %v, latest %v: the test needs them equal and known", s.c.published, s.c.latest)
	}
	for _, c := range []struct {
		name string
		ts   []time.Time
		want time.Time
	}{{"saved before", nil, s.c.latest}, {"zero", []time.Time{{}}, time.Time{}}, {"saved", []time.Time{day(2)}, day(2)}} {
		loaded := &Stream{}
		if err := loaded.Load(withPublished(c.ts)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !loaded.c.published.Equal(c.want) {
			t.Errorf("%s: published %v, want %v", c.name, loaded.c.published, c.want)
		}
	}
	if err := (&Stream{}).Load(withPublished([]time.Time{day(2), day(3)})); err == nil {
		t.Error("a state of two newest publish times was accepted")
	}
}
