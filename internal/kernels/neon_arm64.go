//go:build !noasm

package kernels

// hasNEON says whether the NEON kernels are enabled in this process: the
// CPU has Advanced SIMD (every arm64 CPU Go runs on) and EnvKernels does not
// force the pure-Go path.
var hasNEON = pathEnabled("neon")
