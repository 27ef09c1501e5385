//go:build unix

package data

import "syscall"

// cpuSeconds is the CPU time (user + system) this process has used: the
// benchmarks divide by it too, as the shared machine's wall clock is noisy.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
