//go:build noasm || !(amd64 || arm64)

package kernels

// dwImpls lists the 3×3 depthwise implementations of this build: pure Go.
func dwImpls() []dwImpl { return []dwImpl{dwGo} }
