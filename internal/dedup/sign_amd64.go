//go:build amd64 && !purego

package dedup

// useAVX2 tells whether the CPU and the OS support AVX2.
var useAVX2 = hasAVX2()

// hasAVX2 tells whether the CPU has AVX2 and the OS saves the vector
// registers (CPUID and XGETBV).
func hasAVX2() bool

// signAVX2 computes Sign's rows into sig, eight in each pass over the
// shingles (len(shingles) > 0).
//
//go:noescape
func signAVX2(shingles []uint64, seeds *[Bands * Rows]uint64, sig *Signature)

func sign(shingles []uint64, sig *Signature) {
	if useAVX2 {
		signAVX2(shingles, &seeds, sig)
		return
	}
	signGeneric(shingles, sig)
}

// The vector loop computes eight rows in each pass: this does not compile
// otherwise.
var _ [0]struct{} = [(Bands * Rows) % 8]struct{}{}
