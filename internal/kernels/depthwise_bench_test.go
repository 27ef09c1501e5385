package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// dwBenchCase is one depthwise convolution of MobileFaceNet (112×112 input)
// on one image, with its inputs and the FLOPs of its forward pass (2 per
// multiply-add; the backward pass does twice as many).
type dwBenchCase struct {
	name             string
	g                ConvGeom
	in, w, out, dIn  []float32
	dW               []float32
	forward, backFlo float64
}

// dwBenchCases returns MobileFaceNet's depthwise convolutions: the 3×3
// stride-1 ones of each stage, the stride-2 ones between stages and the
// global 7×7 one.
func dwBenchCases() []dwBenchCase {
	geoms := []ConvGeom{
		{C: 64, H: 56, W: 56, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{C: 128, H: 56, W: 56, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},
		{C: 128, H: 28, W: 28, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{C: 256, H: 28, W: 28, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},
		{C: 256, H: 14, W: 14, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{C: 512, H: 14, W: 14, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},
		{C: 256, H: 7, W: 7, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{C: 512, H: 7, W: 7, KH: 7, KW: 7, SH: 1, SW: 1},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var cs []dwBenchCase
	for _, g := range geoms {
		c := dwBenchCase{
			name: fmt.Sprintf("%dx%dx%d/k%ds%d", g.C, g.H, g.W, g.KH, g.SH),
			g:    g,
			in:   make([]float32, g.C*g.H*g.W),
			w:    make([]float32, g.C*g.KH*g.KW),
			out:  make([]float32, g.C*g.OutH()*g.OutW()),
			dIn:  make([]float32, g.C*g.H*g.W),
			dW:   make([]float32, g.C*g.KH*g.KW),
		}
		fill(rng, c.in)
		fill(rng, c.w)
		c.forward = 2 * float64(len(c.out)*g.KH*g.KW)
		c.backFlo = 2 * c.forward
		cs = append(cs, c)
	}
	return cs
}

// BenchmarkDepthwise measures MobileFaceNet's depthwise convolutions of one
// image, forward and backward (input and filter gradients), in GFLOP/s.
func BenchmarkDepthwise(b *testing.B) {
	for _, c := range dwBenchCases() {
		b.Run("forward/"+c.name, func(b *testing.B) {
			for b.Loop() {
				DepthwiseConv(c.out, c.in, c.w, c.g)
			}
			b.ReportMetric(c.forward*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run("backward/"+c.name, func(b *testing.B) {
			for b.Loop() {
				DepthwiseConvBackward(c.dIn, c.dW, c.out, c.in, c.w, c.g)
			}
			b.ReportMetric(c.backFlo*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkDepthwiseCold runs MobileFaceNet's 3×3 depthwise convolutions
// image by image over a batch of 64 MB of input (more than the caches hold,
// so every image is read from memory), forward and backward; ns/op is per
// image, comparable with BenchmarkDepthwise's (the image in cache).
func BenchmarkDepthwiseCold(b *testing.B) {
	saved := dw
	defer func() { dw = saved }()
	for _, c := range dwBenchCases() {
		if !is3x3(c.g) {
			continue
		}
		hw, ohw := len(c.in), len(c.out)
		n := (16 << 20) / hw
		in, out, dIn := make([]float32, n*hw), make([]float32, n*ohw), make([]float32, n*hw)
		for i := range in { // every page touched before the timing
			in[i], dIn[i] = float32(i%7)-3, 0
		}
		for i := range out {
			out[i] = float32(i%5) - 2
		}
		run := func(name string, image func(i int)) {
			for _, impl := range dwImpls() {
				dw = impl
				b.Run(name+"/"+c.name+"/"+impl.name, func(b *testing.B) {
					i := 0
					for b.Loop() {
						image(i)
						i = (i + 1) % n
					}
					b.ReportMetric(float64(n), "images")
				})
			}
		}
		run("forward", func(i int) {
			DepthwiseConv(out[i*ohw:(i+1)*ohw], in[i*hw:(i+1)*hw], c.w, c.g)
		})
		run("backward", func(i int) {
			DepthwiseConvBackward(dIn[i*hw:(i+1)*hw], c.dW, out[i*ohw:(i+1)*ohw], in[i*hw:(i+1)*hw], c.w, c.g)
		})
	}
}
