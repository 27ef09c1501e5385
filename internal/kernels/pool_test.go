package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// forEachPool runs f once per fused-pooling implementation, with the
// exported functions switched to it.
func forEachPool(t *testing.T, f func(t *testing.T)) {
	saved := pool2x2
	defer func() { pool2x2 = saved }()
	for _, impl := range poolImpls() {
		pool2x2 = impl
		t.Run(impl.name, f)
	}
}

// poolShapes: every output width 1..35 (all tails of the 16-wide AVX-512,
// 8-wide AVX2 and 4-wide NEON loops), odd and even input sizes, tiny's
// planes, and planes 8 wide whose windows cover every row (the AVX2 flat
// loops: whole iterations and a tail).
var poolShapes = func() [][2]int {
	var hw [][2]int
	for w := 2; w <= 71; w++ {
		hw = append(hw, [2]int{2 + w%5, w})
	}
	return append(hw, [2]int{64, 64}, [2]int{32, 32}, [2]int{16, 16}, [2]int{8, 8}, [2]int{7, 9}, [2]int{2, 8}, [2]int{6, 8}, [2]int{10, 8})
}()

const poolGuardByte = 0xa5

// guardedBytes returns n bytes inside a buffer with 16 guard bytes on
// each side, and a check that the guards are intact.
func guardedBytes(n int) ([]uint8, func(t *testing.T, what string)) {
	buf := make([]uint8, n+32)
	for i := range buf {
		buf[i] = poolGuardByte
	}
	return buf[16 : 16+n : 16+n], func(t *testing.T, what string) {
		t.Helper()
		for i := 0; i < 16; i++ {
			if buf[i] != poolGuardByte || buf[16+n+i] != poolGuardByte {
				t.Fatalf("%s n=%d: guard overwritten", what, n)
			}
		}
	}
}

// poolInput draws values on a coarse grid (ties in the windows, and after
// the activation zeros of both signs), with NaNs when nan.
func poolInput(rng *rand.Rand, nan bool) func(int) float32 {
	return func(int) float32 {
		if nan && rng.IntN(23) == 0 {
			return float32(math.NaN())
		}
		if rng.IntN(2) == 0 {
			return float32(rng.IntN(5)-2) * 0.5
		}
		return 2*rng.Float32() - 1
	}
}

// sameFloat is bit equality, any NaN equal to any NaN.
func sameFloat(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// TestNormActPool2x2 checks each implementation against the unfused loops
// of the plane implementation of the same name: PlaneNormAct's values
// pooled with Go's max and the first maximum's window index, and
// PlaneNormActBackward over the scattered gradient, bit for bit;
// PlaneNormActGradStats, whose sums run over the whole plane, to float32
// rounding. Every output width, guards around every slice.
func TestNormActPool2x2(t *testing.T) {
	forEachPool(t, func(t *testing.T) {
		ref := planeImplNamed(t, pool2x2.name)
		rng := rand.New(rand.NewPCG(21, 22))
		for _, hw := range poolShapes {
			H, W := hw[0], hw[1]
			OH, OW := H/2, W/2
			for _, c := range []struct {
				a   float32
				nan bool
			}{{0, false}, {0.25, false}, {0, true}, {0.25, true}} {
				name := fmt.Sprintf("%d×%d a=%g nan=%v", H, W, c.a, c.nan)
				mu, s, sh := float32(0.125), float32(1.5), float32(0.0625)
				k, kb, kc := float32(1.25), float32(-0.375), float32(0.5)
				x, checkX := planeGuarded(H*W, poolInput(rng, c.nan))
				out, checkOut := planeGuarded(OH*OW, func(int) float32 { return 0 })
				vals, checkVals := planeGuarded(OH*OW, func(int) float32 { return 0 })
				arg, checkArg := guardedBytes(OH * OW)
				NormActPool2x2(out, arg, x, W, OW, mu, s, sh, c.a)
				NormActPool2x2(vals, nil, x, W, OW, mu, s, sh, c.a)
				// The unfused reference.
				y := make([]float32, H*W)
				ref.normAct(y, x, mu, s, sh, c.a)
				scattered := make([]float32, H*W)
				dy := make([]float32, OH*OW)
				for j := range dy {
					dy[j] = 2*rng.Float32() - 1
				}
				for oy := 0; oy < OH; oy++ {
					for ox := 0; ox < OW; ox++ {
						j, p := oy*OW+ox, 2*oy*W+2*ox
						w := [4]float32{y[p], y[p+1], y[p+W], y[p+W+1]}
						best, at := max(w[0], w[1], w[2], w[3]), uint8(3)
						for q := 3; q >= 0; q-- {
							if w[q] == best {
								at = uint8(q)
							}
						}
						if !sameFloat(out[j], best) || !sameFloat(vals[j], best) || arg[j] != at {
							t.Fatalf("%s output %d: %g (values only %g) at %d, want %g at %d (window %v)", name, j, out[j], vals[j], arg[j], best, at, w)
						}
						scattered[p+windowOffset(at, W)] = dy[j]
					}
				}
				wg, wgd, wda := ref.normActStats(scattered, x, mu, s, sh, c.a)
				g, gd, da := NormActPool2x2GradStats(dy, arg, x, W, OW, mu, s, sh, c.a)
				if !c.nan {
					n := float64(OH * OW)
					if !planeClose(g, float64(wg), n, 1e-6) || !planeClose(gd, float64(wgd), n, 1e-6) || !planeClose(da, float64(wda), n, 1e-6) {
						t.Errorf("%s: stats %g, %g, %g, want %g, %g, %g", name, g, gd, da, wg, wgd, wda)
					}
				}
				want := make([]float32, H*W)
				ref.normActBack(want, scattered, x, mu, s, sh, c.a, k, kb, kc)
				dx, checkDx := planeGuarded(H*W, func(int) float32 { return 9 })
				NormActPool2x2Backward(dx, dy, arg, x, W, OW, mu, s, sh, c.a, k, kb, kc)
				for i := range want {
					if want[i] != want[i] {
						if dx[i] == dx[i] {
							t.Fatalf("%s: dx[%d] = %g, want NaN", name, i, dx[i])
						}
					} else if math.Float32bits(dx[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s: dx[%d] = %g, want %g", name, i, dx[i], want[i])
					}
				}
				checkX(t, name+" x")
				checkOut(t, name+" out")
				checkVals(t, name+" values")
				checkArg(t, name+" arg")
				checkDx(t, name+" dx")
			}
		}
	})
}

// planeImplNamed is the plane-loop implementation called name.
func planeImplNamed(t *testing.T, name string) planeImpl {
	for _, impl := range planeImpls() {
		if impl.name == name {
			return impl
		}
	}
	t.Fatalf("no plane implementation %q", name)
	return planeImpl{}
}

// BenchmarkNormActPool2x2 measures the fused loops on 64 planes of each of
// tiny's sizes (GB/s of input and output bytes).
func BenchmarkNormActPool2x2(b *testing.B) {
	const planes = 64
	for _, W := range []int{64, 32, 16, 8} {
		hw := W * W
		x, dx := make([]float32, planes*hw), make([]float32, planes*hw)
		out, arg := make([]float32, planes*hw/4), make([]uint8, planes*hw/4)
		for i := range x {
			x[i] = float32(i%13) - 6
		}
		run := func(name string, bytes int, f func(x, dx, out []float32, arg []uint8)) {
			b.Run(fmt.Sprintf("%s/%dx%d", name, W, W), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					for p := 0; p < planes; p++ {
						f(x[p*hw:(p+1)*hw], dx[p*hw:(p+1)*hw], out[p*hw/4:(p+1)*hw/4], arg[p*hw/4:(p+1)*hw/4])
					}
				}
				b.ReportMetric(float64(b.N)*float64(planes*bytes)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
		for _, impl := range poolImpls() {
			saved := pool2x2
			pool2x2 = impl
			run(impl.name+"/forward", hw*4+hw/4*5, func(x, _, out []float32, arg []uint8) {
				NormActPool2x2(out, arg, x, W, W/2, 1, 2, 3, 0)
			})
			run(impl.name+"/stats", hw*4+hw/4*5, func(x, _, out []float32, arg []uint8) {
				NormActPool2x2GradStats(out, arg, x, W, W/2, 1, 2, 3, 0)
			})
			run(impl.name+"/backward", 2*hw*4+hw/4*5, func(x, dx, out []float32, arg []uint8) {
				NormActPool2x2Backward(dx, out, arg, x, W, W/2, 1, 2, 3, 0, 1, 2, 3)
			})
			pool2x2 = saved
		}
	}
}
