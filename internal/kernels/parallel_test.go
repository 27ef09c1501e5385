package kernels

import (
	"sync"
	"testing"
)

// TestJobCounterOwnShareFirst checks that a worker takes its own contiguous
// share in order before helping the others, and then takes theirs.
func TestJobCounterOwnShareFirst(t *testing.T) {
	var c jobCounter
	c.reset(10, 3) // shares [0,3) [3,6) [6,10)
	var got []int
	for j, ok := c.take(1); ok; j, ok = c.take(1) {
		got = append(got, j)
	}
	want := []int{3, 4, 5, 6, 7, 8, 9, 0, 1, 2}
	if len(got) != len(want) {
		t.Fatalf("worker 1 took %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("worker 1 took %v, want %v", got, want)
		}
	}
	if j, ok := c.take(0); ok {
		t.Fatalf("take after all jobs were taken returned %d", j)
	}
}

// TestJobCounterEachJobOnce has workers take concurrently, over counts of
// jobs and workers that do not divide, and after a reset to fewer workers.
func TestJobCounterEachJobOnce(t *testing.T) {
	var c jobCounter
	for _, tc := range []struct{ n, workers int }{{0, 2}, {1, 4}, {7, 2}, {100, 3}, {1000, 8}, {5, 1}, {9, 0}} {
		c.reset(tc.n, tc.workers)
		seen := make([]int, tc.n)
		var wg sync.WaitGroup
		var mu sync.Mutex
		for w := 0; w < max(tc.workers, 1); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j, ok := c.take(w); ok; j, ok = c.take(w) {
					mu.Lock()
					seen[j]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for j, s := range seen {
			if s != 1 {
				t.Fatalf("n=%d workers=%d: job %d taken %d times", tc.n, tc.workers, j, s)
			}
		}
	}
}
