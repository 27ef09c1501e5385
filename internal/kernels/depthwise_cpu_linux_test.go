package kernels

import (
	"runtime"
	"testing"
)

// BenchmarkDepthwiseCPUTime is BenchmarkDepthwise on each 3×3 depthwise
// implementation (the pure-Go one is the generic loops), in GFLOP per
// second of the thread's own CPU time.
func BenchmarkDepthwiseCPUTime(b *testing.B) {
	saved := dw
	defer func() { dw = saved }()
	for _, c := range dwBenchCases() {
		for _, impl := range dwImpls() {
			dw = impl
			b.Run("forward/"+c.name+"/"+impl.name, func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				t0 := threadCPU()
				for b.Loop() {
					DepthwiseConv(c.out, c.in, c.w, c.g)
				}
				b.ReportMetric(c.forward*float64(b.N)/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
			})
			b.Run("backward/"+c.name+"/"+impl.name, func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				t0 := threadCPU()
				for b.Loop() {
					DepthwiseConvBackward(c.dIn, c.dW, c.out, c.in, c.w, c.g)
				}
				b.ReportMetric(c.backFlo*float64(b.N)/(threadCPU()-t0)/1e9, "GFLOP/cpu-s")
			})
		}
	}
}
