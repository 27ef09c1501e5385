package bench

// fmaLoopGoFlops is the FLOPs of one iteration of fmaLoopGo.
const fmaLoopGoFlops = 8 * 2

// peakSink keeps fmaLoopGo's result alive.
var peakSink float32

// fmaLoopGo runs n iterations of eight independent scalar multiply-add
// chains: the pure-Go peak probe.
func fmaLoopGo(n int) {
	var a0, a1, a2, a3, a4, a5, a6, a7 float32
	const x, y = 0.999, 1e-3
	for range n {
		a0 = a0*x + y
		a1 = a1*x + y
		a2 = a2*x + y
		a3 = a3*x + y
		a4 = a4*x + y
		a5 = a5*x + y
		a6 = a6*x + y
		a7 = a7*x + y
	}
	peakSink = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7
}
