package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// ConvSpec configures a Conv2d: Out output channels, a square Kernel×Kernel
// window, Stride, zero padding Pad on each side, Groups channel groups (1 =
// dense, Groups = input channels = Out: depthwise) and an optional bias.
type ConvSpec struct {
	Out, Kernel, Stride, Pad, Groups int
	Bias                             bool
	// Winograd is Config.Winograd for this convolution ("" means "auto").
	Winograd string
}

// Conv2d is a 2-D convolution, as torch.nn.Conv2d.
//
//	in:  n × Cin × H × W
//	out: n × Cout × OH × OW,  OH = (H + 2·Pad − Kernel)/Stride + 1
//	weight: Cout × Cin/Groups × Kernel × Kernel, bias: Cout
//
// Dense and grouped convolutions unfold each sample with im2col and multiply
// per group (a 1×1 stride-1 unpadded convolution multiplies the input
// directly); depthwise convolutions (one input and one output channel per
// group) and dense ones of a single input channel run the depthwise
// kernels directly (the input gradient of the latter goes through the GEMM
// path); dense 3×3 stride-1 pad-1 ones of several input channels run
// Winograd F(m×m, 3×3), m = 2 or 4 (conv_winograd.go).
type Conv2d struct {
	base
	spec   ConvSpec
	geom   kernels.ConvGeom
	weight *params.Param
	bias   *params.Param     // nil without bias
	gg     kernels.ConvGeom  // the geometry of one group (C = Cin/Groups)
	packW  []kernels.PackedA // per group: W_g packed for the forward
	packWT []kernels.PackedA // per group: W_gᵀ packed for the input gradient, during Backward (Exec.transposedPacks)
	// packedGen is the Exec.weightsGen packW was packed in (see Exec.weightsChanged)
	packedGen uint64
	// winoU holds the Winograd-transformed filters (T × Out × Cin, T = (m+2)², see
	// conv_winograd.go), of which packW and packWT then hold the 16 packings.
	winoU []float32
	// winoDU is the gradient of winoU summed over the sample groups, in
	// Exec.groupScratch during Backward
	winoDU []float32
	// winoV holds the transformed input (the blocks' T × Cin × P one after
	// the other), kept by a training forward for Backward when winoVKept
	// says so, else transformed by Backward segment by segment into
	// Exec.groupScratch; winoDM the output gradient's (T × Out × P per
	// block of the running segment, in Exec.groupScratch), winoCuts the
	// tile rows where the blocks start, then the batch's tile row count,
	// and winoSeg the sample groups [first, last+1) of the running
	// backward segment (conv_winograd.go)
	winoV, winoDM []float32
	winoVKept     bool
	winoCuts      []int
	winoSeg       [2]int
	// sharedPack: packW is the one of the Conv2d this Infer replica copies,
	// packed there by Net.Infer before the replicas run; only read here.
	sharedPack bool
	// cache
	x []float32 // the input of the last Forward
	// the running forward's epilogue and Backward's per-group gradient
	// partials (Exec.groupScratch), for their parallel regions
	post  evalEpilogue
	parts []float32
	// links to the neighbours, set once by compile (plan.go): in
	// training, the batch norm after this convolution takes each sample's
	// output statistics (fwdStats), the BNAct before it the backward sums
	// of each sample's input gradient (bwdStats), while they are in cache
	// (bnstats.go)
	fwdStats *BatchNorm
	bwdStats *BNAct
	// pre: a depthwise or 1×1 convolution's input is this BNAct's output,
	// which it never wrote in training; the convolution maps the BNAct's
	// input (mappedIn, bnact_map.go)
	pre *BNAct
	// postGrad: this depthwise convolution's output gradient is the input
	// gradient of the BNAct after it, which the convolution computes
	// itself (bnact_map.go)
	postGrad *BNAct
	// planePool: this single-plane convolution and the BNActPool after it
	// are one planeStage, whose weight-gradient-only backward runs the
	// BNActPool's backward inside the convolution's units (conv_plane.go)
	planePool *BNActPool
	units     conv2dUnits // parallel regions, built once
}

// NewConv2d declares "<name>.weight" (and "<name>.bias") in a and returns the
// layer for per-sample input shape in.
func NewConv2d(ex *Exec, a *params.Arena, name string, in Shape, s ConvSpec) (*Conv2d, error) {
	if s.Groups == 0 {
		s.Groups = 1
	}
	if s.Stride == 0 {
		s.Stride = 1
	}
	if s.Out <= 0 || s.Kernel <= 0 || s.Stride <= 0 || s.Pad < 0 || s.Groups <= 0 {
		return nil, fmt.Errorf("model: %s: bad convolution %+v", name, s)
	}
	if in.C%s.Groups != 0 || s.Out%s.Groups != 0 {
		return nil, fmt.Errorf("model: %s: %d input and %d output channels not divisible by %d groups", name, in.C, s.Out, s.Groups)
	}
	g := kernels.ConvGeom{C: in.C, H: in.H, W: in.W, KH: s.Kernel, KW: s.Kernel, SH: s.Stride, SW: s.Stride, PH: s.Pad, PW: s.Pad}
	out := Shape{s.Out, g.OutH(), g.OutW()}
	if in.H+2*s.Pad < s.Kernel || in.W+2*s.Pad < s.Kernel {
		return nil, fmt.Errorf("model: %s: %d×%d kernel larger than padded %v input", name, s.Kernel, s.Kernel, in)
	}
	gg := g
	gg.C = in.C / s.Groups
	c := &Conv2d{base: base{name: name, in: in, out: out, ex: ex}, spec: s, geom: g, gg: gg}
	packs := s.Groups
	if c.winograd() {
		packs = c.winoGeom().Positions()
	}
	c.packW = make([]kernels.PackedA, packs)
	c.weight = c.declare(a, "weight", params.Weight, s.Out, in.C/s.Groups, s.Kernel, s.Kernel)
	if s.Bias {
		c.bias = c.declare(a, "bias", params.Bias, s.Out)
	}
	c.buildUnits()
	return c, nil
}

// Spec is the convolution's configuration (Groups and Stride at least 1).
func (c *Conv2d) Spec() ConvSpec { return c.spec }

// MACs is Cout·OH·OW·(Cin/Groups)·Kernel² per sample.
func (c *Conv2d) MACs() int64 {
	return int64(c.out.Size()) * int64(c.in.C/c.spec.Groups*c.spec.Kernel*c.spec.Kernel)
}

// depthwise reports one input and one output channel per group.
func (c *Conv2d) depthwise() bool { return c.spec.Groups == c.in.C && c.spec.Groups == c.spec.Out }

// minGemmK is the number of output positions below which a convolution
// gathers several samples side by side into one GEMM (small feature maps):
// the columns of the forward product and the inner dimension of the
// weight-gradient product.
const minGemmK = 256

// dwChunk is the number of samples per GEMM on small feature maps: enough
// for minGemmK columns. It depends on the shapes only, so the
// summation order does not depend on the thread count.
func (c *Conv2d) dwChunk() int {
	ohw := c.out.H * c.out.W
	return max(1, (minGemmK+ohw-1)/ohw)
}

// winograd reports a dense 3×3, stride-1, pad-1 convolution of more than
// one input channel, which runs Winograd F(m×m, 3×3) (conv_winograd.go).
func (c *Conv2d) winograd() bool {
	s := c.spec
	return s.Kernel == 3 && s.Stride == 1 && s.Pad == 1 && s.Groups == 1 && c.in.C > 1 && s.Winograd != "off"
}

// pointwise reports a 1×1 stride-1 unpadded convolution (a plain GEMM).
func (c *Conv2d) pointwise() bool { return c.spec.Kernel == 1 && c.spec.Stride == 1 && c.spec.Pad == 0 }

// Forward computes out = conv(in) (+ bias). Dense and grouped convolutions
// pack each group's weights once and multiply them with every sample's
// implicit im2col matrix (kernels.SgemmConvSerial; a plain GEMM for 1×1
// stride-1 convolutions).
func (c *Conv2d) Forward(out, in []float32, n int) { c.forward(out, in, n, nil) }

// forward is Forward that, when post is not nil, applies post to each
// sample's output in place right after computing it (Infer's fusion).
func (c *Conv2d) forward(out, in []float32, n int, post evalEpilogue) {
	c.x = in
	if !c.sharedPack {
		c.packForward()
	}
	c.call, c.post = call{out, in, n}, post
	if c.fwdStats != nil && c.ex.Training {
		c.fwdStats.planes.size(n * c.out.C)
	}
	if c.depthwise() {
		c.ex.run(n, c.units.depthwiseForward)
	} else if c.winograd() {
		c.winogradForward(n)
	} else if c.singlePlane() {
		c.ex.run(n, c.units.planeForward)
	} else if c.out.H*c.out.W < minGemmK && n > 1 {
		S := min(c.dwChunk(), n)
		c.ex.run((n+S-1)/S, c.units.convForwardChunked)
	} else {
		c.ex.run(n, c.units.convForward)
	}
	c.post = nil
}

// depthwiseForward is the parallel region of a depthwise Conv2d.Forward:
// unit i is sample i.
func (c *Conv2d) depthwiseForward(w, i int) {
	inSz, outSz := c.in.Size(), c.out.Size()
	y := c.call.dst[i*outSz : (i+1)*outSz]
	if c.mappedIn() != nil {
		c.mappedForward(w, i, y)
	} else {
		kernels.DepthwiseConv(y, c.call.src[i*inSz:(i+1)*inSz], c.weight.W, c.geom)
	}
	c.addBias(y)
	c.epilogue(i, y)
}

// convForward is the parallel region of a dense or grouped Conv2d.Forward
// on large feature maps: unit i is sample i.
func (c *Conv2d) convForward(w, i int) {
	outSz := c.out.Size()
	ohw := c.out.H * c.out.W
	G := c.spec.Groups
	cog := c.spec.Out / G
	x := c.sampleInput(w, c.call.src, i)
	y := c.call.dst[i*outSz : (i+1)*outSz]
	ghw := c.gg.C * c.in.H * c.in.W
	for g := 0; g < G; g++ {
		if c.pointwise() {
			kernels.SgemmPackedSerial(&c.packW[g], false, ohw, 1, x[g*ghw:], ohw, 0, y[g*cog*ohw:], ohw)
		} else {
			kernels.SgemmConvSerial(&c.packW[g], x[g*ghw:(g+1)*ghw], c.gg, 1, 0, y[g*cog*ohw:], ohw)
		}
	}
	c.addBias(y)
	c.epilogue(i, y)
}

// epilogue runs what follows sample i's output y in the forward pass while
// it is in cache: Infer's in-place batch norm, or a training batch norm's
// statistics.
func (c *Conv2d) epilogue(i int, y []float32) {
	if c.post != nil {
		c.post.applyEval(y)
	}
	if c.fwdStats != nil && c.ex.Training {
		c.fwdStats.sampleStats(i, y)
	}
}

// packForward packs each group's weights for the forward product, unless
// they were packed already in this pass (Exec.weightsChanged).
func (c *Conv2d) packForward() {
	gen := c.ex.weightsGen
	if c.depthwise() || c.singlePlane() || (gen != 0 && gen == c.packedGen) {
		return
	}
	c.packedGen = gen
	if c.winograd() {
		c.packWinograd()
		return
	}
	G := c.spec.Groups
	cog, kg := c.spec.Out/G, c.gg.ColRows()
	for g := 0; g < G; g++ {
		c.packW[g].Pack(false, cog, kg, c.weight.W[g*cog*kg:], kg)
	}
}

// convForwardChunked is the parallel region of a dense or grouped
// Conv2d.Forward on small feature maps: each unit lays the im2col matrices
// of dwChunk samples side by side, so that one GEMM with an inner
// dimension of at least minGemmK columns serves them all, and then
// scatters the result to the samples. The chunks depend on n and the
// shapes only.
func (c *Conv2d) convForwardChunked(w, u int) {
	in, out, n := c.call.src, c.call.dst, c.call.n
	outSz := c.out.Size()
	ohw := c.out.H * c.out.W
	G := c.spec.Groups
	cog, kg := c.spec.Out/G, c.gg.ColRows()
	rows, cout := c.geom.ColRows(), c.spec.Out
	S := min(c.dwChunk(), n)
	s0, s1 := u*S, min((u+1)*S, n)
	L := (s1 - s0) * ohw
	buf := c.ex.col(w, rows*ohw+(rows+cout)*S*ohw)
	col := buf[:rows*ohw]
	colS := buf[rows*ohw : rows*ohw+rows*L]
	yS := buf[rows*ohw+rows*S*ohw : rows*ohw+rows*S*ohw+cout*L]
	for i := s0; i < s1; i++ {
		cl := c.sampleInput(w, in, i)
		if !c.pointwise() {
			kernels.Im2col(col, cl, c.geom)
			cl = col
		}
		j := (i - s0) * ohw
		for r := 0; r < rows; r++ {
			copy(colS[r*L+j:r*L+j+ohw], cl[r*ohw:(r+1)*ohw])
		}
	}
	for g := 0; g < G; g++ {
		kernels.SgemmPackedSerial(&c.packW[g], false, L, 1, colS[g*kg*L:], L, 0, yS[g*cog*L:], L)
	}
	for i := s0; i < s1; i++ {
		y := out[i*outSz : (i+1)*outSz]
		j := (i - s0) * ohw
		for o := 0; o < cout; o++ {
			copy(y[o*ohw:(o+1)*ohw], yS[o*L+j:o*L+j+ohw])
		}
		c.addBias(y)
		c.epilogue(i, y)
	}
}

// addBias adds the bias (if any) to every position of one sample's output.
func (c *Conv2d) addBias(y []float32) {
	if c.bias == nil {
		return
	}
	ohw := c.out.H * c.out.W
	for o, b := range c.bias.W {
		row := y[o*ohw : (o+1)*ohw]
		for j := range row {
			row[j] += b
		}
	}
}

// Backward computes dIn = convᵀ(dOut) and adds ∂L/∂weight, ∂L/∂bias.
func (c *Conv2d) Backward(dIn, dOut []float32, n int) {
	c.call = call{dIn, dOut, n}
	c.packWT = c.ex.transposedPacks(len(c.packW))
	defer func() { c.packWT = nil }()
	if c.bwdStats != nil {
		c.bwdStats.grads.size(n * c.in.C)
	}
	if c.depthwise() {
		c.ex.run((c.in.C+dwBlock-1)/dwBlock, c.units.depthwiseBackward)
		return
	}
	if c.singlePlane() && dIn == nil {
		c.ex.run(c.spec.Out, c.units.planeWeightGrad)
		return
	}
	if c.winograd() {
		c.winogradBackward(dIn, n)
		return
	}
	G := c.spec.Groups
	cog, kg := c.spec.Out/G, c.gg.ColRows()
	nw, stride := c.gradStride()
	if dIn != nil {
		for g := 0; g < G; g++ {
			c.packWT[g].Pack(true, kg, cog, c.weight.W[g*cog*kg:], kg)
		}
	}
	groups := gradGroups(n)
	c.parts = c.ex.groupScratch(groups, stride)
	c.ex.run(groups, c.units.convParamGrad)
	if dIn != nil {
		c.ex.run(n, c.units.convInputGrad)
	}
	c.ex.reduceGroups(c.weight.G, c.parts, groups, stride, 0)
	if c.bias != nil {
		c.ex.reduceGroups(c.bias.G, c.parts, groups, stride, nw)
	}
}

// groupFloats is the length of Exec.groupScratch that Backward over n
// samples takes after a training Forward over n (Net.Backward reserves the
// most of any convolution).
func (c *Conv2d) groupFloats(n int) int {
	if c.depthwise() {
		return 0
	}
	if c.winograd() {
		parts, dm, v := c.winoScratch(n)
		g := c.winoGeom()
		return parts + dm + v + g.Positions()*g.K*g.C
	}
	_, stride := c.gradStride()
	return gradGroups(n) * stride
}

// gradStride returns the number of weights and the length of one sample
// group's parameter-gradient partial (the weights, then the bias).
func (c *Conv2d) gradStride() (nw, stride int) {
	nw = len(c.weight.W)
	if c.bias != nil {
		return nw, nw + c.spec.Out
	}
	return nw, nw
}

// convParamGrad is the parameter-gradient region of a dense or grouped
// Conv2d.Backward: unit gi is sample group gi (groupRange), which sums its
// samples' weight and bias gradients into its own partial.
func (c *Conv2d) convParamGrad(w, gi int) {
	dOut, n := c.call.src, c.call.n
	outSz := c.out.Size()
	ohw := c.out.H * c.out.W
	G := c.spec.Groups
	cog, kg := c.spec.Out/G, c.gg.ColRows()
	nw, stride := c.gradStride()
	groups := gradGroups(n)
	rows, cout := c.geom.ColRows(), c.spec.Out
	part := c.parts[gi*stride : (gi+1)*stride]
	clear(part[nw:]) // the bias part; the first chunk's GEMM overwrites the weight part
	lo, hi := groupRange(gi, groups, n)
	S := min(c.dwChunk(), hi-lo)
	buf := c.ex.col(w, rows*ohw+(rows+cout)*S*ohw)
	col := buf[:rows*ohw]
	colS := buf[rows*ohw : rows*ohw+rows*S*ohw]
	dyS := buf[rows*ohw+rows*S*ohw:]
	for s0 := lo; s0 < hi; s0 += S {
		s1 := min(s0+S, hi)
		L := (s1 - s0) * ohw
		var cl []float32
		for i := s0; i < s1; i++ {
			x := c.sampleInput(w, c.x, i)
			dy := dOut[i*outSz : (i+1)*outSz]
			cl = x
			if !c.pointwise() {
				kernels.Im2col(col, x, c.geom)
				cl = col
			}
			if s1-s0 > 1 { // lay the chunk's matrices side by side
				j := (i - s0) * ohw
				for r := 0; r < rows; r++ {
					copy(colS[r*L+j:r*L+j+ohw], cl[r*ohw:(r+1)*ohw])
				}
				for o := 0; o < cout; o++ {
					copy(dyS[o*L+j:o*L+j+ohw], dy[o*ohw:(o+1)*ohw])
				}
			}
			if c.bias != nil {
				db := part[nw:]
				for o := range db {
					var s float64
					for _, v := range dy[o*ohw : (o+1)*ohw] {
						s += float64(v)
					}
					db[o] += float32(s)
				}
			}
		}
		a, b := dOut[s0*outSz:s1*outSz], cl
		if s1-s0 > 1 {
			a, b = dyS[:cout*L], colS[:rows*L]
		}
		beta := float32(1)
		if s0 == lo {
			beta = 0
		}
		for g := 0; g < G; g++ {
			// dW_g (cog×kg) += dY_g (cog×L) · col_gᵀ (L×kg) over the chunk
			sgemm(false, true, cog, kg, L, 1, a[g*cog*L:], L, b[g*kg*L:], L, beta, part[g*cog*kg:], kg)
		}
	}
}

// convInputGrad is the input-gradient region of a dense or grouped
// Conv2d.Backward: unit i is sample i, dx_i = col2im(Wᵀ·dy_i). It is a
// region of its own, not part of convParamGrad's sample groups, so that
// it spreads over as many workers as there are samples.
func (c *Conv2d) convInputGrad(w, i int) {
	inSz, outSz := c.in.Size(), c.out.Size()
	ohw := c.out.H * c.out.W
	G := c.spec.Groups
	cog, kg := c.spec.Out/G, c.gg.ColRows()
	dx := c.call.dst[i*inSz : (i+1)*inSz]
	dy := c.call.src[i*outSz : (i+1)*outSz]
	pointwise := c.pointwise()
	target := dx
	if !pointwise {
		target = c.ex.col(w, c.geom.ColRows()*ohw)
	}
	for g := 0; g < G; g++ {
		// dcol_g (kg×ohw) = W_gᵀ (kg×cog) · dY_g (cog×ohw)
		kernels.SgemmPackedSerial(&c.packWT[g], false, ohw, 1, dy[g*cog*ohw:], ohw, 0, target[g*kg*ohw:], ohw)
	}
	if !pointwise {
		clear(dx)
		kernels.Col2im(dx, target, c.geom)
	}
	if c.bwdStats != nil {
		c.bwdStats.sampleGradStats(i, 0, dx)
	}
}

// dwBlock is the number of channels of one depthwise backward work unit.
const dwBlock = 16

// depthwiseBackward is the parallel region of a depthwise Conv2d.Backward:
// unit b is the block of dwBlock channels from b·dwBlock. A block takes the
// samples in order, one kernel call on its adjacent planes per sample, so
// each channel sums its filter gradient over the samples in order (no
// reduction across workers, the same sums for any thread count).
func (c *Conv2d) depthwiseBackward(w, b int) {
	dIn, dOut, n := c.call.dst, c.call.src, c.call.n
	C, hw, ohw := c.in.C, c.in.H*c.in.W, c.out.H*c.out.W
	k2 := c.spec.Kernel * c.spec.Kernel
	lo, hi := b*dwBlock, min((b+1)*dwBlock, C)
	g := c.geom
	g.C = hi - lo
	filt, dfilt := c.weight.W[lo*k2:hi*k2], c.weight.G[lo*k2:hi*k2]
	var db [dwBlock]float64
	for i := 0; i < n; i++ {
		dy := dOut[(i*C+lo)*ohw : (i*C+hi)*ohw]
		var dx []float32
		if dIn != nil {
			dx = dIn[(i*C+lo)*hw : (i*C+hi)*hw]
		}
		x := c.x[(i*C+lo)*hw : (i*C+hi)*hw]
		if c.mappedIn() != nil || c.postGrad != nil {
			x, dy = c.mappedBackward(w, i, lo, hi, x, dy)
		}
		kernels.DepthwiseConvBackwardOverwrite(dx, dfilt, dy, x, filt, g)
		if c.bwdStats != nil && dx != nil {
			c.bwdStats.sampleGradStats(i, lo, dx)
		}
		if c.bias != nil {
			for ch := range hi - lo {
				for _, v := range dy[ch*ohw : (ch+1)*ohw] {
					db[ch] += float64(v)
				}
			}
		}
	}
	if c.bias != nil {
		for ch := range hi - lo {
			c.bias.G[lo+ch] += float32(db[ch])
		}
	}
}

// conv2dUnits are the parallel regions of a Conv2d, built once (buildUnits).
type conv2dUnits struct {
	planeForward       unitFunc
	planeWeightGrad    unitFunc
	winoFilter         unitFunc
	winoFilterGrad     unitFunc
	winoForward        unitFunc
	winoEpilogue       unitFunc
	winoBackward       unitFunc
	winoWeightGrad     unitFunc
	depthwiseForward   unitFunc
	convForward        unitFunc
	convForwardChunked unitFunc
	convParamGrad      unitFunc
	convInputGrad      unitFunc
	depthwiseBackward  unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (c *Conv2d) buildUnits() {
	c.units = conv2dUnits{planeForward: c.planeForward, planeWeightGrad: c.planeWeightGrad, winoFilter: c.winoFilter, winoFilterGrad: c.winoFilterGrad, winoForward: c.winoForward, winoEpilogue: c.winoEpilogue, winoBackward: c.winoBackward, winoWeightGrad: c.winoWeightGrad, depthwiseForward: c.depthwiseForward, convForward: c.convForward, convForwardChunked: c.convForwardChunked, convParamGrad: c.convParamGrad, convInputGrad: c.convInputGrad, depthwiseBackward: c.depthwiseBackward}
}
