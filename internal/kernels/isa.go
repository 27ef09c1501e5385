package kernels

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// EnvKernels is the environment variable that forces a kernel path:
// COCOTRAIN_KERNELS=avx512|avx2|neon|go. Unset or empty, the best path the
// CPU runs is used.
const EnvKernels = "COCOTRAIN_KERNELS"

// knownPaths are the names EnvKernels accepts, best first per architecture.
var knownPaths = []string{"avx512", "avx2", "neon", "go"}

// isaChoice is the kernel dispatch chosen once at start-up.
type isaChoice struct {
	enabled []string // paths in use, best first; the first is the active one
	err     error    // why the EnvKernels setting was refused, nil if it was not
}

// isa is this process's choice: from the CPU's paths (cpuPaths, per
// architecture and build tags) and the environment.
var isa = choosePath(cpuPaths(), os.Getenv(EnvKernels))

// choosePath enables the paths of has (what the CPU and build run, best
// first, ending with "go") from the forced one down, or all of them when
// forced is empty. A name outside knownPaths, or one has lacks, is refused
// with an error and the choice falls back to all of has.
func choosePath(has []string, forced string) isaChoice {
	forced = strings.TrimSpace(forced)
	if forced == "" {
		return isaChoice{enabled: has}
	}
	if !slices.Contains(knownPaths, forced) {
		return isaChoice{enabled: has, err: fmt.Errorf("%s=%q: unknown kernel path (want one of %s)",
			EnvKernels, forced, strings.Join(knownPaths, ", "))}
	}
	i := slices.Index(has, forced)
	if i < 0 {
		return isaChoice{enabled: has, err: fmt.Errorf("%s=%s: this CPU or build has no %s kernels (it runs %s)",
			EnvKernels, forced, forced, strings.Join(has, ", "))}
	}
	return isaChoice{enabled: has[i:]}
}

// pathEnabled says whether the kernels of path (a knownPaths name) may run in
// this process: the CPU has them and EnvKernels does not force a lower path.
func pathEnabled(path string) bool { return slices.Contains(isa.enabled, path) }

// Path names the kernel path in use: "avx512", "avx2", "neon" or "go".
func Path() string { return isa.enabled[0] }

// CheckPath returns the error of an EnvKernels setting that was refused
// (an unknown name, or a path this CPU or build lacks), nil otherwise.
// Commands call it before any work: a refused setting leaves the best path
// in use, which is not what the user asked for.
func CheckPath() error { return isa.err }
