package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// forEachPlane runs f once per plane-loop implementation, with the exported
// functions switched to it.
func forEachPlane(t *testing.T, f func(t *testing.T)) {
	saved := plane
	defer func() { plane = saved }()
	for _, impl := range planeImpls() {
		plane = impl
		t.Run(impl.name, f)
	}
}

// planeLengths: every tail 0..70 and lengths that run the unrolled loops
// several times (a 56×56 plane among them).
var planeLengths = func() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 255, 1000, 1031, 3136)
}()

const planeGuard = float32(-7777)

// planeGuarded returns a slice of n values drawn by gen inside a buffer with
// 16 guard values on each side, and a check that the guards are intact.
func planeGuarded(n int, gen func(i int) float32) ([]float32, func(t *testing.T, what string)) {
	buf := make([]float32, n+32)
	for i := range buf {
		buf[i] = planeGuard
	}
	s := buf[16 : 16+n : 16+n]
	for i := range s {
		s[i] = gen(i)
	}
	return s, func(t *testing.T, what string) {
		t.Helper()
		for i := 0; i < 16; i++ {
			if buf[i] != planeGuard || buf[16+n+i] != planeGuard {
				t.Fatalf("%s n=%d: guard overwritten", what, n)
			}
		}
	}
}

// planeClose reports |got − want| ≤ tol·(1 + scale).
func planeClose(got float32, want, scale, tol float64) bool {
	return math.Abs(float64(got)-want) <= tol*(1+scale)
}

// signedValues draws values in [−1, 1) around an offset, with exact zeros
// sprinkled in (the PReLU boundary).
func signedValues(rng *rand.Rand, offset float32) func(int) float32 {
	return func(i int) float32 {
		if i%7 == 3 {
			return 0
		}
		return offset + 2*rng.Float32() - 1
	}
}

func TestPlaneReductions(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, n := range planeLengths {
			x, checkX := planeGuarded(n, signedValues(rng, 3))
			dy, checkDy := planeGuarded(n, signedValues(rng, 0))
			mu := float32(2.9)
			var s, q, sdy, sdyx, abs float64
			for i, v := range x {
				s += float64(v)
				d := float64(v) - float64(mu)
				q += d * d
				sdy += float64(dy[i])
				sdyx += float64(dy[i]) * d
				abs += math.Abs(float64(v))
			}
			if got := PlaneSum(x); !planeClose(got, s, abs, 1e-6) {
				t.Errorf("PlaneSum n=%d: %g, want %g", n, got, s)
			}
			if got := PlaneSqDev(x, mu); !planeClose(got, q, q, 1e-5) {
				t.Errorf("PlaneSqDev n=%d: %g, want %g", n, got, q)
			}
			gs, gsx := PlaneGradStats(dy, x, mu)
			if !planeClose(gs, sdy, float64(n), 1e-6) || !planeClose(gsx, sdyx, float64(n), 1e-5) {
				t.Errorf("PlaneGradStats n=%d: %g, %g, want %g, %g", n, gs, gsx, sdy, sdyx)
			}
			checkX(t, "reductions x")
			checkDy(t, "reductions dy")
		}
	})
}

func TestPlaneNorm(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, n := range planeLengths {
			in, checkIn := planeGuarded(n, signedValues(rng, 100))
			out, checkOut := planeGuarded(n, func(int) float32 { return 0 })
			mu, scale, shift := float32(100.25), float32(1.5), float32(-0.5)
			PlaneNorm(out, in, mu, scale, shift)
			for i, v := range in {
				want := (float64(v)-float64(mu))*float64(scale) + float64(shift)
				if !planeClose(out[i], want, 100*float64(scale), 1e-6) {
					t.Fatalf("PlaneNorm n=%d [%d]: %g, want %g", n, i, out[i], want)
				}
			}
			checkIn(t, "PlaneNorm in")
			checkOut(t, "PlaneNorm out")
			// In place.
			cp := append([]float32(nil), in...)
			PlaneNorm(in, in, mu, scale, shift)
			for i := range in {
				if in[i] != out[i] {
					t.Fatalf("PlaneNorm in place n=%d [%d]: %g, out of place %g (input %g)", n, i, in[i], out[i], cp[i])
				}
			}
		}
	})
}

func TestPlaneNormBackward(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		for _, n := range planeLengths {
			x, checkX := planeGuarded(n, signedValues(rng, 1))
			dy, checkDy := planeGuarded(n, signedValues(rng, 0))
			dx, checkDx := planeGuarded(n, func(int) float32 { return 0 })
			mu, k, b, c := float32(0.75), float32(2), float32(-0.25), float32(0.125)
			PlaneNormBackward(dx, dy, x, mu, k, b, c)
			for i := range dy {
				want := float64(dy[i])*float64(k) + (float64(x[i])-float64(mu))*float64(b) + float64(c)
				if !planeClose(dx[i], want, 4, 1e-6) {
					t.Fatalf("PlaneNormBackward n=%d [%d]: %g, want %g", n, i, dx[i], want)
				}
			}
			checkX(t, "x")
			checkDy(t, "dy")
			checkDx(t, "dx")
		}
	})
}

func TestPReLUPlane(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, n := range planeLengths {
			in, checkIn := planeGuarded(n, signedValues(rng, 0))
			out, checkOut := planeGuarded(n, func(int) float32 { return 0 })
			a := float32(0.3)
			PReLUPlane(out, in, a)
			for i, v := range in {
				want := v
				if !(v > 0) {
					want = a * v
				}
				if out[i] != want {
					t.Fatalf("PReLUPlane n=%d [%d]: %g, want %g", n, i, out[i], want)
				}
			}
			checkIn(t, "in")
			checkOut(t, "out")

			dy, checkDy := planeGuarded(n, signedValues(rng, 0))
			dx, checkDx := planeGuarded(n, func(int) float32 { return 0 })
			var da float64
			for i, v := range in {
				if v <= 0 {
					da += float64(dy[i]) * float64(v)
				}
			}
			got := PReLUPlaneBackward(dx, dy, in, a)
			if !planeClose(got, da, float64(n), 1e-6) {
				t.Errorf("PReLUPlaneBackward n=%d: Σ %g, want %g", n, got, da)
			}
			for i, v := range in {
				want := dy[i]
				if !(v > 0) {
					want = a * dy[i]
				}
				if dx[i] != want {
					t.Fatalf("PReLUPlaneBackward n=%d [%d]: %g, want %g", n, i, dx[i], want)
				}
			}
			checkDy(t, "dy")
			checkDx(t, "dx")
		}
	})
}

func TestReLUPlaneBackward(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, n := range planeLengths {
			x, checkX := planeGuarded(n, signedValues(rng, 0))
			dy, checkDy := planeGuarded(n, signedValues(rng, 0))
			dx, checkDx := planeGuarded(n, func(int) float32 { return 5 })
			ReLUPlaneBackward(dx, dy, x)
			for i, v := range x {
				want := float32(0)
				if v > 0 {
					want = dy[i]
				}
				if dx[i] != want {
					t.Fatalf("ReLUPlaneBackward n=%d [%d]: %g, want %g", n, i, dx[i], want)
				}
			}
			checkX(t, "x")
			checkDy(t, "dy")
			checkDx(t, "dx")
		}
	})
}

func TestPlaneNormAct(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, n := range planeLengths {
			for _, a := range []float32{0, 0.25} {
				x, checkX := planeGuarded(n, signedValues(rng, 0.5))
				dy, checkDy := planeGuarded(n, signedValues(rng, 0))
				out, checkOut := planeGuarded(n, func(int) float32 { return 0 })
				dx, checkDx := planeGuarded(n, func(int) float32 { return 0 })
				mu, s, sh := float32(0.5), float32(1.75), float32(0.0625)
				k, kb, kc := float32(1.5), float32(-0.25), float32(0.125)
				PlaneNormAct(out, x, mu, s, sh, a)
				gs, gsd, gda := PlaneNormActGradStats(dy, x, mu, s, sh, a)
				PlaneNormActBackward(dx, dy, x, mu, s, sh, a, k, kb, kc)
				var sg, sgd, sda float64
				for i, xv := range x {
					c := float64(xv) - float64(mu)
					v := c*float64(s) + float64(sh)
					g := float64(dy[i])
					want := v
					if !(v > 0) {
						want, g = float64(a)*v, float64(a)*g
						sda += float64(dy[i]) * v
					}
					sg += g
					sgd += g * c
					if !planeClose(out[i], want, 2, 1e-6) {
						t.Fatalf("PlaneNormAct n=%d a=%g [%d]: %g, want %g", n, a, i, out[i], want)
					}
					if wdx := g*float64(k) + c*float64(kb) + float64(kc); !planeClose(dx[i], wdx, 2, 1e-6) {
						t.Fatalf("PlaneNormActBackward n=%d a=%g [%d]: %g, want %g", n, a, i, dx[i], wdx)
					}
				}
				if !planeClose(gs, sg, float64(n), 1e-6) || !planeClose(gsd, sgd, float64(n), 1e-6) || !planeClose(gda, sda, float64(n), 1e-6) {
					t.Errorf("PlaneNormActGradStats n=%d a=%g: %g, %g, %g, want %g, %g, %g", n, a, gs, gsd, gda, sg, sgd, sda)
				}
				checkX(t, "x")
				checkDy(t, "dy")
				checkOut(t, "out")
				checkDx(t, "dx")
			}
		}
	})
}

func TestPReLUPlaneNaN(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		in := []float32{float32(math.NaN()), -1, 2}
		out := make([]float32, 3)
		PReLUPlane(out, in, 0.5)
		if !math.IsNaN(float64(out[0])) || out[1] != -0.5 || out[2] != 2 {
			t.Errorf("PReLUPlane(NaN, −1, 2) = %v", out)
		}
		dx := make([]float32, 3)
		if s := PReLUPlaneBackward(dx, []float32{1, 1, 1}, in, 0.5); s != -1 || dx[0] != 0.5 || dx[1] != 0.5 || dx[2] != 1 {
			t.Errorf("PReLUPlaneBackward at (NaN, −1, 2): Σ %g, dx %v", s, dx)
		}
	})
}

// TestPlaneNormActGradStatsNaN: a NaN input makes Σ g·(x − mu) NaN but is
// left out of the slope-gradient sum Σ dy·v over v ≤ 0 (v ≤ 0 is false for
// a NaN), on every implementation, in the 16-wide loop and in the tail.
func TestPlaneNormActGradStatsNaN(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		const n = 21
		x, dy := make([]float32, n), make([]float32, n)
		var want float64
		for i := range x {
			x[i], dy[i] = float32(i%5)-2, float32(i%3)-0.5
			if i == 3 || i == 18 {
				x[i] = float32(math.NaN())
			} else if x[i] <= 0 {
				want += float64(dy[i]) * float64(x[i])
			}
		}
		sg, sgd, sda := PlaneNormActGradStats(dy, x, 0, 1, 0, 0.25)
		if math.IsNaN(float64(sg)) || !math.IsNaN(float64(sgd)) || !(math.Abs(float64(sda)-want) <= 1e-5) {
			t.Errorf("PlaneNormActGradStats with NaN inputs: %g, %g, %g, want finite, NaN, %g", sg, sgd, sda, want)
		}
	})
}

// BenchmarkPlaneLoops measures the plane loops on a 56×56 plane (GB/s of
// floats read and written).
func BenchmarkPlaneLoops(b *testing.B) {
	const n = 56 * 56 * 64
	x, y, z := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], y[i] = float32(i%13)-6, float32(i%7)-3
	}
	run := func(name string, floats int, f func()) {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				f()
			}
			b.ReportMetric(float64(b.N)*float64(floats*4)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
	for _, impl := range planeImpls() {
		saved := plane
		plane = impl
		run(impl.name+"/sum", n, func() { PlaneSum(x) })
		run(impl.name+"/norm", 2*n, func() { PlaneNorm(z, x, 1, 2, 3) })
		run(impl.name+"/gradstats", 2*n, func() { PlaneGradStats(y, x, 1) })
		run(impl.name+"/normbackward", 3*n, func() { PlaneNormBackward(z, y, x, 1, 2, 3, 4) })
		run(impl.name+"/prelu", 2*n, func() { PReLUPlane(z, x, 0.25) })
		run(impl.name+"/prelubackward", 3*n, func() { PReLUPlaneBackward(z, y, x, 0.25) })
		run(impl.name+"/relubackward", 3*n, func() { ReLUPlaneBackward(z, y, x) })
		run(impl.name+"/normact", 2*n, func() { PlaneNormAct(z, x, 1, 2, 3, 0.25) })
		run(impl.name+"/normactstats", 2*n, func() { PlaneNormActGradStats(y, x, 1, 2, 3, 0.25) })
		run(impl.name+"/normactbackward", 3*n, func() { PlaneNormActBackward(z, y, x, 1, 2, 3, 0.25, 1, 2, 3) })
		plane = saved
	}
}

// TestPlaneNormInPlace checks that PlaneNorm and PlaneNormAct may write
// over their input (the inference path normalises a convolution's output
// where it lies): in place equals out of place, bit for bit.
func TestPlaneNormInPlace(t *testing.T) {
	forEachPlane(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, n := range planeLengths {
			x, _ := planeGuarded(n, signedValues(rng, 0.5))
			for _, a := range []float32{0, 0.25, -1} {
				want := make([]float32, n)
				inPlace, check := planeGuarded(n, func(i int) float32 { return x[i] })
				if a < 0 {
					PlaneNorm(want, x, 0.5, 1.75, 0.0625)
					PlaneNorm(inPlace, inPlace, 0.5, 1.75, 0.0625)
				} else {
					PlaneNormAct(want, x, 0.5, 1.75, 0.0625, a)
					PlaneNormAct(inPlace, inPlace, 0.5, 1.75, 0.0625, a)
				}
				for i := range want {
					if math.Float32bits(inPlace[i]) != math.Float32bits(want[i]) {
						t.Fatalf("n=%d a=%g [%d]: in place %g, out of place %g", n, a, i, inPlace[i], want[i])
					}
				}
				check(t, "in place")
			}
		}
	})
}
