package claims

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/storyline-news/storyline"
)

func TestSampleIsFixedAndBounded(t *testing.T) {
	var ds []storyline.Disagreement
	for i := range 50 {
		ds = append(ds, storyline.Disagreement{ID: fmt.Sprintf("d_%03d", i)})
	}
	a := Sample(ds, 30)
	// the same flags in another order give the same sample
	rev := make([]storyline.Disagreement, len(ds))
	for i, d := range ds {
		rev[len(ds)-1-i] = d
	}
	b := Sample(rev, 30)
	if len(a) != 30 || len(b) != 30 {
		t.Fatalf("sizes %d %d", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			t.Fatalf("sample depends on order: %s vs %s", a[i].ID, b[i].ID)
		}
	}
	if got := Sample(ds[:5], 30); len(got) != 5 {
		t.Errorf("a short list is returned whole: %d", len(got))
	}
}

func TestRunOnMadeUpStory(t *testing.T) {
	arts := []storyline.Article{
		{ID: "a1", Outlet: "Veloria Herald", Language: "en", Text: "Officials in the northern province said 14 people were killed when the river burst its banks on Saturday."},
		{ID: "a2", Outlet: "Almera Daily", Language: "en", Text: "Officials in the northern province said 22 people were killed when the river burst its banks on Saturday."},
	}
	r := Run("made-up", arts)
	if r.Articles != 2 || r.Claims != 2 || r.Stories != 1 {
		t.Fatalf("%+v", r)
	}
	if len(r.Disagreements) != 1 || r.ByKind[storyline.DisagreeQuantity] != 1 {
		t.Errorf("disagreements: %+v", r.Disagreements)
	}
}

func TestMissingCorpus(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "none")
	if _, err := LoadECB(dir); err == nil {
		t.Error("LoadECB of a missing directory gave no error")
	}
	if _, err := LoadBSNLP(dir); err == nil {
		t.Error("LoadBSNLP of a missing directory gave no error")
	}
}
