package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline-news/storyline"
)

func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestPeopleAndPerson(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if _, stderr, code := run(t, "ingest", "-q", "--db", db, "../../examples/harbour-bridge"); code != 0 {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	out, stderr, code := run(t, "people", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("people: %d %s", code, stderr)
	}
	var ents []storyline.Entity
	if err := json.Unmarshal([]byte(out), &ents); err != nil || len(ents) == 0 {
		t.Fatalf("people --json: %v %q", err, out)
	}
	for i := 1; i < len(ents); i++ {
		if ents[i].Mentions > ents[i-1].Mentions {
			t.Errorf("not sorted by mentions: %s (%d) after %s (%d)", ents[i].Name, ents[i].Mentions, ents[i-1].Name, ents[i-1].Mentions)
		}
	}
	var person *storyline.Entity
	for i := range ents {
		if ents[i].Type == storyline.Person && len(ents[i].Variants) > 1 {
			person = &ents[i]
			break
		}
	}
	if person == nil {
		t.Fatalf("no person with several variants in the examples: %+v", ents)
	}
	// found by every variant, in any case
	for _, v := range person.Variants {
		out, stderr, code := run(t, "person", "--db", db, strings.ToLower(v))
		if code != 0 || !strings.Contains(out, person.Name) || !strings.Contains(out, "variants:") {
			t.Errorf("person %q: %d %s %s", v, code, out, stderr)
		}
	}
	if _, stderr, code := run(t, "person", "--db", db, "Nobody Atall"); code != 1 || !strings.Contains(stderr, "no entity") {
		t.Errorf("unknown person: code %d, %q", code, stderr)
	}
	// the JSON report carries the same entities
	out, _, code = run(t, "analyze", "--json", "--db", db)
	var rep struct {
		Entities []storyline.Entity `json:"entities"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Entities) != len(ents) {
		t.Errorf("analyze --json entities: %d vs %d", len(rep.Entities), len(ents))
	}
}
