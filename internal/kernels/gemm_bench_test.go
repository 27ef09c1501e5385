package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchShapes are the M×N×K products of the SGEMM benchmarks: cubes and
// the convolution GEMMs of a ResNet-style network at 112×112 input.
var benchShapes = [][3]int{
	{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024},
	{64, 3136, 576}, {128, 784, 1152}, {256, 196, 2304}, {512, 49, 4608},
}

func benchGemm(b *testing.B, threads int) {
	for _, s := range benchShapes {
		m, n, k := s[0], s[1], s[2]
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			a := make([]float32, m*k)
			bb := make([]float32, k*n)
			c := make([]float32, m*n)
			fill(rng, a)
			fill(rng, bb)
			SetThreads(threads)
			defer SetThreads(0)
			b.ResetTimer()
			for b.Loop() {
				Sgemm(false, false, m, n, k, 1, a, k, bb, n, 0, c, n)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkSgemm1Thread(b *testing.B) { benchGemm(b, 1) }
func BenchmarkSgemmThreads(b *testing.B) { benchGemm(b, 0) }

// BenchmarkConvGemm compares, on one thread, a convolution done as Im2col
// followed by Sgemm with SgemmConv on weights packed once (the conv shapes
// of benchShapes: 3×3, stride 1, pad 1).
func BenchmarkConvGemm(b *testing.B) {
	for _, cs := range convBenchCases() {
		g, m, n, k, w, img, c, col, flops := cs.g, cs.m, cs.n, cs.k, cs.w, cs.img, cs.c, cs.col, cs.flops
		b.Run(fmt.Sprintf("im2col+sgemm/%dx%dx%d", m, n, k), func(b *testing.B) {
			for b.Loop() {
				Im2col(col, img, g)
				SgemmSerial(false, false, m, n, k, 1, w, k, col, n, 0, c, n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("packed-conv/%dx%dx%d", m, n, k), func(b *testing.B) {
			var pa PackedA
			pa.Pack(false, m, k, w, k)
			for b.Loop() {
				SgemmConvSerial(&pa, img, g, 1, 0, c, n)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// convBenchCase is one convolution of the conv-GEMM benchmarks (3×3, stride
// 1, pad 1, C = Cout): its geometry, GEMM sizes m×n×k, random weights w
// (m×k) and image img (C×H×W), output c (m×n), im2col buffer col (k×n) and
// the FLOPs of one product.
type convBenchCase struct {
	g              ConvGeom
	m, n, k        int
	w, img, c, col []float32
	flops          float64
}

// convBenchCases returns the conv-GEMM benchmark cases: Cout×HW of 64×56²,
// 128×28², 256×14² and 512×7².
func convBenchCases() []convBenchCase {
	var cases []convBenchCase
	for _, s := range [][2]int{{64, 56}, {128, 28}, {256, 14}, {512, 7}} {
		cout, hw := s[0], s[1]
		g := ConvGeom{C: cout, H: hw, W: hw, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1}
		m, n, k := cout, hw*hw, g.ColRows()
		rng := rand.New(rand.NewPCG(1, 1))
		cs := convBenchCase{g: g, m: m, n: n, k: k, flops: 2 * float64(m*n*k),
			w: make([]float32, m*k), img: make([]float32, g.C*g.H*g.W),
			c: make([]float32, m*n), col: make([]float32, k*n)}
		fill(rng, cs.w)
		fill(rng, cs.img)
		cases = append(cases, cs)
	}
	return cases
}
