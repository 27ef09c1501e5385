//go:build noasm || !(amd64 || arm64)

package kernels

// availableKernels lists the micro-kernels this build can run, best first:
// only the pure-Go one without assembly.
func availableKernels() []*microKernel { return []*microKernel{&goKernel} }
