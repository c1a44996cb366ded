package pipeline

import (
	"context"
	"testing"

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
	if _, err := store.SaveClustering(ctx, 0, []byte("garbage"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := PlaceStories(ctx, store, 0, nil); err == nil {
		t.Error("a damaged clustering state was accepted")
	}
}
