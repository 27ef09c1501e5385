//go:build !noasm

package kernels

import "golang.org/x/sys/cpu"

// cpuPaths lists the kernel paths of an arm64 CPU, best first: NEON
// (Advanced SIMD) and pure Go.
func cpuPaths() []string {
	if cpu.ARM64.HasASIMD {
		return []string{"neon", "go"}
	}
	return []string{"go"}
}

// hasNEON says whether the NEON kernels are enabled in this process: the
// CPU has Advanced SIMD (every arm64 CPU Go runs on) and EnvKernels does not
// force the pure-Go path.
var hasNEON = pathEnabled("neon")
