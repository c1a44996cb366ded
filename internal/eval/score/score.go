// Package score holds what the evaluations share: precision, recall and F1,
// and the BCubed and pairwise scores of a clustering against a gold one.
package score

// PRF is precision, recall and F1.
type PRF struct {
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
}

// Of returns precision p and recall r with their F1 (0 when both are 0).
func Of(p, r float64) PRF {
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return PRF{p, r, f}
}

// Ratio is a/b, or 0 when b is 0.
func Ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// BCubed scores a clustering against the gold one over the same items
// (pred[i] and gold[i] are item i's clusters): per item, the share of its
// predicted cluster in its gold cluster (precision) and of its gold
// cluster in its predicted one (recall), averaged over the items in (all
// items when in is nil). Clusters are counted over all items.
func BCubed(pred, gold []string, in func(i int) bool) PRF {
	pc := map[string]map[string]int{} // pred cluster → gold → count
	ps, gs := map[string]int{}, map[string]int{}
	for i := range pred {
		if pc[pred[i]] == nil {
			pc[pred[i]] = map[string]int{}
		}
		pc[pred[i]][gold[i]]++
		ps[pred[i]]++
		gs[gold[i]]++
	}
	var p, r float64
	n := 0
	for i := range pred {
		if in != nil && !in(i) {
			continue
		}
		both := float64(pc[pred[i]][gold[i]])
		p += both / float64(ps[pred[i]])
		r += both / float64(gs[gold[i]])
		n++
	}
	if n == 0 {
		return PRF{}
	}
	return Of(p/float64(n), r/float64(n))
}

// Pairwise scores a clustering by the pairs of items it puts together:
// precision is the share of its pairs that are gold pairs, recall the
// share of gold pairs it has.
func Pairwise(pred, gold []string) PRF {
	pc := map[[2]string]int{}
	ps, gs := map[string]int{}, map[string]int{}
	for i := range pred {
		pc[[2]string{pred[i], gold[i]}]++
		ps[pred[i]]++
		gs[gold[i]]++
	}
	pairs := func(c int) float64 { return float64(c) * float64(c-1) / 2 }
	var tp, pp, gp float64
	for _, c := range pc {
		tp += pairs(c)
	}
	for _, c := range ps {
		pp += pairs(c)
	}
	for _, c := range gs {
		gp += pairs(c)
	}
	var p, r float64
	if pp > 0 {
		p = tp / pp
	}
	if gp > 0 {
		r = tp / gp
	}
	return Of(p, r)
}
