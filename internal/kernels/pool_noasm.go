//go:build noasm || !(amd64 || arm64)

package kernels

// poolImpls lists the fused pooling implementations of this build: pure Go.
func poolImpls() []poolImpl { return []poolImpl{poolGo} }
