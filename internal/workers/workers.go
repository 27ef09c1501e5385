// Package workers runs parallel regions on a pool of goroutines that are
// started once and parked between regions, so that a region costs no
// goroutine start and no heap allocation: the body is an interface value
// the caller keeps in long-lived memory (a pointer converts to an
// interface without allocating).
//
// One region runs on the pool at a time. A region started while another
// one runs (a nested call from inside a Work, or a concurrent caller on
// another goroutine) runs on its caller alone, its workers one after the
// other: the same calls, so the same results, and no deadlock.
package workers

import "sync/atomic"

// Task is the body of a parallel region.
type Task interface {
	// Work runs worker w's share of the region. The workers of a region
	// may run at the same time or one after the other, so Work must not
	// wait for another worker of its region.
	Work(w int)
}

// Run calls t.Work(w) for every w in [0, n), w = 0 on the calling
// goroutine and the others on pool goroutines, and returns when all have
// returned. While another region runs it calls t.Work(0), …, t.Work(n−1)
// in order on the caller instead; so does n = 1.
func Run(n int, t Task) {
	if n <= 1 || !pool.busy.CompareAndSwap(false, true) {
		for w := 0; w < n; w++ {
			t.Work(w)
		}
		return
	}
	defer pool.finish() // also when t.Work(0) panics: the pool stays usable
	pool.start(n, t)
	t.Work(0)
}

// pool is the process's worker pool; the region holding busy owns the rest.
var pool = &workerPool{done: make(chan struct{}, 1)}

type workerPool struct {
	busy    atomic.Bool
	workers []*worker     // workers[i] runs the shares of worker index i+1
	pending atomic.Int32  // pool workers of the running region not done yet
	done    chan struct{} // the last of them signals here (capacity 1)
}

// start hands t's shares 1..n−1 to pool goroutines, starting more when the
// pool has fewer than n−1.
func (p *workerPool) start(n int, t Task) {
	for len(p.workers) < n-1 {
		wk := &worker{wake: make(chan struct{}, 1)}
		p.workers = append(p.workers, wk)
		go wk.loop(p)
	}
	p.pending.Store(int32(n - 1))
	for i, wk := range p.workers[:n-1] {
		wk.task, wk.w = t, i+1
		wk.wake <- struct{}{}
	}
}

// finish waits for the pool workers of the running region and frees the
// pool for the next one.
func (p *workerPool) finish() {
	<-p.done
	p.busy.Store(false)
}

// worker is one pool goroutine, parked on wake between shares. (Polling
// for the next share for a few microseconds before parking was measured:
// on this shared 2-core machine it made a small region 4 to 8 times
// slower, see docs/benchmarks.md.)
type worker struct {
	wake chan struct{} // capacity 1: a share is waiting in task
	task Task          // the share to run: task.Work(w)
	w    int
}

// loop is a pool goroutine's life: wait for a share, run it, report.
func (wk *worker) loop(p *workerPool) {
	for range wk.wake {
		wk.task.Work(wk.w)
		wk.task = nil
		if p.pending.Add(-1) == 0 {
			p.done <- struct{}{}
		}
	}
}
