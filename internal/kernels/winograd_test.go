package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// winoMats are the F(m×m, 3×3) matrices Bᵀ (n × n), G (n × 3) and Aᵀ
// (m × n), n = m+2, as in the comment of winograd.go.
type winoMats struct{ BT, G, AT [][]float64 }

var winoMatrices = map[int]winoMats{
	2: {
		BT: [][]float64{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
		G:  [][]float64{{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}},
		AT: [][]float64{{1, 1, 1, 0}, {0, 1, -1, -1}},
	},
	4: {
		BT: [][]float64{{4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0}, {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}},
		G:  [][]float64{{1. / 4, 0, 0}, {-1. / 6, -1. / 6, -1. / 6}, {-1. / 6, 1. / 6, -1. / 6}, {1. / 24, 1. / 12, 1. / 6}, {1. / 24, -1. / 12, 1. / 6}, {0, 0, 1}},
		AT: [][]float64{{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}},
	},
}

// winoSizes are the tile sizes.
var winoSizes = []int{2, 4}

// winogradGeoms are the shapes the Winograd kernels are checked on, for
// tile size m: every plane of 1…9 rows × 1…9 columns, and rows longer
// than one chunk of tiles.
func winogradGeoms(m int) []WinogradGeom {
	var gs []WinogradGeom
	for h := 1; h <= 9; h++ {
		for w := 1; w <= 9; w++ {
			gs = append(gs, WinogradGeom{C: 1 + (h+w)%3, K: 1 + (h*w)%4, H: h, W: w, M: m})
		}
	}
	return append(gs, WinogradGeom{C: 2, K: 3, H: 3, W: m*winoQ + 3, M: m}, WinogradGeom{C: 17, K: 18, H: 5, W: m*winoQ - 1, M: m})
}

// winoBlocks cuts the tile rows of n images into blocks of 1…3 rows.
func winoBlocks(rng *rand.Rand, rows int) [][2]int {
	var bs [][2]int
	for r := 0; r < rows; {
		e := min(rows, r+1+rng.IntN(3))
		bs = append(bs, [2]int{r, e})
		r = e
	}
	return bs
}

func TestWinogradFilterMatchesMatrices(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, m := range winoSizes {
		g, G, n := WinogradGeom{C: 3, K: 5, M: m}, winoMatrices[m].G, m+2
		w := make([]float32, g.K*g.C*9)
		fill(rng, w)
		u, full := guarded(g.Positions()*g.K*g.C, 7)
		WinogradFilter(u, w, g, 0, g.K)
		checkGuards(t, "WinogradFilter", full, 7)
		for kc := range g.K * g.C {
			for a := range n {
				for b := range n {
					var s float64 // (G f Gᵀ)[a][b]
					for r := range 3 {
						for q := range 3 {
							s += G[a][r] * float64(w[kc*9+3*r+q]) * G[b][q]
						}
					}
					if got := u[(n*a+b)*g.K*g.C+kc]; !closeTo(got, s, 1e-6) {
						t.Fatalf("m=%d: u[%d][%d] = %v, want %v", m, n*a+b, kc, got, s)
					}
				}
			}
		}
	}
}

func TestWinogradInputMatchesMatrices(t *testing.T) { forEachWino(t, testWinogradInputMatchesMatrices) }

func testWinogradInputMatchesMatrices(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, g := range slices.Concat(winogradGeoms(2), winogradGeoms(4)) {
		n, m, np, BT := 2, g.M, g.M+2, winoMatrices[g.M].BT
		x := make([]float32, n*g.C*g.H*g.W)
		fill(rng, x)
		th, tw := g.TileRows(), g.TileCols()
		for _, bl := range winoBlocks(rng, n*th) {
			P := (bl[1] - bl[0]) * tw
			v, full := guarded(g.Positions()*g.C*P, 5)
			WinogradInput(v, x, g, bl[0], bl[1])
			checkGuards(t, "WinogradInput", full, 5)
			for r := bl[0]; r < bl[1]; r++ {
				img, ti := r/th, r%th
				for c := range g.C {
					for tj := range tw {
						q := (r-bl[0])*tw + tj
						for a := range np {
							for b := range np {
								var s, sa float64 // (Bᵀ d B)[a][b], the sum of its terms' magnitudes
								for i := range np {
									for j := range np {
										d := at(x[img*g.C*g.H*g.W:], ConvGeom{C: g.C, H: g.H, W: g.W}, c, m*ti-1+i, m*tj-1+j)
										s += BT[a][i] * d * BT[b][j]
										sa += math.Abs(BT[a][i] * d * BT[b][j])
									}
								}
								// float32 sums of terms up to 25·|d|: a few roundings of sa
								if got := v[(np*a+b)*g.C*P+c*P+q]; math.Abs(float64(got)-s) > 1e-6*(1+sa) {
									t.Fatalf("%+v rows %v: v[%d][%d][%d] = %v, want %v", g, bl, np*a+b, c, q, got, s)
								}
							}
						}
					}
				}
			}
		}
	}
}

func TestWinogradOutputMatchesMatrices(t *testing.T) {
	forEachWino(t, testWinogradOutputMatchesMatrices)
}

func testWinogradOutputMatchesMatrices(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, g := range slices.Concat(winogradGeoms(2), winogradGeoms(4)) {
		n, mt, np, AT := 2, g.M, g.M+2, winoMatrices[g.M].AT
		th, tw := g.TileRows(), g.TileCols()
		y, full := guarded(n*g.K*g.H*g.W, 5)
		want := make([]float64, len(y))
		tol := make([]float64, len(y)) // 1e-6·(1 + the sum of the terms' magnitudes)
		for _, bl := range winoBlocks(rng, n*th) {
			P := (bl[1] - bl[0]) * tw
			m := make([]float32, g.Positions()*g.K*P)
			fill(rng, m)
			WinogradOutput(y, m, g, bl[0], bl[1])
			for r := bl[0]; r < bl[1]; r++ {
				img, ti := r/th, r%th
				for k := range g.K {
					for tj := range tw {
						q := (r-bl[0])*tw + tj
						for i := range mt {
							for j := range mt {
								var s, sa float64 // (Aᵀ M A)[i][j], the sum of its terms' magnitudes
								for a := range np {
									for b := range np {
										s += AT[i][a] * float64(m[(np*a+b)*g.K*P+k*P+q]) * AT[j][b]
										sa += math.Abs(AT[i][a] * float64(m[(np*a+b)*g.K*P+k*P+q]) * AT[j][b])
									}
								}
								if mt*ti+i < g.H && mt*tj+j < g.W {
									want[((img*g.K+k)*g.H+mt*ti+i)*g.W+mt*tj+j] = s
									tol[((img*g.K+k)*g.H+mt*ti+i)*g.W+mt*tj+j] = 1e-6 * (1 + sa)
								}
							}
						}
					}
				}
			}
		}
		checkGuards(t, "WinogradOutput", full, 5)
		for i, w := range want {
			if math.Abs(float64(y[i])-w) > tol[i] {
				t.Fatalf("%+v: y[%d] = %v, want %v", g, i, y[i], w)
			}
		}
	}
}

// dot64 is Σ x·y in float64.
func dot64(x, y []float32) float64 {
	var s float64
	for i := range x {
		s += float64(x[i]) * float64(y[i])
	}
	return s
}

// TestWinogradGradientsAreAdjoint checks each gradient transform against
// its forward transform: ⟨T(x), d⟩ = ⟨x, Tᵀ(d)⟩, and that the input and
// filter gradients accumulate and the output gradient overwrites (guard
// values around each).
func TestWinogradGradientsAreAdjoint(t *testing.T) { forEachWino(t, testWinogradGradientsAreAdjoint) }

func testWinogradGradientsAreAdjoint(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, g := range slices.Concat(winogradGeoms(2), winogradGeoms(4)) {
		n := 2
		th, tw := g.TileRows(), g.TileCols()
		bl := winoBlocks(rng, n*th)
		x := make([]float32, n*g.C*g.H*g.W)
		dy := make([]float32, n*g.K*g.H*g.W)
		fill(rng, x)
		fill(rng, dy)
		base := make([]float32, len(x))
		fill(rng, base)
		dx, fullX := guarded(len(x), 5)
		copy(dx, base)
		var lhsIn, lhsOut, rhsOut float64
		for _, b := range bl {
			P := (b[1] - b[0]) * tw
			v := make([]float32, g.Positions()*g.C*P)
			dv := make([]float32, len(v))
			fill(rng, dv)
			WinogradInput(v, x, g, b[0], b[1])
			lhsIn += dot64(v, dv)
			WinogradInputGrad(dx, dv, g, b[0], b[1])

			m := make([]float32, g.Positions()*g.K*P)
			fill(rng, m)
			y := make([]float32, len(dy))
			WinogradOutput(y, m, g, b[0], b[1])
			lhsOut += dot64(y, dy)
			dm, fullM := guarded(len(m), 5)
			fill(rng, dm)
			WinogradOutputGrad(dm, dy, g, b[0], b[1])
			checkGuards(t, "WinogradOutputGrad", fullM, 5)
			rhsOut += dot64(m, dm)
		}
		checkGuards(t, "WinogradInputGrad", fullX, 5)
		for i := range dx {
			dx[i] -= base[i]
		}
		if rhs := dot64(x, dx); math.Abs(lhsIn-rhs) > 1e-4*(1+math.Abs(rhs)) {
			t.Fatalf("%+v: input: ⟨V(x), dv⟩ = %v, ⟨x, Vᵀ(dv)⟩ = %v", g, lhsIn, rhs)
		}
		if math.Abs(lhsOut-rhsOut) > 1e-4*(1+math.Abs(rhsOut)) {
			t.Fatalf("%+v: output: ⟨Y(m), dy⟩ = %v, ⟨m, Yᵀ(dy)⟩ = %v", g, lhsOut, rhsOut)
		}
	}
	for _, m := range winoSizes {
		g := WinogradGeom{C: 3, K: 4, M: m}
		w := make([]float32, g.K*g.C*9)
		du := make([]float32, g.Positions()*g.K*g.C)
		u := make([]float32, len(du))
		fill(rng, w)
		fill(rng, du)
		WinogradFilter(u, w, g, 0, g.K)
		dw, full := guarded(len(w), 5)
		fill(rng, dw)
		base := slices.Clone(dw)
		WinogradFilterGrad(dw, du, g, 0, g.K)
		checkGuards(t, "WinogradFilterGrad", full, 5)
		for i := range dw {
			dw[i] -= base[i]
		}
		if l, r := dot64(u, du), dot64(w, dw); math.Abs(l-r) > 1e-4*(1+math.Abs(r)) {
			t.Fatalf("m=%d: filter: ⟨U(w), du⟩ = %v, ⟨w, Uᵀ(du)⟩ = %v", m, l, r)
		}
	}
}

// winogradConv is the whole Winograd convolution of x (n × C × H × W) with
// w (K × C × 3 × 3) over the given blocks of tile rows.
func winogradConv(y, x, w []float32, g WinogradGeom, blocks [][2]int) {
	T := g.Positions()
	u := make([]float32, T*g.K*g.C)
	WinogradFilter(u, w, g, 0, g.K)
	for _, b := range blocks {
		P := (b[1] - b[0]) * g.TileCols()
		v := make([]float32, T*g.C*P)
		m := make([]float32, T*g.K*P)
		WinogradInput(v, x, g, b[0], b[1])
		for xi := range T {
			Sgemm(false, false, g.K, P, g.C, 1, u[xi*g.K*g.C:], g.C, v[xi*g.C*P:], P, 0, m[xi*g.K*P:], P)
		}
		WinogradOutput(y, m, g, b[0], b[1])
	}
}

// winoConvTol is the tolerance of the Winograd convolution against the
// direct one, relative to √C·(1+|y|): measured maxima over the shapes of
// TestWinogradConvMatchesDirect (which logs them) 7.2e-7 for F(2×2) and
// 1.8e-5 for F(4×4) (its transforms' coefficients up to 25 and 8 amplify
// the float32 rounding of V and M), with a margin of 3×.
var winoConvTol = map[int]float64{2: 2e-5, 4: 6e-5}

func TestWinogradConvMatchesDirect(t *testing.T) { forEachWino(t, testWinogradConvMatchesDirect) }

func testWinogradConvMatchesDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var gs []WinogradGeom
	for _, m := range winoSizes {
		gs = append(gs, WinogradGeom{C: 1, K: 1, H: 1, W: 1, M: m}, WinogradGeom{C: 17, K: 33, H: 7, W: 9, M: m},
			WinogradGeom{C: 32, K: 20, H: 8, W: 8, M: m}, WinogradGeom{C: 5, K: 3, H: 12, W: m*winoQ + 5, M: m})
		for range 20 {
			gs = append(gs, WinogradGeom{C: 1 + rng.IntN(40), K: 1 + rng.IntN(40), H: 1 + rng.IntN(15), W: 1 + rng.IntN(15), M: m})
		}
	}
	var worst [5]float64 // per tile size: max |error| / (√C·(1+|y|))
	defer func() { t.Logf("max error / (√C·(1+|y|)): F(2×2) %.3g, F(4×4) %.3g", worst[2], worst[4]) }()
	for _, g := range gs {
		for _, n := range []int{1, 3} {
			t.Run(fmt.Sprintf("%+v/n=%d", g, n), func(t *testing.T) {
				x := make([]float32, n*g.C*g.H*g.W)
				w := make([]float32, g.K*g.C*9)
				fill(rng, x)
				fill(rng, w)
				y, full := guarded(n*g.K*g.H*g.W, 9)
				winogradConv(y, x, w, g, winoBlocks(rng, n*g.TileRows()))
				checkGuards(t, "winograd conv", full, 9)
				cg := ConvGeom{C: g.C, H: g.H, W: g.W}
				for i := range n {
					img := x[i*g.C*g.H*g.W:]
					for k := range g.K {
						for oy := range g.H {
							for ox := range g.W {
								var s float64
								for c := range g.C {
									for p := range 3 {
										for q := range 3 {
											s += float64(w[(k*g.C+c)*9+3*p+q]) * at(img, cg, c, oy-1+p, ox-1+q)
										}
									}
								}
								got := y[((i*g.K+k)*g.H+oy)*g.W+ox]
								worst[g.M] = max(worst[g.M], math.Abs(float64(got)-s)/(math.Sqrt(float64(g.C))*(1+math.Abs(s))))
								if !closeTo(got, s, winoConvTol[g.M]*math.Sqrt(float64(g.C))) {
									t.Fatalf("y[%d][%d][%d][%d] = %v, want %v", i, k, oy, ox, got, s)
								}
							}
						}
					}
				}
			})
		}
	}
}
