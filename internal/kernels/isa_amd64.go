//go:build !noasm

package kernels

import "golang.org/x/sys/cpu"

// cpuPaths lists the kernel paths this CPU runs, best first: AVX-512 needs
// F, DQ, BW and VL, AVX2 needs AVX2 and FMA (x/sys/cpu also checks that the
// OS saves the vector registers).
func cpuPaths() []string {
	var has []string
	if x := cpu.X86; x.HasAVX512F && x.HasAVX512DQ && x.HasAVX512BW && x.HasAVX512VL {
		has = append(has, "avx512")
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		has = append(has, "avx2")
	}
	return append(has, "go")
}

// hasAVX512 and hasAVX2 say whether the AVX-512 and AVX2+FMA kernels are
// enabled in this process: the CPU has them and EnvKernels does not force a
// lower path.
var (
	hasAVX512 = pathEnabled("avx512")
	hasAVX2   = pathEnabled("avx2")
)
