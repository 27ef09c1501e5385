//go:build !noasm

package bench

import "github.com/cocotrain/cocotrain/internal/kernels"

// fmaLoopNEON runs n iterations of 24 independent 4-lane FMLA chains
// (peak_arm64.s).
//
//go:noescape
func fmaLoopNEON(n int)

// fmaProbe and fmaProbeFlops are the peak loop of the kernel path in use
// (kernels.Path()) and the FLOPs one of its iterations does.
var fmaProbe, fmaProbeFlops = func() (func(int), float64) {
	if kernels.Path() == "neon" {
		return fmaLoopNEON, 24 * 4 * 2
	}
	return fmaLoopGo, fmaLoopGoFlops
}()
