package model

import (
	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// singlePlane reports a dense convolution of a single input channel (the
// first layer of a grey-image network) with several outputs. Each output
// channel is then one filter over the same input plane, which the
// depthwise kernels compute directly: as an im2col GEMM its inner
// dimension is only KH·KW, and packing costs more than the products
// (tiny's 1×64×64 first layer ran at 27 GFLOP/s that way, its other
// layers at 160–250; BenchmarkTinyConvLayers).
func (c *Conv2d) singlePlane() bool {
	return c.in.C == 1 && c.spec.Groups == 1 && c.spec.Out > 1
}

// planeGeom is the geometry of one output channel of a singlePlane
// convolution: a one-channel depthwise convolution.
func (c *Conv2d) planeGeom() kernels.ConvGeom {
	g := c.geom
	g.C = 1
	return g
}

// planeForward is the parallel region of a singlePlane Conv2d.Forward:
// unit i is sample i, its output channels one after the other, each
// followed by its bias and, for a linked batch norm (fwdStats), the
// plane's statistics while it is in cache.
func (c *Conv2d) planeForward(_, i int) {
	inSz, outSz, ohw := c.in.Size(), c.out.Size(), c.out.H*c.out.W
	k2 := c.spec.Kernel * c.spec.Kernel
	g := c.planeGeom()
	x := c.call.src[i*inSz : (i+1)*inSz]
	y := c.call.dst[i*outSz : (i+1)*outSz]
	for o := range c.spec.Out {
		yo := y[o*ohw : (o+1)*ohw]
		kernels.DepthwiseConv(yo, x, c.weight.W[o*k2:(o+1)*k2], g)
		if c.bias != nil {
			for j := range yo {
				yo[j] += c.bias.W[o]
			}
		}
		if c.fwdStats != nil && c.ex.Training {
			c.fwdStats.planes.put(i*c.spec.Out+o, yo)
		}
	}
	if c.post != nil {
		c.post.applyEval(y)
	}
}

// planeWeightGrad is the parallel region of a singlePlane Conv2d.Backward
// without an input gradient: unit o adds output channel o's filter (and
// bias) gradient, summing over the samples in order, so no reduction
// across workers is needed and the result does not depend on the thread
// count. When dOut is nil, it is the unwritten input gradient of the
// BNActPool of the convolution's planeStage: unit o first runs that
// layer's backward sums and map of channel o, then computes each sample's
// plane of dOut right before using it.
func (c *Conv2d) planeWeightGrad(w, o int) {
	dOut, n := c.call.src, c.call.n
	inSz, outSz, ohw := c.in.Size(), c.out.Size(), c.out.H*c.out.W
	k2 := c.spec.Kernel * c.spec.Kernel
	g := c.planeGeom()
	filt, dfilt := c.weight.W[o*k2:(o+1)*k2], c.weight.G[o*k2:(o+1)*k2]
	var post *BNActPool // the layer whose input gradient dOut is, computed here (bnact_map.go)
	if dOut == nil {
		post = c.planePool
		post.channelGrads(o, o+1)
	}
	var db float64
	for i := 0; i < n; i++ {
		var dy []float32
		if post != nil {
			dy = post.mapGradPlanes(c.ex.col(w, ohw), i, o, o+1)
		} else {
			dy = dOut[i*outSz+o*ohw : i*outSz+(o+1)*ohw]
		}
		kernels.DepthwiseConvBackward(nil, dfilt, dy, c.x[i*inSz:(i+1)*inSz], filt, g)
		if c.bias != nil {
			for _, v := range dy {
				db += float64(v)
			}
		}
	}
	if c.bias != nil {
		c.bias.G[o] += float32(db)
	}
}

// planeStage is a single-plane convolution and the BNActPool after it
// (tiny's first stage on grey input), run as one layer. Forward: the
// convolution hands the batch norm each output plane's statistics right
// after writing it (bnstats.go), then the BNActPool runs. Backward without
// an input gradient (the stage is the net's first layer): the BNActPool
// computes nothing; the convolution's weight-gradient unit for channel c
// runs the BNActPool's sums and map of channel c, then each sample's
// input-gradient plane right before using it, so channel c's planes are
// read twice in a row, in cache the second time, rather than in two
// passes over the tensor. With an input gradient the two layers run one
// after the other.
//
//	in: n × 1 × H × W;  out: the BNActPool's, n × C × ⌊OH/2⌋ × ⌊OW/2⌋
type planeStage struct {
	conv *Conv2d
	pool *BNActPool
	// mid: the convolution's output; dMid: its gradient (only when the
	// stage computes an input gradient)
	mid, dMid []float32
}

// newPlaneStage links conv, a single-plane convolution, to pool over its
// output.
func newPlaneStage(conv *Conv2d, pool *BNActPool) *planeStage {
	conv.fwdStats, conv.planePool = pool.ba.bn, pool
	return &planeStage{conv: conv, pool: pool}
}

// Name is the convolution's name.
func (s *planeStage) Name() string { return s.conv.Name() }

// InShape is the convolution's input shape.
func (s *planeStage) InShape() Shape { return s.conv.InShape() }

// OutShape is the pooled shape.
func (s *planeStage) OutShape() Shape { return s.pool.OutShape() }

// Params are the convolution's tensors, then the BNActPool's.
func (s *planeStage) Params() []*params.Param {
	return append(append([]*params.Param(nil), s.conv.Params()...), s.pool.Params()...)
}

// MACs are the convolution's.
func (s *planeStage) MACs() int64 { return s.conv.MACs() }

// Children are the convolution and the BNActPool.
func (s *planeStage) Children() []Layer { return []Layer{s.conv, s.pool} }

// Forward computes out = pool(act(BN(conv(in)))).
func (s *planeStage) Forward(out, in []float32, n int) {
	s.mid = grow(s.mid, n*s.conv.out.Size())
	s.conv.Forward(s.mid, in, n)
	s.pool.Forward(out, s.mid, n)
}

// Backward adds the gradients of both layers and writes dIn unless nil.
func (s *planeStage) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		s.pool.beginBackward(dOut, n)
		s.conv.Backward(nil, nil, n)
		return
	}
	s.dMid = grow(s.dMid, n*s.conv.out.Size())
	s.pool.Backward(s.dMid, dOut, n)
	s.conv.Backward(dIn, s.dMid, n)
}
