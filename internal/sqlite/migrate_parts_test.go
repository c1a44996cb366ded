package sqlite

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/story"
)

// A database whose clustering state was saved whole (schema 4) keeps it
// as the part "stream", which a stream loads and replaces by its parts
// when it next saves.
func TestMigrationKeepsAWholeClusteringState(t *testing.T) {
	ctx := context.Background()
	arts := []storyline.Article{
		{ID: "a1", Title: "Bridge reopens", Published: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC),
			Text: "Harbour Minister Elena Marsh said the harbour bridge cables were replaced and the bridge reopened."},
		{ID: "a2", Title: "Bridge traffic", Published: time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC),
			Text: "Traffic crossed the harbour bridge again after Elena Marsh reopened it; the cables were replaced."},
	}
	s := story.NewStream(story.Options{}, 0)
	s.Add(arts, entity.Resolve(entity.Docs(arts)))
	whole, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v4.db")
	db := databaseAt(t, path, 4)
	if _, err := db.ExecContext(ctx, `INSERT INTO clustering (id, state, version, updated_at) VALUES (1, ?, 7, '2025-03-02T00:00:00Z')`, whole); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st := open(t, path)
	parts, v, _, err := st.Clustering(ctx, -1, 10)
	if err != nil || v != 7 || len(parts) != 1 || parts[0].Key != "stream" || string(parts[0].Data) != string(whole) {
		t.Fatalf("after the migration: %d parts, version %d, %v; want the whole state as the part stream at version 7", len(parts), v, err)
	}
	loaded := &story.Stream{}
	if err := loaded.Load(parts); err != nil {
		t.Fatal(err)
	}
	changed, err := loaded.Changes()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := st.SaveClustering(ctx, 7, changed, nil, nil, nil); err != nil || v != 8 {
		t.Fatalf("saving the loaded stream: version %d, %v", v, err)
	}
	parts, _, _, err = st.Clustering(ctx, -1, 10)
	if err != nil {
		t.Fatal(err)
	}
	again := &story.Stream{}
	if err := again.Load(parts); err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		if p.Key == "stream" {
			t.Error("the whole state is still there after a save")
		}
	}
	// both go on alike
	next := []storyline.Article{{ID: "a3", Title: "Bridge tolls", Published: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC),
		Text: "Elena Marsh said tolls on the harbour bridge would not rise now that the cables were replaced."}}
	res := entity.Resolve(entity.Docs(next))
	if got, want := again.Add(next, res), s.Add(next, res); !reflect.DeepEqual(got, want) {
		t.Errorf("the stream loaded from parts placed %v, the one saved whole %v", got, want)
	}
}
