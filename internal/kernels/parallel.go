package kernels

import "sync/atomic"

// jobCounter hands the job indices [0, n) of a parallel region out to its
// workers (internal/workers), each index once, in increasing order.
type jobCounter struct {
	next atomic.Int64
	n    int
}

// reset makes the counter hand out [0, n) from the start.
func (c *jobCounter) reset(n int) {
	c.n = n
	c.next.Store(0)
}

// take returns the next job index, or false once all are taken.
func (c *jobCounter) take() (int, bool) {
	j := int(c.next.Add(1) - 1)
	return j, j < c.n
}
