//go:build noasm || !(amd64 || arm64)

package kernels

// fmaProbe and fmaProbeFlops are the peak loop without assembly: scalar Go.
var fmaProbe, fmaProbeFlops = fmaLoopGo, float64(fmaLoopGoFlops)
