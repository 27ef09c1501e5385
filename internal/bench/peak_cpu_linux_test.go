package bench

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time consumed so far by the calling OS thread.
func threadCPU() float64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return float64(ts.Sec) + float64(ts.Nsec)/1e9
}

// BenchmarkPeakCPUTime is the FMA peak probe of the kernel path in use on
// one thread, in GFLOP per second of thread CPU time: the ceiling for the
// ...CPUTime benchmarks of internal/kernels.
func BenchmarkPeakCPUTime(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const iters = 1 << 16
	fmaProbe(iters)
	t0 := threadCPU()
	for b.Loop() {
		fmaProbe(iters)
	}
	b.ReportMetric(iters*fmaProbeFlops*float64(b.N)/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
}
