//go:build unix

package kernels

import (
	"fmt"
	"testing"
)

// BenchmarkVecCPU runs each vector loop of each implementation (avx512,
// avx2, go) on vectors of 4096 floats (in L1/L2), reporting MB/s of x read
// and cpu-ns/op, the process CPU time per call (steadier than wall time on
// a shared machine).
func BenchmarkVecCPU(b *testing.B) {
	const n = 4096
	x, y := make([]float32, n), make([]float32, n+6)
	for i := range y {
		y[i] = float32(i%7) - 3
	}
	copy(x, y)
	w := []float32{0.25, -0.5, 0.75}
	for _, impl := range vecImpls() {
		for _, op := range []struct {
			name string
			f    func()
		}{
			{"axpy", func() { impl.axpy(1e-3, x, y[:n]) }},
			{"scale", func() { impl.scale(1, x) }},
			{"relu", func() { impl.relu(y[:n], x) }},
			{"dot", func() { _ = impl.dot(x, y[:n]) }},
			{"rowCorr3", func() { impl.rowCorr(x, y, w) }},
		} {
			b.Run(fmt.Sprintf("%s/%s", op.name, impl.name), func(b *testing.B) {
				b.SetBytes(4 * n)
				cpu := winoCPUSeconds(b)
				for i := 0; i < b.N; i++ {
					op.f()
				}
				b.ReportMetric((winoCPUSeconds(b)-cpu)*1e9/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
