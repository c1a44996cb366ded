//go:build !linux

package bench

import "time"

// PeakRSSMB is the process's peak resident memory in MiB; 0: unknown here.
func PeakRSSMB() float64 { return 0 }

// CPUTime is the CPU time the process has used so far; 0: unknown here.
func CPUTime() time.Duration { return 0 }
