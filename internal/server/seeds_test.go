package server

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus/corpustest"
	"github.com/storyline-news/storyline/internal/pipeline"
	"github.com/storyline-news/storyline/internal/sqlite"
)

// The seed story page shows Zelenskyy's statement under his name.
func TestSeedStoryPage(t *testing.T) {
	seeds := corpustest.Seeds(t)
	ctx := context.Background()
	store, err := sqlite.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.SaveArticles(ctx, seeds); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.PlaceStories(ctx, store, 0, nil); err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, store)
	var st storiesAnswer
	getJSON(t, ts, "/api/stories", 200, &st)
	id := ""
	for _, s := range st.Stories {
		if s.Title != nil && strings.Contains(strings.ToLower(*s.Title), "zelensk") {
			id = s.ID
			break
		}
	}
	if id == "" {
		id = st.Stories[0].ID
	}
	code, _, body := get(t, ts, "/stories/"+id)
	if code != 200 {
		t.Fatalf("seed story: %d", code)
	}
	i := strings.Index(body, "<h2>Who said what</h2>")
	j := strings.Index(body, "<h2>Disagreements</h2>")
	if i < 0 || j < i {
		t.Fatal("the seed story page has no who-said-what section")
	}
	said := body[i:j]
	if !regexp.MustCompile(`<h3><a href="/people/ent_[0-9a-f]+">Volodymyr Zelenskyy</a>`).MatchString(said) || !strings.Contains(said, "peacekeeping") {
		t.Errorf("Zelenskyy's statement is not on the seed story page: %s", said)
	}
	if !strings.Contains(body, "<svg") || !strings.Contains(body, "first report") {
		t.Error("the seed story page has no timeline or first report")
	}
	for _, bad := range unsafeMarkup(body) {
		t.Error(bad)
	}
}

func TestUnsafeMarkupFindsScript(t *testing.T) {
	if got := unsafeMarkup(`<p onclick="x">a</p><script>alert(1)</script><a href=" JavaScript:alert(1)">x</a>`); len(got) != 3 {
		t.Errorf("unsafeMarkup missed something: %v", got)
	}
}
