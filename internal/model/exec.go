package model

import (
	"runtime"

	"github.com/cocotrain/cocotrain/internal/kernels"

	"github.com/cocotrain/cocotrain/internal/workers"
)

// Exec is the execution context every layer of one net shares: the training
// flag, the number of worker goroutines and the scratch memory the workers use.
//
// Determinism: work is always cut into units that depend only on the tensor
// shapes (a sample, a channel, a fixed block of rows, a fixed group of
// samples), never on the thread count; threads only choose which units they
// run. Every sum that crosses units (parameter gradients, batch-norm
// statistics) is either computed inside one unit or reduced afterwards in
// unit order, so results are bit-identical for any thread count.
type Exec struct {
	// Training selects batch statistics in batch norm and active dropout.
	Training bool
	threads  int
	cols     [][]float32 // per-worker im2col scratch
	groups   []float32   // per-sample-group parameter-gradient scratch
	// grads[k] are the ping-pong gradient buffers of the Sequentials at
	// nesting level k, acts[k] their ping-pong activation buffers in an
	// Infer replica, shortcut[k] the shortcut buffer of the Residuals
	// inside k others (see scratch).
	grads, acts []*[2]scratch
	shortcut    []*scratch
	// packT are the transposed weight packings of the running Backward
	// of a convolution (transposedPacks)
	packT []kernels.PackedA
	// inferOnly marks an Infer replica (Options.inferOnly): no Backward
	// ever follows a Forward, so layers may skip what only a backward pass
	// reads.
	inferOnly bool
	// winoBudget is the bytes a Winograd convolution may keep for its
	// backward beyond a block's scratch (winoBudgetBytes; tests lower it)
	winoBudget int
	// weightsGen counts the passes that may see new weights (see
	// weightsChanged); 0 means every Forward must assume new weights.
	weightsGen uint64
	reg        region    // the running parallel region
	red        reduction // reduceGroups' region
}

// weightsChanged starts a pass whose weights may differ from the last
// one's: layers that keep a packed copy of their weights repack it once in
// this pass. Net.Forward calls it every time; Net.Infer once per call for
// each replica, which then runs many chunks with the same packing.
func (e *Exec) weightsChanged() { e.weightsGen++ }

// scratch is a buffer that several layers of a net use one after the
// other: the layers of one nesting level (a Sequential's gradient
// buffers, a Residual's shortcut buffer) never run at the same time, so
// they share one buffer instead of keeping one each. compile records the
// largest per-sample need of its users, and the first get for a batch of
// n allocates n times that at once: a buffer grown layer by layer would
// leave each smaller one behind as garbage that the collector has not
// reclaimed by the pass's peak.
type scratch struct {
	perSample int // floats per sample of the largest user
	buf       []float32
}

// need raises the buffer's size to at least floats per sample.
func (s *scratch) need(floats int) { s.perSample = max(s.perSample, floats) }

// get returns the buffer's first floats (contents undefined), sized for
// batches of n (floats ≤ n·perSample).
func (s *scratch) get(n, floats int) []float32 {
	s.buf = grow(s.buf, n*s.perSample)
	return s.buf[:floats]
}

// atLevel returns the entry k of a list of per-level buffers, adding levels
// as needed.
func atLevel[T any](l *[]*T, k int) *T {
	for len(*l) <= k {
		*l = append(*l, new(T))
	}
	return (*l)[k]
}

// NewExec returns an execution context in eval mode running on GOMAXPROCS
// goroutines.
func NewExec() *Exec {
	e := &Exec{winoBudget: winoBudgetBytes}
	e.SetThreads(0)
	return e
}

// SetThreads sets the number of worker goroutines; n ≤ 0 means GOMAXPROCS.
func (e *Exec) SetThreads(n int) {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	e.threads = n
	for len(e.cols) < n {
		e.cols = append(e.cols, nil)
	}
}

// Threads is the number of worker goroutines.
func (e *Exec) Threads() int { return e.threads }

// task is the body of a parallel region: unit(w, u) runs unit u on worker w.
// A task built once (a layer's unitFunc regions, or a pointer into a
// long-lived struct) makes a region allocate nothing.
type task interface{ unit(worker, u int) }

// unitFunc is a task made of a function: a layer's parallel regions are
// method values built once with the layer (its buildUnits), so that
// running one allocates nothing.
type unitFunc func(worker, u int)

func (f unitFunc) unit(w, u int) { f(w, u) }

// run runs t.unit(worker, unit) for every unit in [0, units), unit u on
// worker u mod T (T = min(threads, units)), and returns when all are done.
// Each worker runs its units in increasing order, on the goroutines of
// internal/workers. Regions of one Exec do not nest.
func (e *Exec) run(units int, t task) {
	T := min(e.threads, units)
	if T <= 1 {
		for u := 0; u < units; u++ {
			t.unit(0, u)
		}
		return
	}
	if e.inRegion() {
		panic("model: parallel region started inside another one of the same Exec")
	}
	e.reg = region{t: t, units: units, workers: T}
	defer func() { e.reg = region{} }()
	workers.Run(T, &e.reg)
}

// inRegion reports whether a parallel region of e is running (code called
// from a unit must then do its work on the calling worker).
func (e *Exec) inRegion() bool { return e.reg.t != nil }

// region is the running parallel region of an Exec (a workers.Task).
type region struct {
	t              task
	units, workers int
}

// Work runs worker w's units: w, w+T, w+2T, … in increasing order.
func (r *region) Work(w int) {
	for u := w; u < r.units; u += r.workers {
		r.t.unit(w, u)
	}
}

// col returns worker w's scratch of at least n floats (contents undefined).
// Only worker w may call it while a parallel region runs.
func (e *Exec) col(w, n int) []float32 {
	if cap(e.cols[w]) < n {
		e.cols[w] = make([]float32, n)
	}
	return e.cols[w][:n]
}

// groupScratch returns the shared scratch of g·n floats used for per-group
// parameter gradients (and a Winograd backward's dM, V and dU); call it
// outside parallel regions.
func (e *Exec) groupScratch(g, n int) []float32 {
	e.reserveGroups(g * n)
	return e.groups[:g*n]
}

// transposedPacks returns k packings for a convolution's Backward to pack
// its transposed weights into: every convolution packs them anew at the
// start of its Backward, so one set serves them all.
func (e *Exec) transposedPacks(k int) []kernels.PackedA {
	for len(e.packT) < k {
		e.packT = append(e.packT, kernels.PackedA{})
	}
	return e.packT[:k]
}

// reserveGroups makes groupScratch hold at least n floats without
// reallocating (Net.Backward reserves the most any convolution takes, so
// that the scratch is allocated once and not grown layer by layer).
func (e *Exec) reserveGroups(n int) {
	if cap(e.groups) < n {
		e.groups = make([]float32, n)
	}
}

// maxGradGroups bounds the number of sample groups whose parameter gradients
// are accumulated separately and then reduced in order.
const maxGradGroups = 8

// gradGroups is the number of sample groups for a batch of n: it depends on n
// only, so the reduction order is the same for any thread count.
func gradGroups(n int) int { return min(n, maxGradGroups) }

// groupRange is the half-open sample range of group g out of groups over n.
func groupRange(g, groups, n int) (lo, hi int) {
	return g * n / groups, (g + 1) * n / groups
}

// reduceGroups adds the groups partial gradients into dst in group order, in
// parallel over fixed blocks of dst. Group g's partial for dst[i] is
// parts[g*stride+off+i].
func (e *Exec) reduceGroups(dst, parts []float32, groups, stride, off int) {
	e.red = reduction{dst: dst, parts: parts, groups: groups, stride: stride, off: off}
	e.run((len(dst)+reduceBlock-1)/reduceBlock, &e.red)
	e.red = reduction{}
}

// reduceBlock is the number of gradient elements per unit of reduceGroups.
const reduceBlock = 4096

// reduction is reduceGroups' parallel region: unit u sums block u of dst.
type reduction struct {
	dst, parts          []float32
	groups, stride, off int
}

func (r *reduction) unit(_, u int) {
	lo, hi := u*reduceBlock, min((u+1)*reduceBlock, len(r.dst))
	d := r.dst[lo:hi]
	for g := 0; g < r.groups; g++ {
		src := r.parts[g*r.stride+r.off+lo : g*r.stride+r.off+hi]
		for i, v := range src {
			d[i] += v
		}
	}
}

// grow returns buf resliced to n floats, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
