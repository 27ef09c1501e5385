package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// counts records how many times each worker index ran.
type counts struct {
	n    []atomic.Int32
	each func(w int) // optional extra work per call
}

func (c *counts) Work(w int) {
	c.n[w].Add(1)
	if c.each != nil {
		c.each(w)
	}
}

func newCounts(n int) *counts { return &counts{n: make([]atomic.Int32, n)} }

// check fails unless every worker index ran exactly times times.
func (c *counts) check(t *testing.T, times int) {
	t.Helper()
	for w := range c.n {
		if got := c.n[w].Load(); got != int32(times) {
			t.Fatalf("worker %d of %d ran %d times, want %d", w, len(c.n), got, times)
		}
	}
}

func TestRunCallsEveryWorkerOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 16} {
		c := newCounts(n)
		for range 100 {
			Run(n, c)
		}
		c.check(t, 100)
	}
}

func TestRunIsParallel(t *testing.T) {
	c := newCounts(2)
	c.each = bothAtOnce()
	Run(2, c)
	c.check(t, 1)
}

// TestRunAfterParking runs regions back to back (the workers find their
// next share while polling) and after pauses longer than spinFor (the
// workers and the caller have parked), with shares of uneven length so
// that either side finishes first.
func TestRunAfterParking(t *testing.T) {
	n := runtime.GOMAXPROCS(0) + 1
	for _, pause := range []time.Duration{0, 3 * spinFor} {
		c := newCounts(n)
		c.each = func(w int) {
			if w%2 == 1 {
				time.Sleep(spinFor / 2)
			}
		}
		for range 20 {
			Run(n, c)
			Run(2, c)
			time.Sleep(pause)
		}
		for w := range c.n {
			want := int32(20)
			if w < 2 {
				want = 40
			}
			if got := c.n[w].Load(); got != want {
				t.Fatalf("pause %v: worker %d ran %d times, want %d", pause, w, got, want)
			}
		}
	}
}

// bothAtOnce returns an each function that makes a 2-worker region finish
// only if its workers run at the same time: worker 0 waits for worker 1.
func bothAtOnce() func(int) {
	ran := make(chan struct{})
	return func(w int) {
		if w == 1 {
			close(ran)
		} else {
			<-ran
		}
	}
}

// TestNestedRunIsSerial starts a region from inside every worker of a
// region: the inner ones run on their callers, one worker after the other.
func TestNestedRunIsSerial(t *testing.T) {
	outer := newCounts(3)
	inner := make([]*counts, 3)
	for w := range inner {
		inner[w] = newCounts(4)
	}
	outer.each = func(w int) {
		var order []int
		rec := &orderTask{c: inner[w], order: &order}
		Run(4, rec)
		for i, v := range order {
			if v != i {
				t.Errorf("nested region of worker %d ran workers in order %v", w, order)
				break
			}
		}
	}
	Run(3, outer)
	outer.check(t, 1)
	for _, c := range inner {
		c.check(t, 1)
	}
}

// orderTask counts like counts and appends each worker index to order
// (only safe when the region runs serially).
type orderTask struct {
	c     *counts
	order *[]int
}

func (o *orderTask) Work(w int) {
	o.c.Work(w)
	*o.order = append(*o.order, w)
}

// TestConcurrentCallers runs regions from several goroutines at once: the
// ones that find the pool busy run on their callers.
func TestConcurrentCallers(t *testing.T) {
	const callers, regions = 4, 200
	var wg sync.WaitGroup
	cs := make([]*counts, callers)
	for i := range cs {
		cs[i] = newCounts(3)
		wg.Go(func() {
			for range regions {
				Run(3, cs[i])
			}
		})
	}
	wg.Wait()
	for _, c := range cs {
		c.check(t, regions)
	}
}

type panicker struct{ counts }

func (p *panicker) Work(w int) {
	p.counts.Work(w)
	if w == 0 {
		panic("worker 0")
	}
}

// TestPanicFreesThePool panics in the caller's share; once recovered, the
// region's other workers have finished and the pool runs the next region.
func TestPanicFreesThePool(t *testing.T) {
	p := &panicker{*newCounts(2)}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic of worker 0 was lost")
			}
		}()
		Run(2, p)
	}()
	p.check(t, 1)
	c := newCounts(2)
	c.each = bothAtOnce()
	Run(2, c)
	c.check(t, 1)
}

func TestRunAllocatesNothing(t *testing.T) {
	c := newCounts(runtime.GOMAXPROCS(0) + 2)
	if a := testing.AllocsPerRun(100, func() { Run(len(c.n), c) }); a != 0 {
		t.Errorf("Run allocates %g objects per region", a)
	}
}

type empty struct{}

func (empty) Work(int) {}

// BenchmarkRun times an empty region on GOMAXPROCS workers: the overhead a
// parallel region adds.
func BenchmarkRun(b *testing.B) {
	n := runtime.GOMAXPROCS(0)
	var t empty
	b.ReportAllocs()
	for b.Loop() {
		Run(n, t)
	}
}

// BenchmarkRunAfterParking times a region that finds its pool workers
// parked (the previous one ended 3·spinFor earlier): what waking a parked
// goroutine costs, which spinFor is weighed against.
func BenchmarkRunAfterParking(b *testing.B) {
	n := runtime.GOMAXPROCS(0)
	var t empty
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		time.Sleep(3 * spinFor)
		b.StartTimer()
		Run(n, t)
	}
}

// BenchmarkGoroutines times what Run replaces: starting GOMAXPROCS−1
// goroutines per region and waiting for them.
func BenchmarkGoroutines(b *testing.B) {
	n := runtime.GOMAXPROCS(0)
	var t empty
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		for w := 1; w < n; w++ {
			wg.Go(func() { t.Work(w) })
		}
		t.Work(0)
		wg.Wait()
	}
}

// regionShares records, per region, which shares have returned.
type regionShares struct {
	done []atomic.Bool
	d    time.Duration // how long each share runs
}

func (r *regionShares) Work(w int) {
	for start := time.Now(); time.Since(start) < r.d; {
	}
	r.done[w].Store(true)
}

// TestRunReturnsAfterEveryShare runs many regions back to back, most
// shorter than spinFor (the caller polls for their end) and some longer
// (it parks), with goroutines competing for the cores so that pool workers
// are preempted at any point of their bookkeeping, and checks that each
// Run returns only after all its shares have returned: a late worker of
// one region must neither end the next one early nor leave its caller
// waiting.
func TestRunReturnsAfterEveryShare(t *testing.T) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					runtime.Gosched()
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	n := runtime.GOMAXPROCS(0)
	r := &regionShares{done: make([]atomic.Bool, n)}
	for i := range 20000 {
		for w := range r.done {
			r.done[w].Store(false)
		}
		r.d = time.Duration(i%5) * time.Microsecond
		if i%100 == 0 {
			r.d = 2 * spinFor
		}
		Run(n, r)
		for w := range r.done {
			if !r.done[w].Load() {
				t.Fatalf("region %d: Run returned before share %d of %d returned", i, w, n)
			}
		}
	}
}
