package story

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline-news/storyline"
	"github.com/storyline-news/storyline/internal/corpus"
	"github.com/storyline-news/storyline/internal/entity"
	"github.com/storyline-news/storyline/internal/extract"
)

// TestSeeds: the five seed articles are one story in two events, the
// January interview and the March call (004, undated, placed by the date of
// the post it embeds).
func TestSeeds(t *testing.T) {
	dir := corpus.Require(t, "seeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) != 5 {
		t.Fatalf("seeds: %v %d files", err, len(files))
	}
	var articles []storyline.Article
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := extract.Article(storyline.RawDoc{Source: f, Kind: storyline.KindText, Body: b}, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		articles = append(articles, a)
	}
	ts := Build(articles, entity.Resolve(entity.Docs(articles)), Options{})
	if len(ts) != 1 || len(ts[0].Articles) != 5 {
		t.Fatalf("%d stories: %+v", len(ts), ts)
	}
	if len(ts[0].Events) != 2 {
		t.Fatalf("%d events, want 2 (January, March)", len(ts[0].Events))
	}
	var march string
	for _, a := range articles {
		if strings.HasPrefix(filepath.Base(a.Source), "004") {
			march = a.ID
		}
	}
	second := ts[0].Events[1].Articles
	if len(second) != 1 || second[0] != march {
		t.Errorf("second event = %v, want only 004", second)
	}
}
