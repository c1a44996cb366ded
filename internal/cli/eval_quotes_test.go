package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/storyline-news/storyline/internal/eval/quotes"
)

func TestEvalQuotesFixture(t *testing.T) {
	data := "../eval/quotes/testdata/polnear"
	out, stderr, code := run(t, "eval", "quotes", "-q", "--split", "dev", "--data", data)
	if code != 0 {
		t.Fatalf("eval quotes: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"PolNeAR dev: 1 articles", "direct", "mixed", "indirect", "source acc"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, stderr, code = run(t, "eval", "quotes", "-q", "--split", "dev", "--json", "--data", data)
	if code != 0 {
		t.Fatalf("eval quotes --json: exit %d: %s", code, stderr)
	}
	var reps []quotes.Report
	if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 1 || reps[0].Gold != 3 || len(reps[0].Rows) != 4 {
		t.Errorf("json: %v %+v", err, reps)
	}
	if _, _, code := run(t, "eval", "quotes", "--split", "test", "--data", data); code == 0 {
		t.Error("--split test: want an error")
	}
	if _, _, code := run(t, "eval", "quotes", "--split", "train", "--data", data); code == 0 {
		t.Error("missing split: want an error")
	}
}
