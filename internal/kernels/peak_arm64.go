//go:build !noasm

package kernels

// fmaLoopNEON runs n iterations of 24 independent 4-lane FMLA chains
// (gemm_neon_arm64.s).
//
//go:noescape
func fmaLoopNEON(n int)

// fmaProbe and fmaProbeFlops are the peak loop for this CPU and the FLOPs
// one of its iterations does.
var fmaProbe, fmaProbeFlops = func() (func(int), float64) {
	if hasNEON {
		return fmaLoopNEON, 24 * 4 * 2
	}
	return fmaLoopGo, fmaLoopGoFlops
}()
