package kernels

import (
	"fmt"
	"math/rand/v2"
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

// BenchmarkSgemmCPUTime runs the single-thread SGEMM on the benchmark shapes
// and reports GFLOP per second of the thread's own CPU time next to the
// wall-clock rate: on a shared, oversubscribed machine the CPU-time rate
// still says what the code does when it gets a core (cache interference
// from the other processes remains).
func BenchmarkSgemmCPUTime(b *testing.B) {
	SetThreads(1)
	defer SetThreads(0)
	for _, s := range benchShapes {
		m, n, k := s[0], s[1], s[2]
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			rng := rand.New(rand.NewPCG(1, 1))
			a := make([]float32, m*k)
			bb := make([]float32, k*n)
			c := make([]float32, m*n)
			fill(rng, a)
			fill(rng, bb)
			Sgemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
			t0 := threadCPU()
			for b.Loop() {
				Sgemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
			}
			flops := 2 * float64(m*n*k) * float64(b.N)
			b.ReportMetric(flops/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
