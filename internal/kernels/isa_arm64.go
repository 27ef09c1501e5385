//go:build !noasm

package kernels

import "golang.org/x/sys/cpu"

// cpuPaths lists the kernel paths of an arm64 CPU, best first: NEON
// (Advanced SIMD) and pure Go. The NEON kernels test pathEnabled("neon").
func cpuPaths() []string {
	if cpu.ARM64.HasASIMD {
		return []string{"neon", "go"}
	}
	return []string{"go"}
}
