//go:build noasm || !(amd64 || arm64)

package kernels

// planeImpls lists the plane-loop implementations of this build: pure Go.
func planeImpls() []planeImpl { return []planeImpl{planeGo} }
