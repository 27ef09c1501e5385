package kernels

import (
	"math/bits"
	"sync"
)

// freeList recycles objects of type T between calls. Unlike a sync.Pool it
// keeps them across garbage collections, so that a steady state allocates
// nothing at all; it holds at most as many objects as were in use at once.
type freeList[T any] struct {
	mu   sync.Mutex
	free []*T
}

// get returns a recycled object, or a new zero one.
func (l *freeList[T]) get() *T {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.free)
	if n == 0 {
		return new(T)
	}
	x := l.free[n-1]
	l.free = l.free[:n-1]
	return x
}

// put gives x back for a later get.
func (l *freeList[T]) put(x *T) {
	l.mu.Lock()
	l.free = append(l.free, x)
	l.mu.Unlock()
}

// bufLists recycle the packing buffers, one list per power of two of
// capacity so that buffers of different roles never evict each other.
var bufLists [48]freeList[[]float32]

// getBuf returns a recycled buffer of n floats (capacity the next power of
// two); give it back with putBuf.
func getBuf(n int) *[]float32 {
	class := bits.Len(uint(max(n, 1) - 1))
	p := bufLists[class].get()
	if cap(*p) == 0 {
		*p = make([]float32, 0, 1<<class)
	}
	*p = (*p)[:n]
	return p
}

func putBuf(p *[]float32) { bufLists[bits.Len(uint(cap(*p)-1))].put(p) }
