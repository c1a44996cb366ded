//go:build !linux

package bench

// PeakRSSMB is the process's peak resident memory in MiB; 0: unknown here.
func PeakRSSMB() float64 { return 0 }
