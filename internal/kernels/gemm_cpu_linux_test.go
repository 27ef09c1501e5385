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
func BenchmarkSgemmCPUTime(b *testing.B) { sgemmCPUTime(b, benchShapes) }

// rowShapes are products with the row counts (channel counts) of the
// networks' Winograd GEMMs — 32, 64, 128, 256 rows over short inner
// dimensions — which the micro-kernel's row panels must not pad.
var rowShapes = [][3]int{
	{32, 512, 64}, {64, 512, 32}, {64, 512, 128}, {128, 256, 64},
	{128, 256, 256}, {256, 128, 128}, {256, 256, 512},
}

// BenchmarkSgemmRowsCPUTime is BenchmarkSgemmCPUTime on rowShapes.
func BenchmarkSgemmRowsCPUTime(b *testing.B) { sgemmCPUTime(b, rowShapes) }

// BenchmarkSgemmBackwardCPUTime is BenchmarkSgemmCPUTime on the backward
// products of the first two convolution shapes: the weight gradient
// dW = dY·colᵀ (B transposed) and the column gradient dcol = Wᵀ·dY (A
// transposed).
func BenchmarkSgemmBackwardCPUTime(b *testing.B) {
	for _, s := range [][3]int{{64, 576, 3136}, {128, 1152, 784}} {
		sgemmCPUTimeTrans(b, false, true, [][3]int{s})
		sgemmCPUTimeTrans(b, true, false, [][3]int{{s[1], s[2], s[0]}})
	}
}

// sgemmCPUTime runs the single-thread SGEMM on each M×N×K shape, in GFLOP
// per second of thread CPU time and of wall clock.
func sgemmCPUTime(b *testing.B, shapes [][3]int) { sgemmCPUTimeTrans(b, false, false, shapes) }

// sgemmCPUTimeTrans is sgemmCPUTime with op(A) and op(B) transposed as
// asked (the sub-benchmark names say T for a transposed operand).
func sgemmCPUTimeTrans(b *testing.B, transA, transB bool, shapes [][3]int) {
	SetThreads(1)
	defer SetThreads(0)
	for _, s := range shapes {
		m, n, k := s[0], s[1], s[2]
		lda, ldb, name := k, n, ""
		if transA {
			lda, name = m, "AT/"
		}
		if transB {
			ldb, name = k, name+"BT/"
		}
		b.Run(fmt.Sprintf("%s%dx%dx%d", name, m, n, k), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			rng := rand.New(rand.NewPCG(1, 1))
			a := make([]float32, m*k)
			bb := make([]float32, k*n)
			c := make([]float32, m*n)
			fill(rng, a)
			fill(rng, bb)
			Sgemm(transA, transB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
			t0 := threadCPU()
			for b.Loop() {
				Sgemm(transA, transB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
			}
			flops := 2 * float64(m*n*k) * float64(b.N)
			b.ReportMetric(flops/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkConvGemmCPUTime is BenchmarkConvGemm in GFLOP per second of
// thread CPU time: Im2col + SgemmSerial against SgemmConvSerial on weights
// packed once.
func BenchmarkConvGemmCPUTime(b *testing.B) {
	for _, cs := range convBenchCases() {
		g, m, n, k, w, img, c, col, flops := cs.g, cs.m, cs.n, cs.k, cs.w, cs.img, cs.c, cs.col, cs.flops
		b.Run(fmt.Sprintf("im2col+sgemm/%dx%dx%d", m, n, k), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			t0 := threadCPU()
			for b.Loop() {
				Im2col(col, img, g)
				SgemmSerial(false, false, m, n, k, 1, w, k, col, n, 0, c, n)
			}
			b.ReportMetric(flops*float64(b.N)/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
		})
		b.Run(fmt.Sprintf("packed-conv/%dx%dx%d", m, n, k), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var pa PackedA
			pa.Pack(false, m, k, w, k)
			t0 := threadCPU()
			for b.Loop() {
				SgemmConvSerial(&pa, img, g, 1, 0, c, n)
			}
			b.ReportMetric(flops*float64(b.N)/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
		})
	}
}

// BenchmarkMicroKernelCPUTime runs each micro-kernel alone on panels that
// stay in L1 (one K block of kcMax steps), in GFLOP per second of thread CPU time.
func BenchmarkMicroKernelCPUTime(b *testing.B) {
	for _, kn := range availableKernels() {
		b.Run(kn.name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			k := kn.kcMax
			ap := make([]float32, kn.mr*k)
			bp := make([]float32, kn.nr*k)
			c := make([]float32, kn.mr*kn.nr)
			t0 := threadCPU()
			for b.Loop() {
				kn.run(k, ap, bp, c, kn.nr, kn.mr, kn.nr, 1, 0)
			}
			b.ReportMetric(2*float64(kn.mr*kn.nr*k)*float64(b.N)/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
		})
	}
}
