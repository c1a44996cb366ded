//go:build !amd64 || purego

package dedup

func sign(shingles []uint64, sig *Signature) { signGeneric(shingles, sig) }
