package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

// MachineResult is the state of the machine at one moment: the float32 FMA
// peak and the memory copy bandwidth with Threads threads. scripts/bench.sh
// records one per round, so a ratio taken while a virtual machine's memory
// system is slow can be told from one taken while it is fast.
type MachineResult struct {
	Threads       int     `json:"threads"`
	FMAPeakGFLOPS float64 `json:"fma_peak_gflops"` // PeakGFLOPS, median of 3
	CopyGBPerS    float64 `json:"copy_gb_per_s"`   // bytes read + written per second by copy, median of 3
	Kernels       string  `json:"kernels"`         // kernels.Path(): the path whose FMA loop measured the peak
}

// copyBytes is the size of each thread's source and destination buffers:
// large enough that the copy streams from memory, not from a cache.
const copyBytes = 64 << 20

// probeTime is how long one bandwidth probe copies.
const probeTime = 100 * time.Millisecond

// MeasureMachine measures the FMA peak and the copy bandwidth with threads
// threads (≤ 0: GOMAXPROCS), three probes each, and returns the medians.
func MeasureMachine(ctx context.Context, threads int) (MachineResult, error) {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads))
	res := MachineResult{Threads: threads, Kernels: kernels.Path()}
	bufs := make([][2][]byte, threads)
	for t := range bufs {
		bufs[t] = [2][]byte{make([]byte, copyBytes), make([]byte, copyBytes)}
		copy(bufs[t][1], bufs[t][0]) // fault the pages in before timing
	}
	var peaks, copies []float64
	for range 3 {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		peaks = append(peaks, PeakGFLOPS(threads))
		copies = append(copies, copyGBPerS(bufs))
	}
	res.FMAPeakGFLOPS, res.CopyGBPerS = median(peaks), median(copies)
	return res, nil
}

// copyGBPerS copies each thread's buffer pair back and forth for probeTime
// on its own goroutine and returns the bytes read and written per second,
// in GB/s (10⁹ bytes).
func copyGBPerS(bufs [][2][]byte) float64 {
	var wg sync.WaitGroup
	copies := make([]int, len(bufs))
	start := time.Now()
	deadline := start.Add(probeTime)
	for t, b := range bufs {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				copy(b[(i+1)%2], b[i%2])
				copies[t]++
			}
		})
	}
	wg.Wait()
	sec := time.Since(start).Seconds()
	total := 0
	for _, c := range copies {
		total += c
	}
	return float64(total) * 2 * copyBytes / sec / 1e9
}

// RunMachine measures the machine and writes one line of text, or with
// asJSON one JSON object (MachineResult's keys), to w.
func RunMachine(ctx context.Context, threads int, asJSON bool, w io.Writer) error {
	res, err := MeasureMachine(ctx, threads)
	if err != nil {
		return err
	}
	if asJSON {
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	_, err = fmt.Fprintf(w, "%d threads (%s kernels): FMA peak %.1f GFLOP/s, memory copy %.1f GB/s (read + write)\n",
		res.Threads, res.Kernels, res.FMAPeakGFLOPS, res.CopyGBPerS)
	return err
}
