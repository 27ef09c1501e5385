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

import (
	"runtime"
	"sync/atomic"
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

// spinChecks is how many times a worker that has finished its share polls
// for the next one, and the caller polls for the end of its region, before
// parking on a channel: regions of a training step follow each other
// within microseconds, and a parked goroutine takes tens of microseconds to
// wake. Polling happens only when every worker of the region has a core
// (n ≤ GOMAXPROCS).
const spinChecks = 1 << 10

// pool is the process's worker pool; the region holding busy owns the rest.
var pool = &workerPool{done: make(chan struct{}, 1)}

type workerPool struct {
	busy    atomic.Bool
	workers []*worker     // workers[i] runs the shares of worker index i+1
	pending atomic.Int32  // pool workers of the running region not done yet
	done    chan struct{} // the last of them signals here (capacity 1)
	spin    atomic.Bool   // poll before parking
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
		wk.post(t, i+1)
	}
}

// finish waits for the pool workers of the running region and frees the
// pool for the next one.
func (p *workerPool) finish() {
	if p.spin.Load() {
		for i := 0; i < spinChecks && p.pending.Load() != 0; i++ {
		}
	}
	<-p.done
	p.busy.Store(false)
}

// Worker states: idle (polling, or about to park), parked (waiting on
// wake), posted (a share is waiting in task).
const (
	idle uint32 = iota
	parked
	posted
)

// worker is one pool goroutine.
type worker struct {
	state atomic.Uint32
	wake  chan struct{} // capacity 1: the poster's signal to a parked worker
	task  Task          // the share to run: task.Work(w)
	w     int
}

// post hands wk the share w of t and wakes wk if it is parked.
func (wk *worker) post(t Task, w int) {
	wk.task, wk.w = t, w
	if wk.state.Swap(posted) == parked {
		wk.wake <- struct{}{}
	}
}

// loop is a pool goroutine's life: wait for a share, run it, report.
func (wk *worker) loop(p *workerPool) {
	for {
		wk.await(p)
		wk.task.Work(wk.w)
		wk.task = nil
		wk.state.Store(idle) // before pending: the next post may follow at once
		if p.pending.Add(-1) == 0 {
			p.done <- struct{}{}
		}
	}
}

// await returns once a share is posted: it polls for a while if p.spin
// says so, then parks until the poster wakes it.
func (wk *worker) await(p *workerPool) {
	if p.spin.Load() {
		for i := 0; i < spinChecks; i++ {
			if wk.state.Load() == posted {
				return
			}
		}
	}
	if wk.state.CompareAndSwap(idle, parked) {
		<-wk.wake
	}
}
