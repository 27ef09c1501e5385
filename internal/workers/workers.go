// Package workers runs parallel regions on a pool of goroutines that are
// started once and wait between regions (polling briefly, then parked), so
// that a region costs no goroutine start and no heap allocation: the body
// is an interface value the caller keeps in long-lived memory (a pointer
// converts to an interface without allocating).
//
// One region runs on the pool at a time. A region started while another
// one runs (a nested call from inside a Work, or a concurrent caller on
// another goroutine) runs on its caller alone, its workers one after the
// other: the same calls, so the same results, and no deadlock.
package workers

import (
	"runtime"
	"sync/atomic"
	"time"
)

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
	workers []*worker // workers[i] runs the shares of worker index i+1
	// pending counts the pool workers of the running region not done yet,
	// plus callerWaiting once the caller parks on done. Each worker's
	// report is that one decrement, its last touch of the region, so
	// that a region ends only after its workers have left it.
	pending atomic.Int32
	done    chan struct{} // the last worker signals here when the caller waits (capacity 1)
	spin    atomic.Bool   // every worker of the last region had a core: poll before parking
}

// callerWaiting is added to workerPool.pending by a caller that parks on
// done: the worker whose decrement leaves exactly callerWaiting is the
// region's last and wakes it.
const callerWaiting = 1 << 30

// spinFor is how long a pool worker polls for its next share, and the
// caller of a region for the end of the region, before parking on a
// channel: about what waking a parked goroutine costs on a virtual machine
// (BenchmarkRunAfterParking; docs/benchmarks.md, "Parallel regions").
// Regions of a training step and the tiles of a GEMM follow each other
// faster than that. Polling happens only when every worker of the region
// has a core (n ≤ GOMAXPROCS).
const spinFor = 100 * time.Microsecond

// spinUntil polls cond for up to spinFor and reports whether it became true.
func spinUntil(cond func() bool) bool {
	start := time.Now()
	for i := 0; ; i++ {
		if cond() {
			return true
		}
		if i%64 == 63 && time.Since(start) > spinFor {
			return false
		}
	}
}

// start hands t's shares 1..n−1 to pool goroutines, starting more when the
// pool has fewer than n−1.
func (p *workerPool) start(n int, t Task) {
	for len(p.workers) < n-1 {
		wk := &worker{wake: make(chan struct{}, 1)}
		p.workers = append(p.workers, wk)
		go wk.loop(p)
	}
	p.spin.Store(n <= runtime.GOMAXPROCS(0))
	p.pending.Store(int32(n - 1))
	for i, wk := range p.workers[:n-1] {
		wk.task, wk.w = t, i+1
		if wk.state.Swap(posted) == parked {
			wk.wake <- struct{}{}
		}
	}
}

// finish waits for the pool workers of the running region and frees the
// pool for the next one.
func (p *workerPool) finish() {
	if !p.spin.Load() || !spinUntil(p.allDone) {
		if p.pending.Add(callerWaiting) != callerWaiting { // workers still running
			<-p.done
		}
		p.pending.Store(0)
	}
	p.busy.Store(false)
}

func (p *workerPool) allDone() bool { return p.pending.Load() == 0 }

// workerDone reports a pool worker's share as done: the last worker of a
// region whose caller parked wakes it.
func (p *workerPool) workerDone() {
	if p.pending.Add(-1) == callerWaiting {
		p.done <- struct{}{}
	}
}

// Worker states: running or polling for a share (idle), parked on wake, or
// handed a share (posted).
const (
	idle int32 = iota
	parked
	posted
)

// worker is one pool goroutine: between shares it polls its state for
// spinFor, then parks on wake.
type worker struct {
	state atomic.Int32
	wake  chan struct{} // capacity 1: a share is waiting in task
	task  Task          // the share to run: task.Work(w)
	w     int
}

// loop is a pool goroutine's life: wait for a share, run it, report.
func (wk *worker) loop(p *workerPool) {
	for {
		if !p.spin.Load() || !spinUntil(wk.isPosted) {
			if wk.state.CompareAndSwap(idle, parked) {
				<-wk.wake
			}
		}
		wk.task.Work(wk.w)
		wk.task = nil
		wk.state.Store(idle)
		p.workerDone()
	}
}

func (wk *worker) isPosted() bool { return wk.state.Load() == posted }
