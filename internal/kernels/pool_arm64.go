//go:build !noasm

package kernels

import "unsafe"

// The NEON fused pooling loops (pool_neon_arm64.s, generator
// _asm/pool_neon.go): contracts as in pool.go on raw pointers, over the
// first 4·nv outputs of each of the OH output rows (OH, nv ≥ 1); the
// wrappers below run each row's last OW mod 4 outputs through the Go loops.

//go:noescape
func normActPoolNEON(out, arg, in unsafe.Pointer, W, OH, OW, nv int, mu, s, t, a float32)

//go:noescape
func normActPoolStatsNEON(dy, arg, x unsafe.Pointer, W, OH, OW, nv int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func normActPoolBackwardNEON(dx, dy, arg, x unsafe.Pointer, W, OH, OW, nv int, mu, s, t, a, k, kb, kc float32)

// poolTailNEON calls f for each output j = oy·OW + ox with ox ≥ 4·⌊OW/4⌋
// (the columns the NEON loops leave), p its window's top-left input and
// w the window's four inputs in window-index order.
func poolTailNEON(in []float32, W, OW, n int, f func(j, p int, w [4]float32)) {
	for oy := 0; oy < n/OW; oy++ {
		for ox := OW &^ 3; ox < OW; ox++ {
			p := 2*oy*W + 2*ox
			w := [4]float32{in[p], in[p+1], in[p+W], in[p+W+1]}
			f(oy*OW+ox, p, w)
		}
	}
}

// poolNEON wraps the NEON loops; callers pass checked shapes. A tail
// output runs the Go loop on its own window (a 2×2 plane, W = 2).
var poolNEON = poolImpl{
	name: "neon",
	fwd: func(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32) {
		if nv := OW / 4; nv > 0 {
			var ap unsafe.Pointer
			if arg != nil {
				ap = unsafe.Pointer(&arg[0])
			}
			normActPoolNEON(unsafe.Pointer(&out[0]), ap, unsafe.Pointer(&in[0]), W, len(out)/OW, OW, nv, mu, s, t, a)
		}
		poolTailNEON(in, W, OW, len(out), func(j, _ int, w [4]float32) {
			var at []uint8
			if arg != nil {
				at = arg[j : j+1]
			}
			normActPoolGo(out[j:j+1], at, w[:], 2, 1, mu, s, t, a)
		})
	},
	stats: func(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (float32, float32, float32) {
		var sg, sgd, sda float32
		if nv := OW / 4; nv > 0 {
			sg, sgd, sda = normActPoolStatsNEON(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, len(dy)/OW, OW, nv, mu, s, t, a)
		}
		var g, gd, da float64
		poolTailNEON(x, W, OW, len(dy), func(j, _ int, w [4]float32) {
			tg, tgd, tda := normActPoolStatsGo(dy[j:j+1], arg[j:j+1], w[:], 2, 1, mu, s, t, a)
			g, gd, da = g+float64(tg), gd+float64(tgd), da+float64(tda)
		})
		return sg + float32(g), sgd + float32(gd), sda + float32(da)
	},
	back: func(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32) {
		OH := len(dy) / OW
		if len(x) != 2*OH*W || W != 2*OW { // rows or columns no window covers
			PlaneNorm(dx, x, mu, kb, kc)
		}
		if nv := OW / 4; nv > 0 {
			normActPoolBackwardNEON(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, OH, OW, nv, mu, s, t, a, k, kb, kc)
		}
		poolTailNEON(x, W, OW, len(dy), func(j, p int, w [4]float32) {
			var d [4]float32
			normActPoolBackwardGo(d[:], dy[j:j+1], arg[j:j+1], w[:], 2, 1, mu, s, t, a, k, kb, kc)
			dx[p], dx[p+1], dx[p+W], dx[p+W+1] = d[0], d[1], d[2], d[3]
		})
	},
}

// poolImpls lists the fused pooling implementations this build runs, best
// first.
func poolImpls() []poolImpl {
	if hasNEON {
		return []poolImpl{poolNEON, poolGo}
	}
	return []poolImpl{poolGo}
}
