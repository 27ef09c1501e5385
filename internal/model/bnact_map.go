package model

import "github.com/cocotrain/cocotrain/internal/kernels"

// A BNAct feeding a depthwise or 1×1 convolution never writes its output in
// training.
//
// MobileFaceNet's blocks are 1×1 conv → BN → PReLU → depthwise 3×3 → BN →
// PReLU → 1×1 conv → BN, and the BNActs' output sweeps (read the
// convolution's output, write the activation, which the next convolution
// then reads back) were the largest single cost of a training step. When a
// BNAct's output is the input of a depthwise or 1×1 stride-1 convolution
// and of nothing else (the two are adjacent in a Sequential, possibly at
// the ends of nested Sequentials), the training Forward of the BNAct only
// computes its channel maps (its statistics come from the convolution
// before it, bnstats.go), and the convolution applies the map to the
// input planes it is about to use, into a per-worker scratch (in cache): a
// depthwise convolution dwBlock planes of a sample at a time, a 1×1
// convolution a whole sample, in its forward pass and again for its weight
// gradient. The planes are the same kernel calls on the same data as the
// BNAct's sweep, so the results are bit-identical. The BNAct's Backward
// never read its output. compile links the pair once (plan.go); an
// eval-mode Forward runs the two layers as written (Conv2d.mappedIn).
//
// Likewise, a BNAct after a depthwise convolution leaves its input
// gradient to the convolution's backward, which computes it per block of
// planes right before using it (Conv2d.postGrad). A BNActPool after a
// single-plane convolution leaves it its whole backward: the
// convolution's weight-gradient unit for output channel c runs the
// BNActPool's sums and map of channel c, then its input-gradient sweep
// sample by sample, so channel c's planes are read twice in a row (in
// cache the second time) rather than in two passes over the tensor
// (planeStage, conv_plane.go).

// mapPlanes writes act(BN(x)) of input planes [lo, hi) of sample i of the
// last training Forward into buf and returns them ((hi−lo)×H×W).
func (l *BNAct) mapPlanes(buf []float32, i, lo, hi int) []float32 {
	C, hw := l.bn.in.C, l.bn.in.H*l.bn.in.W
	buf = buf[:(hi-lo)*hw]
	for c := lo; c < hi; c++ {
		j := i*C + c
		kernels.PlaneNormAct(buf[(c-lo)*hw:(c-lo+1)*hw], l.bn.x[j*hw:(j+1)*hw], l.mu[c], l.scale[c], l.shift[c], l.a(c))
	}
	return buf
}

// mappedIn is the BNAct whose unwritten output is the input of the last
// Forward (the linked pre, when that Forward was a training one), or nil.
func (c *Conv2d) mappedIn() *BNAct {
	if c.pre != nil && c.pre.bn.trained {
		return c.pre
	}
	return nil
}

// sampleInput returns sample i of the forward input x (n×Cin×H×W) of a
// dense or grouped convolution on worker w, or, when that input is c.pre's
// unwritten output (a 1×1 convolution), the sample mapped into the start of
// worker w's scratch, which the 1×1 paths leave unused.
func (c *Conv2d) sampleInput(w int, x []float32, i int) []float32 {
	inSz := c.in.Size()
	pre := c.mappedIn()
	if pre == nil {
		return x[i*inSz : (i+1)*inSz]
	}
	return pre.mapPlanes(c.ex.col(w, inSz), i, 0, c.in.C)
}

// mappedForward computes sample i's output y of a depthwise convolution
// whose input is c.pre's unwritten output, dwBlock channels at a time
// through worker w's scratch.
func (c *Conv2d) mappedForward(w, i int, y []float32) {
	C, hw, ohw := c.in.C, c.in.H*c.in.W, c.out.H*c.out.W
	k2 := c.spec.Kernel * c.spec.Kernel
	buf := c.ex.col(w, dwBlock*hw)
	for lo := 0; lo < C; lo += dwBlock {
		hi := min(lo+dwBlock, C)
		g := c.geom
		g.C = hi - lo
		kernels.DepthwiseConv(y[lo*ohw:hi*ohw], c.pre.mapPlanes(buf, i, lo, hi), c.weight.W[lo*k2:hi*k2], g)
	}
}

// mapGradPlanes writes the input gradient of planes [lo, hi) of sample i of
// the running Backward into buf and returns them ((hi−lo)×H×W), with the
// maps Backward kept (gradMapped).
func (l *BNAct) mapGradPlanes(buf []float32, i, lo, hi int) []float32 {
	C, hw := l.bn.in.C, l.bn.in.H*l.bn.in.W
	buf = buf[:(hi-lo)*hw]
	dOut := l.call.src
	for c := lo; c < hi; c++ {
		j := i*C + c
		kernels.PlaneNormActBackward(buf[(c-lo)*hw:(c-lo+1)*hw], dOut[j*hw:(j+1)*hw], l.bn.x[j*hw:(j+1)*hw],
			l.mu[c], l.scale[c], l.shift[c], l.a(c), l.k[c], l.kb[c], l.kc[c])
	}
	return buf
}

// mappedBackward returns the input planes x and output-gradient planes dy
// of channels [lo, hi) of sample i for a depthwise convolution's backward,
// mapped through worker w's scratch where a BNAct is linked: c.pre's
// output in place of x, c.postGrad's input gradient in place of dy.
func (c *Conv2d) mappedBackward(w, i, lo, hi int, x, dy []float32) ([]float32, []float32) {
	buf := c.ex.col(w, len(x)+len(dy))
	if pre := c.mappedIn(); pre != nil {
		x = pre.mapPlanes(buf[:len(x)], i, lo, hi)
	}
	if c.postGrad != nil {
		dy = c.postGrad.mapGradPlanes(buf[len(x):], i, lo, hi)
	}
	return x, dy
}
