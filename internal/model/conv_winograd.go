package model

import "github.com/cocotrain/cocotrain/internal/kernels"

// Dense 3×3, stride-1, pad-1 convolutions of more than one input channel
// run Winograd F(m×m, 3×3), m = winoTile() (kernels.WinogradInput and
// friends): per block of tile rows, the input tiles are transformed (V,
// T × C × P, T = (m+2)²), multiplied by the transformed filters (M[ξ] =
// U[ξ]·V[ξ], T GEMMs) and transformed back. The backward pass is the exact
// backprop of that: dM from dY, dV[ξ] = U[ξ]ᵀ·dM[ξ] scattered back to dX,
// dU[ξ] += dM[ξ]·V[ξ]ᵀ (with the V a training forward kept) and dW from
// dU. For these convolutions packW and packWT hold the T U[ξ] and U[ξ]ᵀ.

// winoBlockFloats bounds a block's transformed input and products,
// T·(C+K)·P floats, so that they stay in a core's L2 cache (1 MB; twice
// that for the layers whose backward sums dU by position, winoRows).
const winoBlockFloats = 1 << 18

// winoBudgetBytes is the default of Exec.winoBudget: the most a Winograd
// convolution keeps for its backward pass outside a block's scratch. A
// training forward keeps the batch's transformed input V (T × C floats per
// tile) when it fits, so that the backward need not transform the input
// again; a larger V (iresnet18's 64-channel layers at batch 64: 115 MB
// and more each, every layer its own) is transformed again by the
// backward, block by block, into scratch shared by all layers. Likewise
// the backward by position (winoDUByPosition) stores the output
// gradient's transform dM of a segment of sample groups at a time, the
// segment's dM and V within the budget (at least one group per thread).
const winoBudgetBytes = 32 << 20

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
// least winoF4MinSide, else 2 (always 2 when ConvSpec.Winograd is "f2").
func (c *Conv2d) winoTile() int {
	if c.spec.Winograd != "f2" && c.in.H >= winoF4MinSide && c.in.W >= winoF4MinSide {
		return 4
	}
	return 2
}

// winoGeom is the convolution's Winograd geometry.
func (c *Conv2d) winoGeom() kernels.WinogradGeom {
	return kernels.WinogradGeom{C: c.in.C, K: c.spec.Out, H: c.in.H, W: c.in.W, M: c.winoTile()}
}

// winoRows is the number of tile rows of a block: as many as fit
// winoBlockFloats (twice that when the backward sums dU by position: measured,
// docs/kernels.md), rounded down to whole micro-kernel column panels (32)
// when the rows are short. It depends on the shapes only.
func (c *Conv2d) winoRows() int {
	if c.winoDUByPosition() {
		return c.winoRowsWithin(2 * winoBlockFloats)
	}
	return c.winoRowsWithin(winoBlockFloats)
}

// winoRowsWithin is winoRows for blocks of at most budget floats.
func (c *Conv2d) winoRowsWithin(budget int) int {
	g := c.winoGeom()
	tw := g.TileCols()
	rows := max(1, budget/(g.Positions()*(g.C+g.K))/tw)
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
		c.ex.run(units, c.units.winoFilter)
	} else { // inside Net.Infer's packing region: on this worker
		for u := range units {
			c.units.winoFilter.unit(0, u)
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
func (c *Conv2d) winoFilter(_, u int) {
	g := c.winoGeom()
	kernels.WinogradFilter(c.winoU, c.weight.W, g, u*winoFilterBlock, min((u+1)*winoFilterBlock, g.K))
}

// winoFilterGrad is the parallel region that adds the filter gradient from
// the reduced transformed one (winoDU): unit u does output channels
// [8u, 8u+8).
func (c *Conv2d) winoFilterGrad(_, u int) {
	g := c.winoGeom()
	kernels.WinogradFilterGrad(c.weight.G, c.winoDU, g, u*winoFilterBlock, min((u+1)*winoFilterBlock, g.K))
}

// winogradForward is forward on the Winograd path: one unit per block of
// winoRows tile rows of the batch, then the bias and post per sample. In
// training it keeps the blocks' transformed input in winoV when it fits
// the budget (winoBudgetBytes), which the backward then reads instead of
// transforming the input again.
func (c *Conv2d) winogradForward(n int) {
	g := c.winoGeom()
	rows := n * g.TileRows()
	size := g.Positions() * g.C * rows * g.TileCols()
	c.winoVKept = c.ex.Training && !c.ex.inferOnly && 4*size <= c.ex.winoBudget
	if c.winoVKept {
		c.winoV = grow(c.winoV, size)
	} else {
		c.winoV = nil
	}
	R := c.winoRows()
	c.ex.run((rows+R-1)/R, c.units.winoForward)
	if c.bias != nil || c.post != nil {
		c.ex.run(n, c.units.winoEpilogue)
	}
}

// winoBlocks sets winoCuts to the backward's blocks of tile rows of a
// batch of n: the forward's (winoRows tile rows from the batch's first),
// also cut where a sample group (gradGroups) starts, so that each block
// belongs to one group. They depend on the shapes only.
func (c *Conv2d) winoBlocks(n int) {
	th, R := c.winoGeom().TileRows(), c.winoRows()
	groups := gradGroups(n)
	c.winoCuts = append(c.winoCuts[:0], 0)
	for r, gi := 0, 1; r < n*th; {
		next := min((r/R+1)*R, n*th)
		if gi < groups {
			lo, _ := groupRange(gi, groups, n)
			if lo*th <= next {
				next = lo * th
				gi++
			}
		}
		c.winoCuts = append(c.winoCuts, next)
		r = next
	}
}

// winoForward is the parallel region of a Winograd forward: unit u is the
// block of tile rows [u·R, (u+1)·R) of the batch (R = winoRows). Its V goes
// to winoV in training, else to the worker's scratch.
func (c *Conv2d) winoForward(w, u int) {
	g := c.winoGeom()
	R, tw, T := c.winoRows(), g.TileCols(), g.Positions()
	r0, r1 := u*R, min((u+1)*R, c.call.n*g.TileRows())
	P := (r1 - r0) * tw
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
func (c *Conv2d) winoEpilogue(_, i int) {
	outSz := c.out.Size()
	y := c.call.dst[i*outSz : (i+1)*outSz]
	c.addBias(y)
	if c.post != nil {
		c.post.applyEval(y)
	}
}

// winogradBackward is Backward on the Winograd path. It takes the sample
// groups in segments (winoSegment); per segment, one unit per sample group
// computes, block by block, dM, V (unless the forward kept it), the
// group's input gradient and bias gradient partial. The transformed filter
// gradient dU[ξ] = Σ dM[ξ]·V[ξ]ᵀ is summed either (winoDUByPosition) in a
// second parallel region per segment, one unit per position ξ over the
// segment's blocks in order from the dM the first one stored in winoDM,
// with dU[ξ] in cache; or in the first, into each group's partial of dU,
// which are then reduced in group order. dU is then transformed into the
// weight gradient. Either way each sum runs over the blocks of the batch
// in order, so the segments do not change the result.
func (c *Conv2d) winogradBackward(dIn []float32, n int) {
	g := c.winoGeom()
	kc, T := g.K*g.C, g.Positions()
	if dIn != nil {
		for xi := range T {
			c.packWT[xi].Pack(true, g.C, g.K, c.winoU[xi*kc:], g.C)
		}
	}
	c.winoBlocks(n)
	groups, stride := gradGroups(n), c.winoPartStride()
	byPos := c.winoDUByPosition()
	per, _ := c.winoSegment(n)
	parts, dmSize, vSize := c.winoScratch(n)
	buf := c.ex.groupScratch(1, parts+dmSize+vSize+T*kc)
	c.parts, buf = buf[:parts], buf[parts:]
	c.winoDM, buf = buf[:dmSize], buf[dmSize:]
	if !c.winoVKept {
		c.winoV = buf[:vSize]
	}
	c.winoDU = buf[vSize:]
	for g0 := 0; g0 < groups; g0 += per {
		c.winoSeg = [2]int{g0, min(g0+per, groups)}
		c.ex.run(c.winoSeg[1]-g0, c.units.winoBackward)
		if byPos {
			c.ex.run(T, c.units.winoWeightGrad)
		}
	}
	if !byPos {
		clear(c.winoDU)
		c.ex.reduceGroups(c.winoDU, c.parts, groups, stride, g.K)
	}
	c.ex.run(winoFilterUnits(g.K), c.units.winoFilterGrad)
	if c.bias != nil {
		c.ex.reduceGroups(c.bias.G, c.parts, groups, stride, 0)
	}
	c.winoDM, c.winoDU, c.parts = nil, nil, nil
	if !c.winoVKept {
		c.winoV = nil
	}
}

// winoScratch returns the lengths of the parts of Exec.groupScratch that a
// Winograd backward over n samples takes before dU (T × K × C): the sample
// groups' partial gradients, the running segment's dM (by position) and
// its V (when the forward did not keep it).
func (c *Conv2d) winoScratch(n int) (parts, dm, v int) {
	g := c.winoGeom()
	_, segTiles := c.winoSegment(n)
	parts = gradGroups(n) * c.winoPartStride()
	if c.winoDUByPosition() {
		dm = g.Positions() * g.K * segTiles
	}
	if !c.winoVKept {
		v = g.Positions() * g.C * segTiles
	}
	return parts, dm, v
}

// winoSegment returns the number of sample groups per segment of a
// Winograd backward over n samples and the most tiles a segment holds: as
// many groups as the segment's stored dM (by position) and transformed V
// (when the forward did not keep it) fit the budget (Exec.winoBudget), at
// least one per thread and at most all of them.
func (c *Conv2d) winoSegment(n int) (per, tiles int) {
	g := c.winoGeom()
	groups := gradGroups(n)
	sampleTiles := g.TileRows() * g.TileCols()
	floats := 0 // per tile
	if c.winoDUByPosition() {
		floats += g.Positions() * g.K
	}
	if !c.winoVKept {
		floats += g.Positions() * g.C
	}
	per = groups
	groupTiles := (n + groups - 1) / groups * sampleTiles
	if floats > 0 {
		per = min(groups, max(c.ex.threads, c.ex.winoBudget/(4*floats*groupTiles)))
	}
	return per, min(per*groupTiles, n*sampleTiles)
}

// winoSegRows is the tile rows [r0, r1) of the running backward segment.
func (c *Conv2d) winoSegRows() (r0, r1 int) {
	n, th := c.call.n, c.winoGeom().TileRows()
	groups := gradGroups(n)
	lo, _ := groupRange(c.winoSeg[0], groups, n)
	_, hi := groupRange(c.winoSeg[1]-1, groups, n)
	return lo * th, hi * th
}

// winoPartStride is the length of one sample group's partial gradients of
// the Winograd backward: the bias (K), then, unless by position, dU
// (T × K × C).
func (c *Conv2d) winoPartStride() int {
	g := c.winoGeom()
	if c.winoDUByPosition() {
		return g.K
	}
	return g.K + g.Positions()*g.K*g.C
}

// winoDUByPosition reports whether the backward sums dU by position
// (winogradBackward): when C exceeds the tiles of a block of
// winoBlockFloats, a group's K×C partial of each dU[ξ], re-read and
// re-written by every block, moves more memory than storing and re-reading
// the block's dM[ξ] (K×P). Measured (docs/kernels.md): tiny's conv2 (C =
// 32, 64 tiles) loses 15 % of its backward by position, conv4 (C = 128,
// 32 tiles) gains 15 %, iresnet18's layers 30–50 %.
func (c *Conv2d) winoDUByPosition() bool {
	return c.in.C > c.winoRowsWithin(winoBlockFloats)*c.winoGeom().TileCols()
}

// winoBackward is the first parallel region of a Winograd backward
// segment: unit u is sample group gi = u + the segment's first
// (groupRange), whose blocks (winoCuts) it takes in order: dM from dY
// (into winoDM when by position, else into the worker's scratch); V from
// the cached input unless the forward kept it; dU += dM·Vᵀ into the
// group's partial unless by position; dV = Uᵀ·dM added into dX; and the
// group's bias gradient.
func (c *Conv2d) winoBackward(w, u int) {
	dIn, dOut, n := c.call.dst, c.call.src, c.call.n
	gi := c.winoSeg[0] + u
	s0, _ := c.winoSegRows()
	g := c.winoGeom()
	C, K, kc, T := g.C, g.K, g.K*g.C, g.Positions()
	th, tw := g.TileRows(), g.TileCols()
	byPos := c.winoDUByPosition()
	lo, hi := groupRange(gi, gradGroups(n), n)
	inSz, outSz := c.in.Size(), c.out.Size()
	if dIn != nil {
		clear(dIn[lo*inSz : hi*inSz])
	}
	stride := c.winoPartStride()
	part := c.parts[gi*stride : (gi+1)*stride]
	if c.bias != nil {
		db := part[:K]
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
	maxP := c.winoRows() * tw
	buf := c.ex.col(w, T*(C+K)*maxP)
	for u := range len(c.winoCuts) - 1 {
		r0, r1 := c.winoCuts[u], c.winoCuts[u+1]
		if r0 < lo*th || r0 >= hi*th {
			continue
		}
		P := (r1 - r0) * tw
		dm := buf[T*C*maxP : T*C*maxP+T*K*P]
		if byPos {
			dm = c.winoDM[T*K*(r0-s0)*tw : T*K*(r1-s0)*tw]
		}
		kernels.WinogradOutputGrad(dm, dOut, g, r0, r1)
		v, ldv := c.winoVOf(r0, r1)
		if !c.winoVKept {
			kernels.WinogradInput(v, c.x, g, r0, r1)
		}
		if !byPos {
			du := part[K:]
			beta := float32(1)
			if r0 == lo*th {
				beta = 0
			}
			for xi := range T {
				// dU[ξ] (K×C) += dM[ξ] (K×P) · V[ξ]ᵀ (P×C)
				sgemm(false, true, K, C, P, 1, dm[xi*K*P:], P, v[xi*C*ldv:], ldv, beta, du[xi*kc:], C)
			}
		}
		if dIn != nil {
			dv := buf[:T*C*P]
			for xi := range T {
				// dV[ξ] (C×P) = U[ξ]ᵀ (C×K) · dM[ξ] (K×P)
				kernels.SgemmPackedSerial(&c.packWT[xi], false, P, 1, dm[xi*K*P:], P, 0, dv[xi*C*P:], P)
			}
			kernels.WinogradInputGrad(dIn, dv, g, r0, r1)
		}
	}
}

// winoWeightGrad is the second parallel region of a Winograd backward
// segment by position: unit ξ adds Σ dM[ξ]·V[ξ]ᵀ over the segment's
// blocks in order to dU[ξ] (K × C, in winoDU), which the batch's first
// block sets.
func (c *Conv2d) winoWeightGrad(_, xi int) {
	g := c.winoGeom()
	C, K, kc, T, tw := g.C, g.K, g.K*g.C, g.Positions(), g.TileCols()
	du := c.winoDU[xi*kc : (xi+1)*kc]
	s0, s1 := c.winoSegRows()
	for u := range len(c.winoCuts) - 1 {
		r0, r1 := c.winoCuts[u], c.winoCuts[u+1]
		if r0 < s0 || r0 >= s1 {
			continue
		}
		P := (r1 - r0) * tw
		beta := float32(1)
		if u == 0 {
			beta = 0
		}
		v, ldv := c.winoVOf(r0, r1)
		// dU[ξ] (K×C) += dM[ξ] (K×P) · V[ξ]ᵀ (P×C)
		sgemm(false, true, K, C, P, 1, c.winoDM[T*K*(r0-s0)*tw+xi*K*P:], P, v[xi*C*ldv:], ldv, beta, du, C)
	}
}

// winoVOf returns the transformed input of the backward's block of tile
// rows [r0, r1) in winoV: V[ξ] (C × P) is at v[ξ·C·ldv:] with row stride
// ldv. The forward kept it in its own blocks (a block of the backward is a
// part of one); else the backward transforms it into a block of its own
// in the running segment's scratch.
func (c *Conv2d) winoVOf(r0, r1 int) (v []float32, ldv int) {
	g := c.winoGeom()
	T, C, tw := g.Positions(), g.C, g.TileCols()
	if !c.winoVKept {
		s0, _ := c.winoSegRows()
		return c.winoV[T*C*(r0-s0)*tw : T*C*(r1-s0)*tw], (r1 - r0) * tw
	}
	R := c.winoRows()
	b0 := r0 / R * R
	b1 := min(b0+R, c.call.n*g.TileRows())
	return c.winoV[T*C*b0*tw+(r0-b0)*tw : T*C*b1*tw], (b1 - b0) * tw
}
