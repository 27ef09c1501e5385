package bench

import (
	"sync"
	"time"
)

// PeakGFLOPS measures the machine's float32 multiply-add peak in GFLOP/s
// with `threads` goroutines each running a loop of independent FMA chains
// (the widest vector unit this build uses; scalar Go under noasm) for about
// 100 ms. It is the ceiling SGEMM results are reported against.
func PeakGFLOPS(threads int) float64 {
	threads = max(threads, 1)
	const iters = 1 << 16 // one call: well under a millisecond
	fmaProbe(iters)       // warm up (clock ramp, first-use of the vector unit)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(100 * time.Millisecond)
	calls := make([]int, threads)
	for t := range threads {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				fmaProbe(iters)
				calls[t]++
			}
		})
	}
	wg.Wait()
	total := 0
	for _, c := range calls {
		total += c
	}
	sec := time.Since(start).Seconds()
	return float64(total) * iters * fmaProbeFlops / sec / 1e9
}
