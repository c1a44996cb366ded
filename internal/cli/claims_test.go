package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestClaimsCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if _, stderr, code := run(t, "ingest", "-q", "--db", db, "../../examples/harbour-bridge"); code != 0 {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	out, stderr, code := run(t, "claims", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("claims: %d %s", code, stderr)
	}
	var cs []claimJSON
	if err := json.Unmarshal([]byte(out), &cs); err != nil || len(cs) == 0 {
		t.Fatalf("claims --json: %v %q", err, out)
	}
	found := false
	for _, c := range cs {
		if c.Value == 90 && c.Unit != nil && *c.Unit == "day" {
			found = true
		}
		if c.Value >= 1900 && c.Value <= 2100 {
			t.Errorf("a year became a claim: %q in %q", c.Number, c.Text)
		}
	}
	if !found {
		t.Errorf("the 90 days of repairs are not among the claims: %q", out)
	}
	out, _, code = run(t, "claims", "--db", db)
	if code != 0 || !strings.Contains(out, "90 day") {
		t.Errorf("claims: %d %q", code, out)
	}
	if _, stderr, code := run(t, "claims", "--db", db, "--story", "story_nosuch"); code != 1 || !strings.Contains(stderr, "no story") {
		t.Errorf("unknown story: %d %q", code, stderr)
	}
}

func TestDisagreementsCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "news.db")
	if _, stderr, code := run(t, "ingest", "-q", "--db", db, "../../examples/harbour-bridge"); code != 0 {
		t.Fatalf("ingest: %d %s", code, stderr)
	}
	out, stderr, code := run(t, "disagreements", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("disagreements: %d %s", code, stderr)
	}
	var got disagreementsJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Disagreements == nil || got.Updates == nil {
		t.Fatalf("disagreements --json: %v %q", err, out)
	}
	if len(got.Sources) == 0 || len(got.Sources[0].Articles) == 0 {
		t.Errorf("no sources per story: %+v", got.Sources)
	}
	for _, d := range append(got.Disagreements, got.Updates...) {
		if len(d.Statements) < 2 || d.Why == "" || d.Story == nil {
			t.Errorf("point without two sides, a reason or a story: %+v", d)
		}
	}
	if out, _, code := run(t, "disagreements", "--db", db); code != 0 || out == "" {
		t.Errorf("disagreements: %d %q", code, out)
	}
	if _, stderr, code := run(t, "disagreements", "--db", db, "--story", "story_nosuch"); code != 1 || !strings.Contains(stderr, "no story") {
		t.Errorf("unknown story: %d %q", code, stderr)
	}
}
