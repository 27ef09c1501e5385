//go:build !unix

package bench

// peakRSSMB is 0 where getrusage does not exist.
func peakRSSMB() float64 { return 0 }

// cpuSeconds is 0 where getrusage does not exist.
func cpuSeconds() float64 { return 0 }
