package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

func TestQuotesAndStories(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if _, stderr, code := run(t, "ingest", "-q", "--db", db, "../../examples/harbour-bridge"); code != 0 {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	out, stderr, code := run(t, "quotes", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("quotes: %d %s", code, stderr)
	}
	var groups []statementJSON
	if err := json.Unmarshal([]byte(out), &groups); err != nil || len(groups) == 0 {
		t.Fatalf("quotes --json: %v %q", err, out)
	}
	named := 0
	for _, g := range groups {
		if len(g.Versions) == 0 {
			t.Errorf("statement %s without versions", g.ID)
		}
		if g.SpeakerName != nil {
			named++
		}
	}
	if named == 0 {
		t.Error("no statement has a named speaker")
	}
	// --speaker keeps only that speaker's statements
	name := ""
	for _, g := range groups {
		if g.SpeakerName != nil {
			name = *g.SpeakerName
			break
		}
	}
	out, _, code = run(t, "quotes", "--db", db, "--speaker", strings.Fields(name)[len(strings.Fields(name))-1])
	if code != 0 || !strings.Contains(out, name) {
		t.Errorf("quotes --speaker %s: %d %q", name, code, out)
	}
	if _, stderr, code := run(t, "quotes", "--db", db, "--speaker", "Nobody Atall"); code != 1 || !strings.Contains(stderr, "no statement") {
		t.Errorf("unknown speaker: %d %q", code, stderr)
	}

	out, stderr, code = run(t, "stories", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("stories: %d %s", code, stderr)
	}
	var stories []storyline.Story
	if err := json.Unmarshal([]byte(out), &stories); err != nil || len(stories) == 0 {
		t.Fatalf("stories --json: %v %q", err, out)
	}
	total := 0
	for _, s := range stories {
		total += len(s.Articles)
		n := 0
		for _, e := range s.Events {
			n += len(e.Articles)
		}
		if n != len(s.Articles) {
			t.Errorf("story %s: events hold %d articles, the story %d", s.ID, n, len(s.Articles))
		}
	}
	if total != 5 {
		t.Errorf("stories hold %d articles, want the 5 examples", total)
	}
	out, _, code = run(t, "story", "--db", db, stories[0].ID[:10])
	if code != 0 || !strings.Contains(out, "★") {
		t.Errorf("story %s: %d %q", stories[0].ID, code, out)
	}
	if _, stderr, code := run(t, "story", "--db", db, "story_nope"); code != 1 || !strings.Contains(stderr, "no story") {
		t.Errorf("unknown story: %d %q", code, stderr)
	}
	// quotes of one story
	out, _, code = run(t, "quotes", "--json", "--db", db, "--story", stories[0].ID)
	var inStory []statementJSON
	if code != 0 || json.Unmarshal([]byte(out), &inStory) != nil || len(inStory) == 0 || len(inStory) > len(groups) {
		t.Errorf("quotes --story: %d %q", code, out)
	}
	if _, stderr, code := run(t, "quotes", "--db", db, "--story", "story_nope"); code != 1 || !strings.Contains(stderr, "no story") {
		t.Errorf("quotes of an unknown story: %d %q", code, stderr)
	}
}
