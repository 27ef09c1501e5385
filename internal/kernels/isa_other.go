//go:build noasm || !(amd64 || arm64)

package kernels

// cpuPaths lists the kernel paths of a build without assembly: the
// pure-Go one.
func cpuPaths() []string { return []string{"go"} }
