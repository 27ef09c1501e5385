package kernels

import (
	"math/bits"
	"sync"
)

// bufPools recycle the packing buffers between calls, one pool per power
// of two of capacity so that buffers of different roles never evict each
// other.
var bufPools [48]sync.Pool

// getBuf returns a pooled buffer of n floats (capacity the next power of
// two); give it back with putBuf.
func getBuf(n int) *[]float32 {
	class := bits.Len(uint(max(n, 1) - 1))
	if p, ok := bufPools[class].Get().(*[]float32); ok {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n, 1<<class)
	return &s
}

func putBuf(p *[]float32) { bufPools[bits.Len(uint(cap(*p)-1))].Put(p) }
