package cli

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
)

// TestAnalyzeWithStoreShowsStoredStories checks that a report made while
// keeping articles in a store shows them in the stories the store placed
// them in, under the IDs that storyline stories shows, and that a second
// run adding more articles keeps the first run's story IDs.
func TestAnalyzeWithStoreShowsStoredStories(t *testing.T) {
	dir := "../../examples/harbour-bridge"
	files, err := filepath.Glob(filepath.Join(dir, "0*"))
	if err != nil || len(files) < 2 {
		t.Fatalf("examples: %v %v", files, err)
	}
	db := filepath.Join(t.TempDir(), "news.db")
	type story struct {
		ID       string   `json:"id"`
		Articles []string `json:"articles"`
	}
	storyIDs := func(stories []story) []string {
		var ids []string
		for _, s := range stories {
			ids = append(ids, s.ID)
		}
		slices.Sort(ids)
		return ids
	}
	report := func(paths ...string) []story {
		t.Helper()
		out, stderr, code := run(t, append([]string{"analyze", "--json", "-q", "--db", db}, paths...)...)
		var rep struct {
			Stories []story `json:"stories"`
		}
		if code != 0 || json.Unmarshal([]byte(out), &rep) != nil {
			t.Fatalf("analyze: %d %s", code, stderr)
		}
		return rep.Stories
	}
	first := report(files[:1]...)
	out, stderr, code := run(t, "stories", "--json", "--db", db)
	var stored []story
	if code != 0 || json.Unmarshal([]byte(out), &stored) != nil {
		t.Fatalf("stories: %d %s", code, stderr)
	}
	if len(first) == 0 || !slices.Equal(storyIDs(first), storyIDs(stored)) {
		t.Errorf("analyze --db shows stories %v, the store holds %v", storyIDs(first), storyIDs(stored))
	}
	// the second run's report covers its own articles, in the store's
	// stories: a story of the first run it continues keeps its ID
	second := report(files[1:]...)
	all := report()
	for _, s := range second {
		if !slices.Contains(storyIDs(all), s.ID) {
			t.Errorf("story %s of the second run is not among the store's %v", s.ID, storyIDs(all))
		}
	}
}
