package model

import (
	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// BNActPool is a BatchNorm2d, a ReLU or per-channel PReLU and a 2×2
// stride-2 max pool run as one layer (tiny's stages). Forward computes the
// batch statistics, then per plane normalises, activates and pools in one
// sweep (kernels.NormActPool2x2), writing only the pooled output and each
// output's window index: the full-size activation is never formed.
// Backward takes the batch-norm gradient sums from the pooled positions
// alone (the pooled gradient reaches only each window's maximum, where the
// normalised value is recomputed from the cached input) and writes the
// input gradient in one sweep, dx = k·g + (x − μ)·kb + kc with g nonzero
// only at the maxima: the full-size gradients of the pool and the
// activation are never formed either. The results are those of BNAct then
// MaxPool2d (see MaxPool2d for the max's semantics, NaN included): the
// same outputs and running statistics bit for bit, the gradients to
// float32 rounding (their sums run over the pooled positions instead of
// the whole plane). One difference: with a NaN or ±Inf input in eval
// mode, the unfused layers' γ gradient turns NaN through 0·NaN away from
// the maxima, the fused one's does not (in training mode the statistics,
// hence both, are NaN). The layers keep their names, parameters and
// summary rows as BNActPool's children.
//
//	in: n × C × H × W;  out: n × C × ⌊H/2⌋ × ⌊W/2⌋;  arg: n × C × ⌊H/2⌋ × ⌊W/2⌋ (cache)
type BNActPool struct {
	ba   *BNAct     // the batch norm and activation, with their channel maps
	pool *MaxPool2d // the 2×2 stride-2 pool (its own caches stay unused)
	// cache: the window index of each output's maximum in its 2×2 window,
	// 2·row + column (0..3)
	arg   []uint8
	call  call           // the arguments of the running Forward or Backward
	units bnActPoolUnits // parallel regions, built once
}

// newBNActPool fuses ba with pool, a 2×2 stride-2 unpadded max pool over
// ba's output.
func newBNActPool(ba *BNAct, pool *MaxPool2d) *BNActPool {
	l := &BNActPool{ba: ba, pool: pool}
	l.buildUnits()
	return l
}

// Name is the batch norm's name.
func (l *BNActPool) Name() string { return l.ba.Name() }

// InShape is the per-sample input shape.
func (l *BNActPool) InShape() Shape { return l.ba.InShape() }

// OutShape is the per-sample pooled shape.
func (l *BNActPool) OutShape() Shape { return l.pool.OutShape() }

// Params are the batch norm's tensors, then the activation's.
func (l *BNActPool) Params() []*params.Param { return l.ba.Params() }

// MACs is 0: no matrix products.
func (l *BNActPool) MACs() int64 { return 0 }

// Children are the batch norm, the activation and the pool.
func (l *BNActPool) Children() []Layer { return []Layer{l.ba.bn, l.ba.act, l.pool} }

// poolRunFloats is the length of the contiguous runs BNActPool's work
// units read: a unit takes a block of ⌈poolRunFloats/(H·W)⌉ consecutive
// channels (one for planes of at least that size), whose planes of one
// sample are one run of memory. A single channel's planes of tiny's 8×8
// stage are n runs of 256 bytes scattered over the tensor, which cost more
// to fetch than the arithmetic on them; a block of them stays small enough
// (n runs of 4 KB) to be in cache still when the unit's second pass over it
// (the sweep after the statistics) begins.
const poolRunFloats = 1024

// sweepRunFloats is the length of the runs a work unit of the sample by
// sample sweep (bnActPoolSweep) reads: 64 KB of one sample's consecutive
// planes, long runs for the prefetchers and still many units when the
// batch is small.
const sweepRunFloats = 16384

// channelsPer is the number of consecutive channels a work unit reading
// runs of run floats takes (one for planes of at least that size).
func (l *BNActPool) channelsPer(run int) int {
	return max(1, run/(l.ba.bn.in.H*l.ba.bn.in.W))
}

// channelBlock is the channels [c0, c1) of work unit u (see poolRunFloats).
func (l *BNActPool) channelBlock(u int) (c0, c1 int) {
	cb := l.channelsPer(poolRunFloats)
	return u * cb, min((u+1)*cb, l.ba.bn.in.C)
}

// channelBlocks is the number of work units (channel blocks) of a pass.
func (l *BNActPool) channelBlocks() int {
	cb := l.channelsPer(poolRunFloats)
	return (l.ba.bn.in.C + cb - 1) / cb
}

// Forward computes out = maxpool(act(BN(in))). When the channels'
// statistics need no pass over in (eval mode, or the convolution before
// handed over every plane's, bnstats.go), it computes the channels' maps,
// then sweeps sample by sample in runs of consecutive planes
// (bnActPoolSweep); otherwise one block of channels per work unit
// (channelBlock): the statistics of its planes, sample by sample, then its
// channels' maps, then the sweep. An Infer replica, which never runs
// Backward, skips the window indices.
func (l *BNActPool) Forward(out, in []float32, n int) {
	ba, b := l.ba, l.ba.bn
	b.begin(in, n)
	if !b.ex.inferOnly {
		l.arg = growUint8(l.arg, n*l.pool.out.Size())
	}
	l.call = call{out, in, n}
	if !l.statsKnown() {
		b.ex.run(l.channelBlocks(), l.units.bnActPoolForward)
		return
	}
	for c := range b.in.C {
		ba.mu[c], ba.scale[c], ba.shift[c] = b.channelForward(in, n, c)
	}
	cb := l.channelsPer(sweepRunFloats)
	b.ex.run(n*((b.in.C+cb-1)/cb), l.units.bnActPoolSweep)
}

// statsKnown reports whether the channels' statistics for the running
// Forward need no pass over its input: eval mode, or every plane's
// statistics handed over by the convolution before.
func (l *BNActPool) statsKnown() bool {
	b := l.ba.bn
	if !b.trained {
		return true
	}
	for _, h := range b.planes.have {
		if !h {
			return false
		}
	}
	return true
}

// bnActPoolForward is BNActPool.Forward's parallel region when it computes
// the statistics: unit u is the channel block channelBlock(u).
func (l *BNActPool) bnActPoolForward(_, u int) {
	ba, b := l.ba, l.ba.bn
	C, hw := b.in.C, b.in.H*b.in.W
	in, n := l.call.src, l.call.n
	c0, c1 := l.channelBlock(u)
	if b.trained {
		for i := 0; i < n; i++ {
			for c := c0; c < c1; c++ {
				if j := i*C + c; !b.planes.have[j] {
					b.planes.put(j, in[j*hw:(j+1)*hw])
				}
			}
		}
	}
	for c := c0; c < c1; c++ {
		ba.mu[c], ba.scale[c], ba.shift[c] = b.channelForward(in, n, c)
	}
	for i := 0; i < n; i++ {
		l.sweep(i, c0, c1)
	}
}

// bnActPoolSweep is BNActPool.Forward's parallel region when the channels'
// maps are known: sample by sample, each sample's channels in blocks of
// channelsPer(sweepRunFloats); unit u is block u mod B of sample u / B
// (B blocks per sample).
func (l *BNActPool) bnActPoolSweep(_, u int) {
	C := l.ba.bn.in.C
	cb := l.channelsPer(sweepRunFloats)
	B := (C + cb - 1) / cb
	c0 := u % B * cb
	l.sweep(u/B, c0, min(c0+cb, C))
}

// sweep normalises, activates and pools planes [c0, c1) of sample i of the
// running Forward with the channels' maps.
func (l *BNActPool) sweep(i, c0, c1 int) {
	ba, b := l.ba, l.ba.bn
	C, W, hw := b.in.C, b.in.W, b.in.H*b.in.W
	OW, ohw := l.pool.out.W, l.pool.out.H*l.pool.out.W
	out, in := l.call.dst, l.call.src
	for c := c0; c < c1; c++ {
		pl := i*C + c
		var arg []uint8
		if !b.ex.inferOnly {
			arg = l.arg[pl*ohw : (pl+1)*ohw]
		}
		kernels.NormActPool2x2(out[pl*ohw:(pl+1)*ohw], arg, in[pl*hw:(pl+1)*hw], W, OW, ba.mu[c], ba.scale[c], ba.shift[c], ba.a(c))
	}
}

// Backward computes dIn through the three layers and adds the gradients of
// γ, β and the slopes, one block of channels per work unit (channelBlock):
// the channels' sums and input-gradient maps (channelGrads), then the
// input-gradient sweep.
func (l *BNActPool) Backward(dIn, dOut []float32, n int) {
	l.call = call{dIn, dOut, n}
	l.ba.grads.size(n * l.ba.bn.in.C)
	l.ba.bn.ex.run(l.channelBlocks(), l.units.bnActPoolBackward)
}

// beginBackward starts a Backward over dOut (n samples) without an input
// gradient whose work the single-plane convolution before runs channel by
// channel (channelGrads, mapGradPlanes; planeStage).
func (l *BNActPool) beginBackward(dOut []float32, n int) {
	l.call = call{nil, dOut, n}
	l.ba.grads.size(n * l.ba.bn.in.C)
}

// bnActPoolBackward is BNActPool.Backward's parallel region: unit u is the
// channel block channelBlock(u).
func (l *BNActPool) bnActPoolBackward(_, u int) {
	C, hw := l.ba.bn.in.C, l.ba.bn.in.H*l.ba.bn.in.W
	dIn, n := l.call.dst, l.call.n
	c0, c1 := l.channelBlock(u)
	l.channelGrads(c0, c1)
	if dIn == nil {
		return
	}
	for i := 0; i < n; i++ {
		l.gradPlanes(dIn[(i*C+c0)*hw:], i, c0, c1)
	}
}

// channelGrads computes the backward of channels [c0, c1) of the running
// Backward but for the input-gradient sweep: the per-plane sums sample by
// sample, their reduction per channel in sample order, the slopes'
// gradient and the channels' input-gradient maps (ba.k, ba.kb, ba.kc).
// The per-plane sums run from the last sample to the first, so that the
// sweep, which runs from the first, finds the planes read last still in
// cache when the channels' planes exceed it (tiny's first stage: 64
// samples × 21 KB per channel); they are reduced in sample order all the
// same.
func (l *BNActPool) channelGrads(c0, c1 int) {
	ba, b := l.ba, l.ba.bn
	C, W, hw := b.in.C, b.in.W, b.in.H*b.in.W
	OW, ohw := l.pool.out.W, l.pool.out.H*l.pool.out.W
	dOut, n, p := l.call.src, l.call.n, &ba.grads
	for i := n - 1; i >= 0; i-- {
		for c := c0; c < c1; c++ {
			pl := i*C + c
			p.g[pl], p.gd[pl], p.da[pl] = kernels.NormActPool2x2GradStats(dOut[pl*ohw:(pl+1)*ohw], l.arg[pl*ohw:(pl+1)*ohw], b.x[pl*hw:(pl+1)*hw],
				W, OW, ba.mu[c], ba.scale[c], ba.shift[c], ba.a(c))
		}
	}
	for c := c0; c < c1; c++ {
		var sg, sgd, sda float64 // Σ g, Σ g·(x − μ), Σ dy·v over v ≤ 0
		for i := 0; i < n; i++ {
			sg += float64(p.g[i*C+c])
			sgd += float64(p.gd[i*C+c])
			sda += float64(p.da[i*C+c])
		}
		if ba.slope != nil {
			ba.slope.G[c] += float32(sda)
		}
		ba.k[c], ba.kb[c], ba.kc[c] = b.channelBackward(c, n, sg, sgd)
	}
}

// mapGradPlanes writes the input gradient of planes [lo, hi) of sample i of
// the running Backward into buf and returns them ((hi−lo)×H×W), with the
// maps channelGrads computed: the same kernel calls as Backward's own
// sweep.
func (l *BNActPool) mapGradPlanes(buf []float32, i, lo, hi int) []float32 {
	buf = buf[:(hi-lo)*l.ba.bn.in.H*l.ba.bn.in.W]
	l.gradPlanes(buf, i, lo, hi)
	return buf
}

// gradPlanes writes the input gradient of planes [lo, hi) of sample i,
// dx = k·g + (x − μ)·kb + kc, into dx from its start ((hi−lo)×H×W).
func (l *BNActPool) gradPlanes(dx []float32, i, lo, hi int) {
	ba, b := l.ba, l.ba.bn
	C, W, hw := b.in.C, b.in.W, b.in.H*b.in.W
	OW, ohw := l.pool.out.W, l.pool.out.H*l.pool.out.W
	dOut := l.call.src
	for c := lo; c < hi; c++ {
		pl := i*C + c
		kernels.NormActPool2x2Backward(dx[(c-lo)*hw:(c-lo+1)*hw], dOut[pl*ohw:(pl+1)*ohw], l.arg[pl*ohw:(pl+1)*ohw], b.x[pl*hw:(pl+1)*hw],
			W, OW, ba.mu[c], ba.scale[c], ba.shift[c], ba.a(c), ba.k[c], ba.kb[c], ba.kc[c])
	}
}

// growUint8 returns buf resliced to n, reallocating only when too small.
func growUint8(buf []uint8, n int) []uint8 {
	if cap(buf) < n {
		return make([]uint8, n)
	}
	return buf[:n]
}

// bnActPoolUnits are the parallel regions of a BNActPool, built once (buildUnits).
type bnActPoolUnits struct {
	bnActPoolForward  unitFunc
	bnActPoolSweep    unitFunc
	bnActPoolBackward unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (l *BNActPool) buildUnits() {
	l.units = bnActPoolUnits{bnActPoolForward: l.bnActPoolForward, bnActPoolSweep: l.bnActPoolSweep, bnActPoolBackward: l.bnActPoolBackward}
}
