package entities

import (
	"math"
	"testing"
)

func TestBCubed(t *testing.T) {
	// gold: {a,b,c} {d}; pred: {a,b} {c,d}
	pred := []string{"1", "1", "2", "2"}
	gold := []string{"x", "x", "x", "y"}
	got := BCubed(pred, gold, nil)
	// precision: a 1, b 1, c 1/2, d 1/2 → 0.75; recall: a 2/3, b 2/3, c 1/3, d 1 → 2/3
	if math.Abs(got.P-0.75) > 1e-9 || math.Abs(got.R-2.0/3) > 1e-9 {
		t.Errorf("BCubed = %+v, want P 0.75 R 0.667", got)
	}
	if perfect := BCubed(gold, gold, nil); perfect.F1 != 1 {
		t.Errorf("BCubed of gold against itself = %+v", perfect)
	}
}

func TestEvalOnFixture(t *testing.T) {
	docs, err := LoadBSNLP("testdata/bsnlp")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Title != "Harbour bridge to reopen" || len(docs[0].Gold) != 3 || docs[1].Date != "2024-05-03" {
		t.Fatalf("loaded %+v", docs)
	}
	rows := EvalEntities(docs)
	all := rows[len(rows)-1]
	if all.Lang != "all" || all.Gold != 6 {
		t.Fatalf("rows %+v", rows)
	}
	// every gold name but "Friday" is found, and merged right
	if all.Found != 5 || all.Merge.F1 != 1 {
		t.Errorf("found %d of %d, merge %+v", all.Found, all.Gold, all.Merge)
	}
}
