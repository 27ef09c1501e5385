package kernels

import (
	"runtime"
	"sync/atomic"
)

// threads is the worker count of the parallel entries; 0 means
// runtime.GOMAXPROCS(0).
var threads atomic.Int64

// SetThreads sets how many goroutines the parallel entries (Sgemm,
// SgemmPacked, SgemmConv, PackedA.Pack) may use. n ≤ 0 restores the
// default, runtime.GOMAXPROCS(0).
func SetThreads(n int) {
	if n < 0 {
		n = 0
	}
	threads.Store(int64(n))
}

// Threads returns the worker count the parallel entries use now (≥ 1).
func Threads() int {
	if n := int(threads.Load()); n > 0 {
		return n
	}
	return max(runtime.GOMAXPROCS(0), 1)
}
