package kernels

// Batch normalisation, PReLU/ReLU and 2×2 stride-2 max pooling fused over
// one channel plane: the forward pass reads the H×W input once and writes
// only the ⌊H/2⌋×⌊W/2⌋ pooled output and each output's window index; the
// backward passes read the pooled gradient, the window indices and the
// input, never a full-size gradient. A window index q (0..3) names row
// 2·oy + q/2, column 2·ox + q mod 2 of output (oy, ox)'s window.

// poolImpl is one implementation of the fused pooling loops (contracts of
// the exported functions, with OH, OW ≥ 1 and the shapes checked).
type poolImpl struct {
	name  string
	fwd   func(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32)
	stats func(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (sg, sgd, sda float32)
	back  func(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32)
}

// poolGo is the pure-Go implementation, the reference of the others.
var poolGo = poolImpl{name: "go", fwd: normActPoolGo, stats: normActPoolStatsGo, back: normActPoolBackwardGo}

// pool2x2 is the implementation the exported functions use: the first of
// poolImpls().
var pool2x2 = poolImpls()[0]

// poolShape checks that in (H×W, W ≥ 2·OW) holds the 2·OH rows that the
// OH×OW outputs of out pool, and returns OH (0 when out is empty).
func poolShape(out, in []float32, W, OW int) int {
	if OW <= 0 || len(out)%OW != 0 || 2*OW > W {
		panic("kernels: bad 2×2 pool shape")
	}
	OH := len(out) / OW
	_ = in[:2*OH*W]
	return OH
}

// NormActPool2x2 is PlaneNormAct then a 2×2 stride-2 max pool over one
// plane: with v = (in − mu)·s + t activated (v if v > 0, else a·v; a = 0 is
// a ReLU), out[oy·OW+ox] is the maximum of its window as Go's max (NaN if
// any is, +0 over −0), and arg (when not nil) the window index of the first
// position holding it (3 when it is NaN).
//
//	in: H × W (H ≥ 2·OH, W ≥ 2·OW);  out, arg: OH × OW
func NormActPool2x2(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32) {
	if OH := poolShape(out, in, W, OW); OH > 0 {
		if arg != nil {
			arg = arg[:len(out)]
		}
		pool2x2.fwd(out, arg, in, W, OW, mu, s, t, a)
	}
}

// NormActPool2x2GradStats is the reduction pass of NormActPool2x2's
// backward: with x̃ the input at each output's maximum, v = (x̃ − mu)·s + t
// and g = dy where v > 0, a·dy elsewhere, it returns Σ g, Σ g·(x̃ − mu) and
// Σ dy·v over v ≤ 0 (PlaneNormActGradStats over the gradient the pool
// scatters, which is zero away from the maxima).
//
//	dy, arg: OH × OW;  x: H × W
func NormActPool2x2GradStats(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (sg, sgd, sda float32) {
	if poolShape(dy, x, W, OW) == 0 {
		return 0, 0, 0
	}
	return pool2x2.stats(dy, arg[:len(dy)], x, W, OW, mu, s, t, a)
}

// NormActPool2x2Backward writes the input gradient of the whole plane,
// dx = g·k + (x − mu)·kb + kc with g as in NormActPool2x2GradStats at each
// output's maximum and 0 elsewhere (PlaneNormActBackward over the
// scattered gradient; rows and columns outside the windows get g = 0).
//
//	dx, x: H × W;  dy, arg: OH × OW
func NormActPool2x2Backward(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32) {
	dx = dx[:len(x)]
	if poolShape(dy, x, W, OW) == 0 {
		PlaneNorm(dx, x, mu, kb, kc)
		return
	}
	pool2x2.back(dx, dy, arg[:len(dy)], x, W, OW, mu, s, t, a, k, kb, kc)
}

// normAct is one activated batch-norm value, as planeNormActGo.
func normAct(x, mu, s, t, a float32) float32 {
	if v := (x-mu)*s + t; v > 0 {
		return v
	} else {
		return a * v
	}
}

func normActPoolGo(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32) {
	for oy := 0; oy < len(out)/OW; oy++ {
		r0, r1 := in[2*oy*W:2*oy*W+W], in[(2*oy+1)*W:(2*oy+1)*W+W]
		d := out[oy*OW : (oy+1)*OW]
		for ox := range d {
			j := 2 * ox
			v0, v1 := normAct(r0[j], mu, s, t, a), normAct(r0[j+1], mu, s, t, a)
			v2, v3 := normAct(r1[j], mu, s, t, a), normAct(r1[j+1], mu, s, t, a)
			best := max(v0, v1, v2, v3)
			d[ox] = best
			if arg == nil {
				continue
			}
			at := int32(3) // not uint8: no conditional move of a byte
			if v2 == best {
				at = 2
			}
			if v1 == best {
				at = 1
			}
			if v0 == best {
				at = 0
			}
			arg[oy*OW+ox] = uint8(at)
		}
	}
}

// windowOffset is the offset of window index q from its top-left corner.
func windowOffset(q uint8, W int) int { return int(q>>1)*W + int(q&1) }

func normActPoolStatsGo(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (sg, sgd, sda float32) {
	var g, gd, da float64
	for j, d := range dy {
		c := x[2*(j/OW)*W+2*(j%OW)+windowOffset(arg[j], W)] - mu
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

func normActPoolBackwardGo(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32) {
	planeNormGo(dx, x, mu, kb, kc)
	for j, d := range dy {
		p := 2*(j/OW)*W + 2*(j%OW) + windowOffset(arg[j], W)
		if v := (x[p]-mu)*s + t; !(v > 0) {
			d *= a
		}
		dx[p] = d*k + dx[p]
	}
}
