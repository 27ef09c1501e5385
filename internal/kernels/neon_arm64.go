//go:build !noasm

package kernels

// hasNEON says that the NEON assembly paths are enabled in this process:
// every arm64 CPU has Advanced SIMD, so it is true unless the environment
// forces another path.
var hasNEON = true
