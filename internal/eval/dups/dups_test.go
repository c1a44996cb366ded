package dups

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func story(n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Harbour story %d\n\n", n)
	for p := 0; p < 6; p++ {
		fmt.Fprintf(&b, "Paragraph %d of story %d: the harbour authority said berth %d would reopen after repairs to the quay wall, and crews worked through night shift %d.\n\n", p, n, n*7+p, n+p)
	}
	return b.String()
}

func TestExact(t *testing.T) {
	var docs []Doc
	for i := 0; i < 50; i++ {
		docs = append(docs, Doc{ID: fmt.Sprint("d", i), Text: story(i), Raw: []byte(story(i))})
	}
	// two byte-identical copies and one that differs only in layout
	docs = append(docs, Doc{ID: "c1", Text: story(3), Raw: []byte(story(3))}, Doc{ID: "c2", Text: story(9), Raw: []byte(story(9))},
		Doc{ID: "c3", Text: strings.ReplaceAll(story(12), "\n\n", "\n"), Raw: []byte("other bytes")})
	r := Exact(docs)
	if r.Copies != 3 || r.Found != 3 || r.RawCopies != 2 || r.RawFound != 2 || r.Near != 0 {
		t.Errorf("Exact = %+v", r)
	}
}

func TestPerturbed(t *testing.T) {
	var orig, other []Doc
	for i := 0; i < 40; i++ {
		orig = append(orig, Doc{ID: fmt.Sprint("o", i), Text: story(i)})
		other = append(other, Doc{ID: fmt.Sprint("x", i), Text: story(100 + i)})
	}
	r := Perturbed(orig, other, 1)
	if r.DistinctFP != 0 {
		t.Errorf("distinct articles matched: %d", r.DistinctFP)
	}
	for _, k := range []string{"boilerplate", "headline", "edited"} {
		if s := r.ByKind[k]; s.R < 0.9 || s.P < 0.9 {
			t.Errorf("%s: %+v", k, s)
		}
	}
}

func TestPerturbIsDeterministicAndChanges(t *testing.T) {
	for _, k := range Kinds {
		a := Perturb(story(1), k, rand.New(rand.NewPCG(7, 7)))
		b := Perturb(story(1), k, rand.New(rand.NewPCG(7, 7)))
		if a != b {
			t.Errorf("%s: not deterministic", k)
		}
		if a == strings.TrimSpace(story(1)) {
			t.Errorf("%s: nothing changed", k)
		}
	}
}
