package pipeline

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/ingest"
	"github.com/storyline-news/storyline/internal/sqlite"
)

func TestPlaceStoriesAsTheArchiveGrows(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dir := corpus(t, 12)
	if _, err := Run(ctx, &ingest.Reader{}, []string{dir}, store, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	// placed in batches of five: 12 articles make three batches
	var batches []int
	n, err := PlaceStories(ctx, store, 5, func(placed int) { batches = append(batches, placed) })
	if err != nil || n != 12 || len(batches) != 3 || batches[2] != 12 {
		t.Fatalf("placed %d (progress %v), err %v; want 12 in three batches", n, batches, err)
	}
	before, err := store.Assignments(ctx)
	if err != nil || len(before) != 12 {
		t.Fatalf("%d assignments, err %v", len(before), err)
	}
	// nothing new: nothing placed, nothing moved
	if n, err := PlaceStories(ctx, store, 5, nil); err != nil || n != 0 {
		t.Fatalf("placed %d again, err %v", n, err)
	}
	// a later batch of articles is placed against the saved clustering;
	// the articles placed before keep their place
	more := t.TempDir()
	writeArticles(t, more, 12, 16)
	if _, err := Run(ctx, &ingest.Reader{}, []string{more}, store, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	articles, err := store.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := Stories(ctx, store, articles)
	if err != nil {
		t.Fatal(err)
	}
	after, err := store.Assignments(ctx)
	if err != nil || len(after) != 16 {
		t.Fatalf("%d assignments after the second run, err %v", len(after), err)
	}
	for i := range before {
		if after[i].Article != before[i].Article || after[i].Event != before[i].Event {
			t.Errorf("article %s moved: %+v → %+v", before[i].Article, before[i], after[i])
		}
	}
	total := 0
	for _, tl := range ts {
		total += len(tl.Articles)
	}
	if total != 16 {
		t.Errorf("the stories hold %d articles, want 16", total)
	}
}

func TestPlaceStoriesRefusesADamagedState(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := Run(ctx, &ingest.Reader{}, []string{corpus(t, 3)}, store, Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	// a state of parts whose meta is damaged, then a whole state (as
	// stores kept it before parts) that is damaged
	for v, bad := range [][]storyline.StatePart{{{Key: "meta", Data: []byte("garbage")}}, {{Key: "meta"}, {Key: "stream", Data: []byte("garbage")}}} {
		if _, err := store.SaveClustering(ctx, int64(v), bad, nil, nil, nil); err != nil {
			t.Fatal(err)
		}
		before, _, _, err := store.Clustering(ctx, -1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := PlaceStories(ctx, store, 0, nil); err == nil {
			t.Errorf("damaged clustering state %d was accepted", v)
		}
		after, version, unplaced, err := store.Clustering(ctx, -1, 0)
		byKey := func(a, b storyline.StatePart) int { return strings.Compare(a.Key, b.Key) }
		slices.SortFunc(before, byKey)
		slices.SortFunc(after, byKey)
		if err != nil || version != int64(v+1) || len(unplaced) != 3 || !reflect.DeepEqual(after, before) {
			t.Errorf("damaged state %d: after the refusal version %d, %d unplaced, parts changed %v (%v); want it left as it is",
				v, version, len(unplaced), !reflect.DeepEqual(after, before), err)
		}
	}
}
