//go:build !noasm

package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestNormActPoolNEONMatchesGo checks the NEON loops against the pure-Go
// loops of pool.go directly (TestNormActPool2x2 compares each
// implementation with the unfused plane loops of its own name): Go's arm64
// compiler fuses x·y + z into one FMADD as the NEON loops do, so the
// pooled values, the window indices and the input gradient match bit for
// bit; the three gradient sums, added in another order, to float32
// rounding. Every shape of poolShapes, PReLU and ReLU, with and without
// NaNs.
func TestNormActPoolNEONMatchesGo(t *testing.T) {
	if !hasNEON {
		t.Skip("the NEON paths are disabled in this process")
	}
	saved := pool2x2
	defer func() { pool2x2 = saved }()
	pool2x2 = poolNEON
	rng := rand.New(rand.NewPCG(23, 24))
	for _, hw := range poolShapes {
		H, W := hw[0], hw[1]
		OH, OW := H/2, W/2
		for _, a := range []float32{0, 0.25} {
			for _, nan := range []bool{false, true} {
				name := fmt.Sprintf("%d×%d a=%g nan=%v", H, W, a, nan)
				mu, s, sh := float32(-0.25), float32(0.75), float32(0.125)
				k, kb, kc := float32(-1.5), float32(0.625), float32(-0.25)
				x := make([]float32, H*W)
				for i, in := 0, poolInput(rng, nan); i < len(x); i++ {
					x[i] = in(i)
				}
				dy := make([]float32, OH*OW)
				for j := range dy {
					dy[j] = 2*rng.Float32() - 1
				}
				out, arg := make([]float32, OH*OW), make([]uint8, OH*OW)
				wantOut, wantArg := make([]float32, OH*OW), make([]uint8, OH*OW)
				NormActPool2x2(out, arg, x, W, OW, mu, s, sh, a)
				poolGo.fwd(wantOut, wantArg, x, W, OW, mu, s, sh, a)
				for j := range out {
					if !sameFloat(out[j], wantOut[j]) || arg[j] != wantArg[j] {
						t.Fatalf("%s output %d: %g at %d, want %g at %d", name, j, out[j], arg[j], wantOut[j], wantArg[j])
					}
				}
				if !nan {
					g, gd, da := NormActPool2x2GradStats(dy, arg, x, W, OW, mu, s, sh, a)
					wg, wgd, wda := poolGo.stats(dy, arg, x, W, OW, mu, s, sh, a)
					n := float64(OH * OW)
					if !planeClose(g, float64(wg), n, 1e-6) || !planeClose(gd, float64(wgd), n, 1e-6) || !planeClose(da, float64(wda), n, 1e-6) {
						t.Errorf("%s: stats %g, %g, %g, want %g, %g, %g", name, g, gd, da, wg, wgd, wda)
					}
				}
				dx, want := make([]float32, H*W), make([]float32, H*W)
				NormActPool2x2Backward(dx, dy, arg, x, W, OW, mu, s, sh, a, k, kb, kc)
				poolGo.back(want, dy, arg, x, W, OW, mu, s, sh, a, k, kb, kc)
				for i := range dx {
					if !sameFloat(dx[i], want[i]) {
						t.Fatalf("%s: dx[%d] = %g, want %g", name, i, dx[i], want[i])
					}
				}
			}
		}
	}
}
