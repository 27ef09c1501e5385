//go:build !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestNarrowKernelsMatchWide checks that the narrow micro-kernels give, bit
// for bit, the wide kernels' result on the columns they cover, for every
// row and column count, with and without beta, and leave the rest of C
// alone (guard values). A whole narrow block is compared with the wide
// kernel's whole block: the AVX2 wide kernel would take a block of 8
// columns through its edge buffer, which applies beta without a fused
// multiply-add (the same result for beta 0 and 1, the values the GEMMs of
// the networks use).
func TestNarrowKernelsMatchWide(t *testing.T) {
	type pair struct {
		name           string
		ok             bool
		mr, nr, narrow int
		wide, thin     func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32)
	}
	avx512 := func(kernel func(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32, rows int, mlo, mhi uint16)) func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
		return func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
			kernel(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc, alpha, beta, rows, lanes(min(cols, 16)), lanes(cols-16))
		}
	}
	pairs := []pair{
		{"avx512", hasAVX512, 8, 32, 16, avx512(sgemmKernelAVX512), avx512(sgemmKernelAVX512Narrow)},
		{"avx2", hasAVX2, 6, 16, 8, withEdges(avx2Block(sgemmKernelAVX2, 16), 6, 16), withEdges(avx2Block(sgemmKernelAVX2Narrow, 8), 6, 8)},
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			if !p.ok {
				t.Skipf("this CPU has no %s path", p.name)
			}
			rng := rand.New(rand.NewPCG(21, 22))
			const ldc = 40
			for _, k := range []int{1, 3, 4, 7, 64, 193} {
				ap := make([]float32, p.mr*k)
				bp := make([]float32, p.nr*k)
				for i := range ap {
					ap[i] = rng.Float32()*2 - 1
				}
				for i := range bp {
					bp[i] = rng.Float32()*2 - 1
				}
				c0 := make([]float32, p.mr*ldc)
				for i := range c0 {
					c0[i] = rng.Float32()*2 - 1
				}
				for rows := 1; rows <= p.mr; rows++ {
					for cols := 1; cols <= p.narrow; cols++ {
						for _, beta := range []float32{0, 0.75} {
							wideCols := cols
							if rows == p.mr && cols == p.narrow {
								wideCols = p.nr
							}
							want := append([]float32(nil), c0...)
							got := append([]float32(nil), c0...)
							p.wide(k, ap, bp, want, ldc, rows, wideCols, 1.5, beta)
							p.thin(k, ap, bp, got, ldc, rows, cols, 1.5, beta)
							for i := range got {
								w := c0[i]
								if i/ldc < rows && i%ldc < cols {
									w = want[i]
								}
								if math.Float32bits(got[i]) != math.Float32bits(w) {
									t.Fatalf("k=%d rows=%d cols=%d beta=%g: c[%d][%d] = %g, want %g", k, rows, cols, beta, i/ldc, i%ldc, got[i], w)
								}
							}
						}
					}
				}
			}
		})
	}
}
