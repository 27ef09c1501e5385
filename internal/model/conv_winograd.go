package model

import "github.com/cocotrain/cocotrain/internal/kernels"

// Dense 3×3, stride-1, pad-1 convolutions of more than one input channel
// run Winograd F(m×m, 3×3), m = winoTile() (kernels.WinogradInput and
// friends): per block of tile rows, the input tiles are transformed (V,
// T × C × P, T = (m+2)²), multiplied by the transformed filters (M[ξ] =
// U[ξ]·V[ξ], T GEMMs) and transformed back. The backward pass is the exact
// backprop of that: dM from dY, dV[ξ] = U[ξ]ᵀ·dM[ξ] scattered back to dX,
// dU[ξ] += dM[ξ]·V[ξ]ᵀ and dW from dU, with the V a training forward kept.
// For these convolutions packW and packWT hold the T U[ξ] and U[ξ]ᵀ.

// winoBlockFloats bounds a block's transformed input and products,
// T·(C+K)·P floats, so that they stay in a core's L2 cache.
const winoBlockFloats = 1 << 18

// winoF4MinSide is the smallest map side on which F(4×4) runs. F(4×4)
// needs 2.25 multiplications per output instead of 4, but its costs per
// step that do not shrink with the map (transforming and packing 36
// filter matrices instead of 16, and the sample groups' dU partials,
// 36·K·C floats each) grow 2.25×, and its blocks have 4× fewer tiles for
// the GEMMs' columns. Measured (BenchmarkWinogradConvCPU and TrainStep/tiny,
// docs/kernels.md), it wins on tiny's 32×32 and 16×16 maps and iresnet18's
// 28×28 one and loses on tiny's 8×8 one and iresnet18's 14×14 and 7×7
// ones.
const winoF4MinSide = 16

// winoTile is the output tile size m of the convolution: 4 on maps of at
// least winoF4MinSide, else 2.
func (c *Conv2d) winoTile() int {
	if c.in.H >= winoF4MinSide && c.in.W >= winoF4MinSide {
		return 4
	}
	return 2
}

// winoGeom is the convolution's Winograd geometry.
func (c *Conv2d) winoGeom() kernels.WinogradGeom {
	return kernels.WinogradGeom{C: c.in.C, K: c.spec.Out, H: c.in.H, W: c.in.W, M: c.winoTile()}
}

// winoRows is the number of tile rows of a block: as many as fit
// winoBlockFloats, rounded down to whole micro-kernel column panels (32)
// when the rows are short. It depends on the shapes only.
func (c *Conv2d) winoRows() int {
	g := c.winoGeom()
	tw := g.TileCols()
	rows := max(1, winoBlockFloats/(g.Positions()*(g.C+g.K))/tw)
	if q := 32 / tw; tw < 32 && 32%tw == 0 && rows > q {
		rows = rows / q * q
	}
	return rows
}

// packWinograd transforms the filters into winoU (in a parallel region of
// its own unless called from one) and packs each U[ξ] for the forward
// product.
func (c *Conv2d) packWinograd() {
	g := c.winoGeom()
	kc := g.K * g.C
	c.winoU = grow(c.winoU, g.Positions()*kc)
	if units := winoFilterUnits(g.K); !c.ex.inRegion() {
		c.ex.run(units, (*winoFilter)(c))
	} else { // inside Net.Infer's packing region: on this worker
		for u := range units {
			(*winoFilter)(c).unit(0, u)
		}
	}
	for xi := range g.Positions() {
		c.packW[xi].Pack(false, g.K, g.C, c.winoU[xi*kc:], g.C)
	}
}

// winoFilterBlock is the number of output channels of one work unit of the
// filter transforms.
const winoFilterBlock = 8

// winoFilterUnits is the number of work units of the filter transforms of
// K output channels.
func winoFilterUnits(K int) int { return (K + winoFilterBlock - 1) / winoFilterBlock }

// winoFilter is the parallel region of packWinograd's filter transform:
// unit u transforms the filters of output channels [8u, 8u+8).
type winoFilter Conv2d

func (c *winoFilter) unit(_, u int) {
	g := (*Conv2d)(c).winoGeom()
	kernels.WinogradFilter(c.winoU, c.weight.W, g, u*winoFilterBlock, min((u+1)*winoFilterBlock, g.K))
}

// winoFilterGrad is the parallel region that adds the filter gradient from
// the reduced transformed one (winoDU): unit u does output channels
// [8u, 8u+8).
type winoFilterGrad Conv2d

func (c *winoFilterGrad) unit(_, u int) {
	g := (*Conv2d)(c).winoGeom()
	kernels.WinogradFilterGrad(c.weight.G, c.winoDU, g, u*winoFilterBlock, min((u+1)*winoFilterBlock, g.K))
}

// winoKeepMaxFloats bounds the transformed input a training forward keeps
// for the backward (winoV), T·C·tiles floats: 64 MB per layer.
const winoKeepMaxFloats = 1 << 24

// winogradForward is forward on the Winograd path: one unit per block of
// winoRows tile rows of the batch, then the bias and post per sample. In
// training it keeps the blocks' transformed input in winoV (when it fits
// winoKeepMaxFloats), which the backward then reads instead of
// transforming the input again.
func (c *Conv2d) winogradForward(n int) {
	g := c.winoGeom()
	rows := n * g.TileRows()
	keep := g.Positions() * g.C * rows * g.TileCols()
	c.winoVKept = c.ex.Training && !c.ex.inferOnly && keep <= winoKeepMaxFloats
	if c.winoVKept {
		c.winoV = grow(c.winoV, keep)
	}
	R := c.winoRows()
	c.ex.run((rows+R-1)/R, (*winoForward)(c))
	if c.bias != nil || c.post != nil {
		c.ex.run(n, (*winoEpilogue)(c))
	}
}

// winoForward is the parallel region of a Winograd forward: unit u is the
// block of tile rows [u·R, (u+1)·R) of the batch (R = winoRows).
type winoForward Conv2d

func (c *winoForward) unit(w, u int) {
	g := (*Conv2d)(c).winoGeom()
	R, tw := (*Conv2d)(c).winoRows(), g.TileCols()
	r0, r1 := u*R, min((u+1)*R, c.call.n*g.TileRows())
	P, T := (r1-r0)*tw, g.Positions()
	buf := c.ex.col(w, T*(g.C+g.K)*P)
	v, m := buf[:T*g.C*P], buf[T*g.C*P:]
	if c.winoVKept {
		v = c.winoV[T*g.C*r0*tw : T*g.C*r1*tw]
	}
	kernels.WinogradInput(v, c.call.src, g, r0, r1)
	for xi := range T {
		kernels.SgemmPackedSerial(&c.packW[xi], false, P, 1, v[xi*g.C*P:], P, 0, m[xi*g.K*P:], P)
	}
	kernels.WinogradOutput(c.call.dst, m, g, r0, r1)
}

// winoEpilogue adds the bias and applies post to sample u's output.
type winoEpilogue Conv2d

func (c *winoEpilogue) unit(_, i int) {
	outSz := c.out.Size()
	y := c.call.dst[i*outSz : (i+1)*outSz]
	(*Conv2d)(c).addBias(y)
	if c.post != nil {
		c.post.applyEval(y)
	}
}

// winogradBackward is Backward on the Winograd path: one unit per sample
// group computes its samples' input gradient and its partial gradient of
// the transformed filters dU (and of the bias); the partials are reduced in
// group order and dU is then transformed into the weight gradient once.
func (c *Conv2d) winogradBackward(dIn []float32, n int) {
	g := c.winoGeom()
	kc, T := g.K*g.C, g.Positions()
	if dIn != nil {
		for xi := range T {
			c.packWT[xi].Pack(true, g.C, g.K, c.winoU[xi*kc:], g.C)
		}
	}
	stride := c.winoGradStride()
	groups := gradGroups(n)
	c.parts = c.ex.groupScratch(groups, stride)
	c.ex.run(groups, (*winoBackward)(c))
	c.winoDU = grow(c.winoDU, T*kc)
	clear(c.winoDU)
	c.ex.reduceGroups(c.winoDU, c.parts, groups, stride, 0)
	c.ex.run(winoFilterUnits(g.K), (*winoFilterGrad)(c))
	if c.bias != nil {
		c.ex.reduceGroups(c.bias.G, c.parts, groups, stride, T*kc)
	}
}

// winoGradStride is the length of one sample group's partial gradient on
// the Winograd path: dU (T × Out × Cin), then the bias.
func (c *Conv2d) winoGradStride() int {
	n := c.winoGeom().Positions() * c.spec.Out * c.in.C
	if c.bias != nil {
		return n + c.spec.Out
	}
	return n
}

// winoBackward is the parallel region of a Winograd backward: unit gi is
// sample group gi (groupRange), whose tile rows it takes in the forward's
// blocks (cut at the group's ends): dM from dY; V kept by the forward (or
// transformed again from the cached input) and dU += dM·Vᵀ; dV = Uᵀ·dM
// added into dX.
type winoBackward Conv2d

func (c *winoBackward) unit(w, gi int) {
	dIn, dOut, n := c.call.dst, c.call.src, c.call.n
	g := (*Conv2d)(c).winoGeom()
	C, K, kc, T := g.C, g.K, g.K*g.C, g.Positions()
	th, tw := g.TileRows(), g.TileCols()
	R := (*Conv2d)(c).winoRows()
	nw, stride := T*kc, (*Conv2d)(c).winoGradStride()
	part := c.parts[gi*stride : (gi+1)*stride]
	lo, hi := groupRange(gi, gradGroups(n), n)
	inSz, outSz := c.in.Size(), c.out.Size()
	if dIn != nil {
		clear(dIn[lo*inSz : hi*inSz])
	}
	if c.bias != nil {
		db := part[nw:]
		clear(db)
		ohw := c.out.H * c.out.W
		for i := lo; i < hi; i++ {
			dy := dOut[i*outSz : (i+1)*outSz]
			for o := range db {
				var s float64
				for _, v := range dy[o*ohw : (o+1)*ohw] {
					s += float64(v)
				}
				db[o] += float32(s)
			}
		}
	}
	maxP := R * tw
	buf := c.ex.col(w, T*(C+K)*maxP)
	du := part[:nw]
	for r0, r1 := lo*th, 0; r0 < hi*th; r0 = r1 {
		r1 = min((r0/R+1)*R, hi*th)
		P := (r1 - r0) * tw
		dv := buf[:T*C*P]
		dm := buf[T*C*maxP : T*C*maxP+T*K*P]
		kernels.WinogradOutputGrad(dm, dOut, g, r0, r1)
		// V[ξ] is C×P at v[ξ·C·ldv:] with row stride ldv
		v, ldv := dv, P
		if c.winoVKept {
			b0 := r0 / R * R
			b1 := min(b0+R, n*th)
			v, ldv = c.winoV[T*C*b0*tw+(r0-b0)*tw:T*C*b1*tw], (b1-b0)*tw
		} else {
			kernels.WinogradInput(dv, c.x, g, r0, r1)
		}
		beta := float32(1)
		if r0 == lo*th {
			beta = 0
		}
		for xi := range T {
			// dU[ξ] (K×C) += dM[ξ] (K×P) · V[ξ]ᵀ (P×C)
			sgemm(false, true, K, C, P, 1, dm[xi*K*P:], P, v[xi*C*ldv:], ldv, beta, du[xi*kc:], C)
		}
		if dIn != nil {
			for xi := range T {
				// dV[ξ] (C×P) = U[ξ]ᵀ (C×K) · dM[ξ] (K×P)
				kernels.SgemmPackedSerial(&c.packWT[xi], false, P, 1, dm[xi*K*P:], P, 0, dv[xi*C*P:], P)
			}
			kernels.WinogradInputGrad(dIn, dv, g, r0, r1)
		}
	}
}
