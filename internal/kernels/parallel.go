package kernels

import "sync/atomic"

// jobCounter hands the job indices [0, n) of a parallel region out to its
// workers (internal/workers), each index once. Worker w first takes the
// jobs of its own share, the w-th of `workers` contiguous ranges, in
// increasing order; then it helps the others, taking from their shares.
// A worker thus touches the same part of the operands from one call to
// the next, and its caches keep it, while a worker that falls behind is
// still helped.
type jobCounter struct {
	n      int
	shares []jobShare // one per worker
}

// jobShare is one worker's range of jobs: next is the first not yet taken,
// end the first past the range. The padding keeps each share on its own
// cache line, so that workers taking from their own shares do not contend.
type jobShare struct {
	next atomic.Int64
	end  int64
	_    [48]byte
}

// reset makes the counter hand out [0, n) from the start to `workers`
// workers (those of the region's workers.Run call).
func (c *jobCounter) reset(n, workers int) {
	workers = max(workers, 1)
	c.n = n
	if cap(c.shares) < workers {
		c.shares = make([]jobShare, workers)
	}
	c.shares = c.shares[:workers]
	for w := range c.shares {
		c.shares[w].next.Store(int64(w * n / workers))
		c.shares[w].end = int64((w + 1) * n / workers)
	}
}

// take returns the next job index for worker w, or false once all are
// taken.
func (c *jobCounter) take(w int) (int, bool) {
	for i := range c.shares {
		s := &c.shares[(w+i)%len(c.shares)]
		if s.next.Load() >= s.end {
			continue
		}
		if j := s.next.Add(1) - 1; j < s.end {
			return int(j), true
		}
	}
	return 0, false
}
