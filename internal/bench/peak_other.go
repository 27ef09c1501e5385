//go:build noasm || !(amd64 || arm64)

package bench

// fmaProbe and fmaProbeFlops are the peak loop of a build without amd64 or arm64
// assembly: scalar Go.
var fmaProbe, fmaProbeFlops = fmaLoopGo, float64(fmaLoopGoFlops)
