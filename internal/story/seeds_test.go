package story

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/entity"
)

// TestSeeds: the five seed articles are one story in two events, the
// January interview and the March call (004, undated, placed by the date of
// the post it embeds).
func TestSeeds(t *testing.T) {
	articles := corpustest.Seeds(t)
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
