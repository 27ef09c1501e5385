package model

import "github.com/cocotrain/cocotrain/internal/kernels"

// Batch-norm statistics from the neighbouring convolution.
//
// A training BatchNorm (or BNAct) needs per-channel sums over the whole
// batch before it can normalise anything, and its backward pass needs the
// sums of the output gradient before it can write the input gradient. Each
// is a pass over a tensor far larger than the caches. The convolution next
// to it produces that tensor one sample (or one block of channels of one
// sample) at a time, so it can compute the per-plane sums right after
// writing a plane, while the plane is still in cache:
//
//   - forward: a training Conv2d followed by a BatchNorm (BNAct,
//     BNActPool) in a Sequential hands it the sum and squared deviations of every plane of
//     its output (BatchNorm.sampleStats; a single-plane convolution right
//     after writing each plane, conv_plane.go);
//   - backward: a Conv2d whose input is a BNAct's output hands the BNAct
//     the gradient sums of every plane of its input gradient
//     (BNAct.sampleGradStats).
//
// The per-plane values are the same kernel calls on the same data as the
// batch norm's own pass, stored per plane and reduced by the batch norm in
// sample order, so the results are bit-identical to computing them there,
// for any thread count. A plane the convolution did not deliver (a path
// without the hook, or a convolution run on its own) is computed by the
// batch norm as before. compile links the two layers once (plan.go).

// planeStats holds the per-plane batch-norm statistics of one training
// Forward, indexed by plane j = i·C + c (sample i, channel c).
type planeStats struct {
	sum, m2 []float64 // Σ x, Σ (x − Σx/hw)² of the plane
	have    []bool    // computed by the convolution and not yet used
}

// size makes room for n planes, keeping what is there.
func (p *planeStats) size(n int) {
	if cap(p.sum) < n {
		p.sum, p.m2, p.have = make([]float64, n), make([]float64, n), make([]bool, n)
	}
	p.sum, p.m2, p.have = p.sum[:n], p.m2[:n], p.have[:n]
}

// put computes plane j's statistics from its values x.
func (p *planeStats) put(j int, x []float32) {
	ps := kernels.PlaneSum(x)
	p.sum[j] = float64(ps)
	p.m2[j] = float64(kernels.PlaneSqDev(x, float32(float64(ps)/float64(len(x)))))
	p.have[j] = true
}

// get returns plane j's statistics, computing them from x unless the
// convolution did; p.sum[j] keeps the sum afterwards.
func (p *planeStats) get(j int, x []float32) (sum, m2 float64) {
	if !p.have[j] {
		p.put(j, x)
	}
	p.have[j] = false
	return p.sum[j], p.m2[j]
}

// sampleStats computes the per-plane statistics of sample i's input y
// (C×H×W) for the training Forward that follows; the convolution before
// calls it from its parallel region (one sample per call).
func (b *BatchNorm) sampleStats(i int, y []float32) {
	C, hw := b.in.C, b.in.H*b.in.W
	for c := range C {
		b.planes.put(i*C+c, y[c*hw:(c+1)*hw])
	}
}

// gradStats holds the per-plane sums of a BNAct's backward pass (see
// kernels.PlaneNormActGradStats), indexed by plane i·C + c.
type gradStats struct {
	g, gd, da []float32
	have      []bool // computed by the convolution and not yet used
}

// size makes room for n planes, keeping what is there.
func (p *gradStats) size(n int) {
	if cap(p.g) < n {
		p.g, p.gd, p.da, p.have = make([]float32, n), make([]float32, n), make([]float32, n), make([]bool, n)
	}
	p.g, p.gd, p.da, p.have = p.g[:n], p.gd[:n], p.da[:n], p.have[:n]
}

// planeGradStats returns the backward sums of plane j (channel c) of the
// output gradient dy, computing them unless the convolution did.
func (l *BNAct) planeGradStats(j, c int, dy []float32) (g, gd, da float32) {
	p := &l.grads
	if j < len(p.have) && p.have[j] {
		p.have[j] = false
		return p.g[j], p.gd[j], p.da[j]
	}
	hw := len(dy)
	return kernels.PlaneNormActGradStats(dy, l.bn.x[j*hw:(j+1)*hw], l.mu[c], l.scale[c], l.shift[c], l.a(c))
}

// sampleGradStats computes the backward sums of the planes of sample i's
// output gradient dy from channel c0 on (len(dy)/(H·W) planes) for the
// Backward that follows; the convolution after calls it from its parallel
// region.
func (l *BNAct) sampleGradStats(i, c0 int, dy []float32) {
	C, hw := l.bn.in.C, l.bn.in.H*l.bn.in.W
	p := &l.grads
	for k := range len(dy) / hw {
		c, j := c0+k, i*C+c0+k
		p.g[j], p.gd[j], p.da[j] = kernels.PlaneNormActGradStats(dy[k*hw:(k+1)*hw], l.bn.x[j*hw:(j+1)*hw], l.mu[c], l.scale[c], l.shift[c], l.a(c))
		p.have[j] = true
	}
}
