package sqlite

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/storyline-news/storyline"
)

// chunkedBatch returns a batch longer than two statements of n rows:
// new articles, copies of ones earlier in the batch (another source, or
// the same source again), and copies of the stored articles given.
func chunkedBatch(n int, stored []storyline.Article) []storyline.Article {
	var batch []storyline.Article
	for i := 0; len(batch) < 2*n+7; i++ {
		a := art(fmt.Sprintf("c%03d", i), fmt.Sprintf("Harbour %d", i), fmt.Sprintf("Boat %d came into the harbour; the quay counted %d.", i, i%7))
		batch = append(batch, a)
		switch {
		case i%9 == 4: // a copy of the one before, from elsewhere
			c := batch[len(batch)-2]
			c.Source, c.Outlet = fmt.Sprintf("wire-%d.txt", i), "Wire"
			batch = append(batch, c)
		case i%13 == 6: // the same article from the same source again
			batch = append(batch, a)
		case i%11 == 3 && len(stored) > 0: // a copy of a stored article
			c := stored[i%len(stored)]
			c.Source = fmt.Sprintf("late-%d.txt", i)
			batch = append(batch, c)
		}
	}
	return batch
}

// A batch stored by statements of articleRows articles is stored as its
// articles saved one call each would be (a batch of one is one row per
// statement): the same articles created, in the same order, with the
// same copies and search index, whether the batch splits evenly or not.
func TestChunkedSaveIsOneByOne(t *testing.T) {
	ctx := context.Background()
	first := []storyline.Article{art("s1", "Quay", "An old boat on the quay."), art("s2", "Ferry", "The ferry left the harbour.")}
	for _, extra := range []int{0, 1} {
		batch := chunkedBatch(articleRows, first)
		if extra == 0 {
			batch = batch[:2*articleRows] // two whole statements
		}
		chunked, single := open(t, ":memory:"), open(t, ":memory:")
		for _, s := range []*Store{chunked, single} {
			if _, err := s.SaveArticles(ctx, first); err != nil {
				t.Fatal(err)
			}
		}
		got, err := chunked.SaveArticles(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		var want []bool
		for _, a := range batch {
			c, err := single.SaveArticles(ctx, []storyline.Article{a})
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, c[0])
		}
		if !slices.Equal(got, want) {
			i := 0
			for i < min(len(got), len(want)) && got[i] == want[i] {
				i++
			}
			t.Fatalf("%d articles: created %d flags, one by one %d; first difference at %d", len(batch), len(got), len(want), i)
		}
		if n := len(slices.DeleteFunc(slices.Clone(got), func(b bool) bool { return b })); n < 10 || n == len(got) {
			t.Fatalf("%d of %d articles not created: the batch tests too few copies or only copies", n, len(got))
		}
		ga, err := chunked.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wa, err := single.Articles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(ga, wa, func(a, b storyline.Article) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
			t.Fatalf("stored articles differ from those saved one by one (%d and %d)", len(ga), len(wa))
		}
		for _, a := range ga {
			gc, err := chunked.Copies(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			wc, err := single.Copies(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(gc, wc) {
				t.Errorf("copies of %s: %v, one by one %v", a.ID, gc, wc)
			}
		}
		for _, s := range []*Store{chunked, single} {
			if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')`); err != nil {
				t.Fatalf("the search index does not match the articles: %v", err)
			}
		}
		for _, q := range []string{"harbour", "quay 3", `"counted 5"`, "ferry"} {
			gh, err := chunked.Search(ctx, q, 1000)
			if err != nil {
				t.Fatal(err)
			}
			wh, err := single.Search(ctx, q, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(gh) == 0 || !slices.Equal(gh, wh) {
				t.Errorf("search %s: %d hits, one by one %d", q, len(gh), len(wh))
			}
		}
	}
}

// Placements recorded by statements of placeRows are recorded as they
// would be one call each: in order, an article placed already (before,
// or earlier in the call) keeps its first place; an article not stored
// fails the whole call, in any statement, and leaves nothing placed.
func TestChunkedPlacingIsOneByOne(t *testing.T) {
	ctx := context.Background()
	var arts []storyline.Article
	for i := 0; i < 2*placeRows+20; i++ {
		arts = append(arts, art(fmt.Sprintf("p%04d", i), "Harbour", fmt.Sprintf("Boat %d.", i)))
	}
	chunked, single := open(t, ":memory:"), open(t, ":memory:")
	before := []storyline.Assignment{{Article: "p0005", Event: "e-old", Story: "s-old"}}
	for _, s := range []*Store{chunked, single} {
		if _, err := s.SaveArticles(ctx, arts); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveClustering(ctx, 0, nil, before, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	var placed []storyline.Assignment
	for i, a := range arts[:2*placeRows+3] {
		placed = append(placed, storyline.Assignment{Article: a.ID, Event: fmt.Sprint("e", i%17), Story: fmt.Sprint("s", i%5), CopyOf: fmt.Sprint("x", i%3)})
		if i%97 == 50 { // the same article again, elsewhere: the first place holds
			placed = append(placed, storyline.Assignment{Article: a.ID, Event: "e-again", Story: "s-again"})
		}
	}
	// an unknown article in the last statement, then in the first: nothing saved
	for _, at := range []int{len(placed), 3} {
		bad := slices.Insert(slices.Clone(placed), at, storyline.Assignment{Article: "nope", Event: "e", Story: "s"})
		if _, err := chunked.SaveClustering(ctx, 1, nil, bad, nil, nil); !errors.Is(err, storyline.ErrNotFound) {
			t.Errorf("placing an unknown article at %d of %d: %v, want an error wrapping ErrNotFound", at, len(bad), err)
		}
		if as, err := chunked.Assignments(ctx); err != nil || len(as) != 1 {
			t.Fatalf("after a failed placing: %d placed, %v; want 1", len(as), err)
		}
	}
	if v, err := chunked.SaveClustering(ctx, 1, nil, placed, nil, nil); err != nil || v != 2 {
		t.Fatalf("placing %d: version %d, %v", len(placed), v, err)
	}
	version := int64(1)
	for _, p := range placed {
		v, err := single.SaveClustering(ctx, version, nil, []storyline.Assignment{p}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		version = v
	}
	got, err := chunked.Assignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := single.Assignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) || len(got) != 2*placeRows+3 {
		t.Fatalf("%d placements, one by one %d (want %d), or not the same", len(got), len(want), 2*placeRows+3)
	}
	if got[0] != before[0] {
		t.Errorf("an article placed before moved: %v", got[0])
	}
	gu, wu := len(unplacedOf(t, chunked)), len(unplacedOf(t, single))
	if gu != 17 || wu != gu {
		t.Errorf("%d unplaced, one by one %d; want 17", gu, wu)
	}
}

func unplacedOf(t *testing.T, s *Store) []storyline.Article {
	t.Helper()
	_, _, un, err := s.Clustering(context.Background(), -1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return un
}

// The state's parts written in one call end as written one call each: a
// part given twice ends as the last says, a deleted part is gone, and a
// part deleted then written again is there.
func TestPartsInOneCallAreOneByOne(t *testing.T) {
	ctx := context.Background()
	const partRows = 500
	chunked, single := open(t, ":memory:"), open(t, ":memory:")
	var changed []storyline.StatePart
	for i := 0; i < 2*partRows+40; i++ {
		changed = append(changed, storyline.StatePart{Key: fmt.Sprint("k", i%(partRows+100)), Data: []byte(fmt.Sprint("v", i))})
		if i%7 == 3 { // a run of deletes
			for d := 0; d < 1+i%3; d++ {
				changed = append(changed, storyline.StatePart{Key: fmt.Sprint("k", (i*31+d)%(partRows+100))})
			}
		}
	}
	changed = append(changed, storyline.StatePart{Key: "empty", Data: []byte{}})
	if _, err := chunked.SaveClustering(ctx, 0, changed, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	version := int64(0)
	for _, p := range changed {
		v, err := single.SaveClustering(ctx, version, []storyline.StatePart{p}, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		version = v
		if p.Data == nil {
			delete(want, p.Key)
		} else {
			want[p.Key] = string(p.Data)
		}
	}
	for _, s := range []*Store{chunked, single} {
		parts, _, _, err := s.Clustering(ctx, -1, 1)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range parts {
			got[p.Key] = string(p.Data)
		}
		if !maps.Equal(got, want) {
			t.Errorf("%d parts, want %d, or not the same", len(got), len(want))
		}
	}
	if len(want) < partRows/2 || len(want) == partRows+101 {
		t.Errorf("%d parts kept: the test deletes too few or too many", len(want))
	}
}
