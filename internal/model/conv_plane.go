package model

import "github.com/cocotrain/cocotrain/internal/kernels"

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
type planeForward Conv2d

func (c *planeForward) unit(_, i int) {
	inSz, outSz, ohw := c.in.Size(), c.out.Size(), c.out.H*c.out.W
	k2 := c.spec.Kernel * c.spec.Kernel
	g := (*Conv2d)(c).planeGeom()
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
		if c.fwdStats != nil {
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
// count. When dOut is a BNActPool's unwritten input gradient (postGrad),
// unit o first runs that layer's backward sums and map of channel o, then
// computes each sample's plane of dOut right before using it.
type planeWeightGrad Conv2d

func (c *planeWeightGrad) unit(w, o int) {
	dOut, n := c.call.src, c.call.n
	inSz, outSz, ohw := c.in.Size(), c.out.Size(), c.out.H*c.out.W
	k2 := c.spec.Kernel * c.spec.Kernel
	g := (*Conv2d)(c).planeGeom()
	filt, dfilt := c.weight.W[o*k2:(o+1)*k2], c.weight.G[o*k2:(o+1)*k2]
	var post *BNActPool // the layer whose input gradient dOut is, computed here (bnact_map.go)
	if c.postGrad != nil {
		post = c.postGrad.(*BNActPool)
		post.channelGrads(o, o+1)
	}
	var db float64
	for i := 0; i < n; i++ {
		dy := dOut[i*outSz+o*ohw : i*outSz+(o+1)*ohw]
		if post != nil {
			dy = post.mapGradPlanes(c.ex.col(w, ohw), i, o, o+1)
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
