//go:build amd64 && !purego

package dedup

import "golang.org/x/sys/cpu"

// useAVX2 tells whether the CPU and the OS support AVX2 (x/sys/cpu reads
// CPUID and checks that the OS saves the vector registers).
var useAVX2 = cpu.X86.HasAVX2

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
