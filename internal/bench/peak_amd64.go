//go:build !noasm

package bench

import "github.com/cocotrain/cocotrain/internal/kernels"

// fmaLoopAVX512 and fmaLoopAVX2 run n iterations of independent vector FMA
// chains (peak_amd64.s): 24 zmm chains and 12 ymm chains.
//
//go:noescape
func fmaLoopAVX512(n int)

//go:noescape
func fmaLoopAVX2(n int)

// fmaProbe and fmaProbeFlops are the peak loop of the kernel path in use
// (kernels.Path(): COCOTRAIN_KERNELS=avx2 measures the AVX2 peak on an
// AVX-512 CPU) and the FLOPs one of its iterations does.
var fmaProbe, fmaProbeFlops = func() (func(int), float64) {
	switch kernels.Path() {
	case "avx512":
		return fmaLoopAVX512, 24 * 16 * 2
	case "avx2":
		return fmaLoopAVX2, 12 * 8 * 2
	}
	return fmaLoopGo, fmaLoopGoFlops
}()
