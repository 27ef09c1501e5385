//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 fused pooling loops (pool_avx512_amd64.s): contracts
// as in pool.go on raw pointers, OH, OW ≥ 1; the flat ones take a
// whole plane of n ≥ 1 outputs and its poolFlatTables.

//go:noescape
func normActPoolAVX512(out, arg, in unsafe.Pointer, W, OH, OW int, mu, s, t, a float32)

//go:noescape
func normActPoolStatsAVX512(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func normActPoolBackwardAVX512(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)

// poolAVX512 wraps the AVX-512 loops; callers pass checked shapes.
var poolAVX512 = poolImpl{
	name: "avx512",
	fwd: func(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32) {
		var ap unsafe.Pointer
		if arg != nil {
			ap = unsafe.Pointer(&arg[0])
		}
		if tab := flatTables(in, W, OW, len(out)); tab != nil {
			normActPoolFlatAVX512(unsafe.Pointer(&out[0]), ap, unsafe.Pointer(&in[0]), tab, len(out), mu, s, t, a)
			return
		}
		normActPoolAVX512(unsafe.Pointer(&out[0]), ap, unsafe.Pointer(&in[0]), W, len(out)/OW, OW, mu, s, t, a)
	},
	stats: func(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (float32, float32, float32) {
		if tab := flatTables(x, W, OW, len(dy)); tab != nil {
			return normActPoolFlatStatsAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), tab, len(dy), mu, s, t, a)
		}
		return normActPoolStatsAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, len(dy)/OW, OW, mu, s, t, a)
	},
	back: func(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32) {
		if tab := flatTables(x, W, OW, len(dy)); tab != nil {
			normActPoolFlatBackwardAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), tab, len(dy), mu, s, t, a, unsafe.Pointer(&dx[0]), k, kb, kc)
			return
		}
		OH := len(dy) / OW
		if len(x) != 2*OH*W || W != 2*OW { // rows or columns no window covers
			PlaneNorm(dx, x, mu, kb, kc)
		}
		normActPoolBackwardAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, OH, OW, mu, s, t, a, unsafe.Pointer(&dx[0]), k, kb, kc)
	},
}

// poolImpls lists the fused pooling implementations this CPU runs, best
// first.
func poolImpls() []poolImpl {
	var impls []poolImpl
	if hasAVX512 {
		impls = append(impls, poolAVX512)
	}
	if hasAVX2 {
		impls = append(impls, poolAVX2)
	}
	return append(impls, poolGo)
}

//go:noescape
func normActPoolFlatAVX512(out, arg, in, tab unsafe.Pointer, n int, mu, s, t, a float32)

//go:noescape
func normActPoolFlatStatsAVX512(dy, arg, x, tab unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func normActPoolFlatBackwardAVX512(dy, arg, x, tab unsafe.Pointer, n int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)

// poolFlatTables are the permutation tables of the flat loops for one
// plane width W (W = 2·OW ≤ 16, H = 2·OH): in a run of 64 floats (16
// outputs), split[q][j] is the index of window position q of output j,
// and gidx[r][p], gq[r][p] are the output and window position of float
// 16r + p.
type poolFlatTables struct {
	split, gidx, gq [4][16]int32
}

// poolFlat holds the tables for W = 2, 4, 8, 16 at index log2(W) − 1.
var poolFlat = func() (t [4]poolFlatTables) {
	for i := range t {
		W := 2 << i
		OW := W / 2
		for j := 0; j < 16; j++ {
			for q := 0; q < 4; q++ {
				t[i].split[q][j] = int32(j/OW*2*W + 2*(j%OW) + q/2*W + q%2)
			}
		}
		for p := 0; p < 64; p++ {
			rp, r, col := p/(2*W), p/W%2, p%W
			t[i].gidx[p/16][p%16] = int32(rp*OW + col/2)
			t[i].gq[p/16][p%16] = int32(2*r + col%2)
		}
	}
	return t
}()

// flatTables returns the flat loops' tables for a plane of len(in) floats,
// W wide, pooled to n outputs OW wide, or nil when the plane is not flat
// (W > 16, or rows or columns that no window covers).
func flatTables(in []float32, W, OW, n int) unsafe.Pointer {
	if W != 2*OW || len(in) != 4*n || W > 16 {
		return nil
	}
	for i := range poolFlat {
		if 2<<i == W {
			return unsafe.Pointer(&poolFlat[i])
		}
	}
	return nil
}
