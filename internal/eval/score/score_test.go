package score

import (
	"math"
	"testing"
)

func TestBCubedAndPairwise(t *testing.T) {
	// gold {0,1,2} {3,4}; predicted {0,1} {2,3,4}
	pred, gold := []string{"a", "a", "b", "b", "b"}, []string{"x", "x", "x", "y", "y"}
	b := BCubed(pred, gold, nil)
	// P: (1+1+1/3+2/3+2/3)/5; R: (2/3+2/3+1/3+1+1)/5
	if math.Abs(b.P-11.0/15) > 1e-9 || math.Abs(b.R-11.0/15) > 1e-9 {
		t.Errorf("BCubed = %+v", b)
	}
	// only the items of gold cluster y
	if y := BCubed(pred, gold, func(i int) bool { return gold[i] == "y" }); math.Abs(y.P-2.0/3) > 1e-9 || y.R != 1 {
		t.Errorf("BCubed over y = %+v", y)
	}
	// pairs: predicted 1+3, gold 3+1, shared (0,1) and (3,4)
	if p := Pairwise(pred, gold); p.P != 0.5 || p.R != 0.5 || p.F1 != 0.5 {
		t.Errorf("Pairwise = %+v", p)
	}
	if (Of(0, 0) != PRF{}) || Ratio(1, 0) != 0 || Ratio(1, 4) != 0.25 {
		t.Error("Of or Ratio of nothing")
	}
}
