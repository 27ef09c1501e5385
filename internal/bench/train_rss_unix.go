//go:build unix

package bench

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// peakRSSMB is the process's peak resident set size in MiB
// (getrusage(RUSAGE_SELF).ru_maxrss: KiB on Linux and the BSDs, bytes on
// macOS), or 0 if the system cannot tell.
func peakRSSMB() float64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return float64(ru.Maxrss) / (1 << 20)
	}
	return float64(ru.Maxrss) / 1024
}

// cpuSeconds is the user + system CPU time the process has used so far, or
// 0 if the system cannot tell. On a shared machine the CPU time of a step
// varies less than its wall-clock time.
func cpuSeconds() float64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
