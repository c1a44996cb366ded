package clusters

import (
	"math"
	"testing"

	"github.com/storyline-news/storyline/internal/corpus"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestScore(t *testing.T) {
	// gold: {0,1,2} {3,4}; pred: {0,1} {2,3,4}
	s := Score([]string{"a", "a", "b", "b", "b"}, []string{"x", "x", "x", "y", "y"})
	// BCubed P: (1+1+1/3+2/3+2/3)/5 = 0.7333; R: (2/3+2/3+1/3+1+1)/5 = 0.7333
	if !near(s.BCubed.P, 11.0/15) || !near(s.BCubed.R, 11.0/15) {
		t.Errorf("BCubed = %+v", s.BCubed)
	}
	// pairs: pred 1+3 = 4, gold 3+1 = 4, both: (0,1) and (3,4) = 2
	if !near(s.Pairwise.P, 0.5) || !near(s.Pairwise.R, 0.5) || s.Clusters != 2 || s.Gold != 2 {
		t.Errorf("pairwise = %+v", s)
	}
	if p := Score([]string{"a", "a"}, []string{"x", "x"}); p.BCubed.F1 != 1 || p.Pairwise.F1 != 1 {
		t.Errorf("perfect = %+v", p)
	}
}

func TestLoadECB(t *testing.T) {
	dir := corpus.Require(t, "data", "ecbplus")
	docs, err := LoadECB(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 700 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, d := range docs[:20] {
		if d.Title == "" || d.Event == "" || d.Topic == "" {
			t.Errorf("incomplete %+v", d.ID)
		}
	}
}
