//go:build noasm || !(amd64 || arm64)

package kernels

// winoImpls lists the Winograd transform implementations of this build:
// pure Go.
func winoImpls() []winoImpl { return []winoImpl{winoGo} }
