package kernels

import (
	"sync"
	"sync/atomic"
)

// parallelFor runs body(job) for every job in [0, jobs) over up to threads
// goroutines (the caller is one of them) taking jobs from a shared counter.
func parallelFor(threads, jobs int, body func(job int)) {
	parallelWorkers(threads, jobs, func(next func() (int, bool)) {
		for job, ok := next(); ok; job, ok = next() {
			body(job)
		}
	})
}

// parallelWorkers starts min(threads, jobs) workers (the caller is one);
// each calls next to take the next job index until it reports false.
func parallelWorkers(threads, jobs int, worker func(next func() (int, bool))) {
	var counter atomic.Int64
	next := func() (int, bool) {
		j := int(counter.Add(1) - 1)
		return j, j < jobs
	}
	workers := min(threads, jobs)
	if workers <= 1 {
		worker(next)
		return
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(func() { worker(next) })
	}
	worker(next)
	wg.Wait()
}
