//go:build noasm || !amd64

package bench

// fmaProbe and fmaProbeFlops are the peak loop of a build without amd64
// assembly: scalar Go.
var fmaProbe, fmaProbeFlops = fmaLoopGo, float64(fmaLoopGoFlops)
