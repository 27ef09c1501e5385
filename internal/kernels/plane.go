package kernels

// Per-plane loops of batch normalisation and PReLU: each works on one
// channel plane (a contiguous run of H·W floats of one sample), so a layer
// can split its channels over goroutines and reduce the per-plane results in
// a fixed order. The assembly paths accumulate in float32 vector lanes, the
// pure-Go reference in float64; the results agree to float32 rounding.

// planeImpl is one implementation of the plane loops (contracts of the
// exported functions, with n = len(x) ≥ 1 and equal lengths ensured).
type planeImpl struct {
	name         string
	sum          func(x []float32) float32
	sqDev        func(x []float32, mu float32) float32
	norm         func(out, in []float32, mu, scale, shift float32)
	gradStats    func(dy, x []float32, mu float32) (sdy, sdyx float32)
	normBackward func(dx, dy, x []float32, mu, k, b, c float32)
	prelu        func(out, in []float32, a float32)
	preluBack    func(dx, dy, x []float32, a float32) float32
	reluBack     func(dx, dy, x []float32)
	normAct      func(out, in []float32, mu, s, t, a float32)
	normActStats func(dy, x []float32, mu, s, t, a float32) (sg, sgd, sda float32)
	normActBack  func(dx, dy, x []float32, mu, s, t, a, k, kb, kc float32)
}

// planeGo is the pure-Go implementation, the reference of the others.
var planeGo = planeImpl{name: "go", sum: planeSumGo, sqDev: planeSqDevGo, norm: planeNormGo,
	gradStats: planeGradStatsGo, normBackward: planeNormBackwardGo,
	prelu: preluPlaneGo, preluBack: preluPlaneBackwardGo, reluBack: reluPlaneBackwardGo,
	normAct: planeNormActGo, normActStats: planeNormActGradStatsGo, normActBack: planeNormActBackwardGo}

// plane is the implementation the exported functions use: the first of
// planeImpls().
var plane = planeImpls()[0]

// PlaneSum returns Σ x[i].
func PlaneSum(x []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	return plane.sum(x)
}

// PlaneSqDev returns Σ (x[i] − mu)², the batch-norm variance numerator.
func PlaneSqDev(x []float32, mu float32) float32 {
	if len(x) == 0 {
		return 0
	}
	return plane.sqDev(x, mu)
}

// PlaneNorm writes out[i] = (in[i] − mu)·scale + shift for i < len(in), the
// batch-norm apply step (subtracting mu first keeps precision when |mu| is
// much larger than the spread). out may be in itself.
func PlaneNorm(out, in []float32, mu, scale, shift float32) {
	out = out[:len(in)]
	if len(in) > 0 {
		plane.norm(out, in, mu, scale, shift)
	}
}

// PlaneGradStats returns Σ dy[i] and Σ dy[i]·(x[i] − mu) for i < len(dy),
// the two reductions of the batch-norm backward pass.
func PlaneGradStats(dy, x []float32, mu float32) (sdy, sdyx float32) {
	x = x[:len(dy)]
	if len(dy) == 0 {
		return 0, 0
	}
	return plane.gradStats(dy, x, mu)
}

// PlaneNormBackward writes dx[i] = dy[i]·k + (x[i] − mu)·b + c for
// i < len(dy): the batch-norm input gradient, an affine function of dy and
// the centred input. dx may be dy itself.
func PlaneNormBackward(dx, dy, x []float32, mu, k, b, c float32) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	if len(dy) > 0 {
		plane.normBackward(dx, dy, x, mu, k, b, c)
	}
}

// PReLUPlane writes out[i] = in[i] where in[i] > 0 and a·in[i] elsewhere
// (NaN propagates), for one channel plane with slope a. out may be in itself.
func PReLUPlane(out, in []float32, a float32) {
	out = out[:len(in)]
	if len(in) > 0 {
		plane.prelu(out, in, a)
	}
}

// PReLUPlaneBackward writes dx[i] = dy[i] where x[i] > 0 and a·dy[i]
// elsewhere (x is the forward input; dx may be dy itself) and returns
// Σ dy[i]·x[i] over x[i] ≤ 0, the plane's part of ∂L/∂a.
func PReLUPlaneBackward(dx, dy, x []float32, a float32) float32 {
	dx, x = dx[:len(dy)], x[:len(dy)]
	if len(dy) == 0 {
		return 0
	}
	return plane.preluBack(dx, dy, x, a)
}

// ReLUPlaneBackward writes dx[i] = dy[i] where x[i] > 0 and 0 elsewhere, for
// i < len(dy); x is the forward input or output (the sign is the same). dx
// may be dy itself.
func ReLUPlaneBackward(dx, dy, x []float32) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	if len(dy) > 0 {
		plane.reluBack(dx, dy, x)
	}
}

// PlaneNormAct is batch normalisation fused with a PReLU of slope a (a = 0:
// ReLU): with v = (in[i] − mu)·s + t it writes out[i] = v where v > 0 and
// a·v elsewhere, for i < len(in). out may be in itself.
func PlaneNormAct(out, in []float32, mu, s, t, a float32) {
	out = out[:len(in)]
	if len(in) > 0 {
		plane.normAct(out, in, mu, s, t, a)
	}
}

// PlaneNormActGradStats is the reduction pass of PlaneNormAct's backward:
// recomputing v = (x[i] − mu)·s + t and the activation's input gradient
// g = dy[i] where v > 0, a·dy[i] elsewhere, it returns Σ g, Σ g·(x[i] − mu)
// and Σ dy[i]·v over v ≤ 0 (the slope's gradient), for i < len(dy).
func PlaneNormActGradStats(dy, x []float32, mu, s, t, a float32) (sg, sgd, sda float32) {
	x = x[:len(dy)]
	if len(dy) == 0 {
		return 0, 0, 0
	}
	return plane.normActStats(dy, x, mu, s, t, a)
}

// PlaneNormActBackward writes dx[i] = g·k + (x[i] − mu)·kb + kc for
// i < len(dy), with g recomputed as in PlaneNormActGradStats: the
// batch-norm input gradient through the activation. dx may be dy itself.
func PlaneNormActBackward(dx, dy, x []float32, mu, s, t, a, k, kb, kc float32) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	if len(dy) > 0 {
		plane.normActBack(dx, dy, x, mu, s, t, a, k, kb, kc)
	}
}

func planeSumGo(x []float32) float32 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return float32(s)
}

func planeSqDevGo(x []float32, mu float32) float32 {
	var s float64
	for _, v := range x {
		d := float64(v - mu)
		s += d * d
	}
	return float32(s)
}

func planeNormGo(out, in []float32, mu, scale, shift float32) {
	out = out[:len(in)]
	for i, v := range in {
		out[i] = (v-mu)*scale + shift
	}
}

func planeGradStatsGo(dy, x []float32, mu float32) (sdy, sdyx float32) {
	x = x[:len(dy)]
	var s, sx float64
	for i, g := range dy {
		s += float64(g)
		sx += float64(g) * float64(x[i]-mu)
	}
	return float32(s), float32(sx)
}

func planeNormBackwardGo(dx, dy, x []float32, mu, k, b, c float32) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	for i, g := range dy {
		dx[i] = g*k + ((x[i]-mu)*b + c)
	}
}

func preluPlaneGo(out, in []float32, a float32) {
	out = out[:len(in)]
	for i, v := range in {
		if v > 0 {
			out[i] = v
		} else {
			out[i] = a * v
		}
	}
}

func preluPlaneBackwardGo(dx, dy, x []float32, a float32) float32 {
	dx, x = dx[:len(dy)], x[:len(dy)]
	var s float64
	for i, g := range dy {
		v := x[i]
		if v > 0 {
			dx[i] = g
		} else {
			dx[i] = a * g
			if v <= 0 {
				s += float64(g) * float64(v)
			}
		}
	}
	return float32(s)
}

func reluPlaneBackwardGo(dx, dy, x []float32) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	for i, g := range dy {
		if x[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = 0
		}
	}
}

func planeNormActGo(out, in []float32, mu, s, t, a float32) {
	out = out[:len(in)]
	for i, x := range in {
		v := (x-mu)*s + t
		if v > 0 {
			out[i] = v
		} else {
			out[i] = a * v
		}
	}
}

func planeNormActGradStatsGo(dy, x []float32, mu, s, t, a float32) (sg, sgd, sda float32) {
	x = x[:len(dy)]
	var g, gd, da float64
	for i, d := range dy {
		c := x[i] - mu
		v := c*s + t
		if v > 0 {
			g += float64(d)
			gd += float64(d) * float64(c)
		} else {
			g += float64(a * d)
			gd += float64(a*d) * float64(c)
			if v <= 0 {
				da += float64(d) * float64(v)
			}
		}
	}
	return float32(g), float32(gd), float32(da)
}

func planeNormActBackwardGo(dx, dy, x []float32, mu, s, t, a, k, kb, kc float32) {
	dx, x = dx[:len(dy)], x[:len(dy)]
	for i, d := range dy {
		c := x[i] - mu
		if v := c*s + t; !(v > 0) {
			d *= a
		}
		dx[i] = d*k + (c*kb + kc)
	}
}
