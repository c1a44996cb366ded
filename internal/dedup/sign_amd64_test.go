//go:build amd64 && !purego

package dedup

import (
	"math/rand/v2"
	"testing"
)

// TestSignAVX2IsSignGeneric compares the vector loop with the portable one
// on random shingle sets of every small size and some large ones, with
// values at the edges of the unsigned order (the vector loop compares
// with the sign bit flipped).
func TestSignAVX2IsSignGeneric(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	edges := []uint64{0, 1, 1 << 63, 1<<63 - 1, 1<<63 + 1, ^uint64(0), ^uint64(0) - 1, 0x9e3779b97f4a7c15}
	for n := 1; n < 3000; n += 1 + n/20 {
		for k := 0; k < 5; k++ {
			sh := make([]uint64, n)
			for i := range sh {
				switch rng.IntN(4) {
				case 0:
					sh[i] = edges[rng.IntN(len(edges))] ^ seeds[rng.IntN(len(seeds))]
				case 1:
					sh[i] = edges[rng.IntN(len(edges))]
				default:
					sh[i] = rng.Uint64()
				}
			}
			var got, want Signature
			signAVX2(sh, &seeds, &got)
			signGeneric(sh, &want)
			if got != want {
				t.Fatalf("%d shingles: the vector loop's signature differs from the portable one's", n)
			}
		}
	}
}
