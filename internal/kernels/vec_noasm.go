//go:build noasm || !(amd64 || arm64)

package kernels

// vecImpls lists the vector-loop implementations of this build: pure Go.
func vecImpls() []vecImpl { return []vecImpl{vecGo} }
