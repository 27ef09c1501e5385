package data

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func ramp(c, s int) []uint8 {
	src := make([]uint8, c*s*s)
	for i := range src {
		src[i] = uint8(i * 37 % 251)
	}
	return src
}

func TestAugmentOffIsNormalize(t *testing.T) {
	src := ramp(3, 6)
	got, want := make([]float32, len(src)), make([]float32, len(src))
	Augment{}.Apply(got, src, 3, 6, rand.New(rand.NewPCG(1, 2)))
	Normalize(want, src)
	if !slices.Equal(got, want) {
		t.Fatal("augmentation with everything off changes the image")
	}
}

// identityLUT maps each byte to its own value as a float.
var identityLUT = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v)
	}
	return t
}()

func TestAugmentFlipAndShift(t *testing.T) {
	src := ramp(1, 5)
	want := make([]float32, 25)
	Normalize(want, src)
	FlipHorizontal(want, 1, 5, 5)
	flipped := 0
	for seed := uint64(0); seed < 40; seed++ {
		got := make([]float32, 25)
		Augment{Flip: true}.Apply(got, src, 1, 5, rand.New(rand.NewPCG(seed, 0)))
		if slices.Equal(got, want) {
			flipped++
		}
	}
	if flipped < 10 || flipped > 30 {
		t.Fatalf("flipped %d of 40 times, want about half", flipped)
	}
	// A whole-pixel shift moves values exactly, replicating the edge.
	dst := make([]float32, 25)
	resample(dst, src, 1, 5, 1, 1, 0, false, &identityLUT)
	for y := 0; y < 5; y++ {
		for x := 0; x < 5; x++ {
			if w := float32(src[y*5+max(x-1, 0)]); dst[y*5+x] != w {
				t.Fatalf("shift by 1: (%d,%d) = %v want %v", x, y, dst[y*5+x], w)
			}
		}
	}
	// Without zoom the shift is a copy by whole pixels; with the mirror too.
	a := make([]float32, 25)
	shiftCopy(a, src, 1, 5, 2, -1, true, &identityLUT)
	for y := 0; y < 5; y++ {
		for x := 0; x < 5; x++ {
			sx, sy := min(max(4-x-2, 0), 4), min(max(y+1, 0), 4)
			if a[y*5+x] != float32(src[sy*5+sx]) {
				t.Fatalf("shift (2,−1) mirrored: (%d,%d) = %v want %v", x, y, a[y*5+x], src[sy*5+sx])
			}
		}
	}
	// Mirroring after a zoom equals mirroring the zoomed image.
	z, zf := make([]float32, 25), make([]float32, 25)
	resample(z, src, 1, 5, 1.3, 0.4, 0.2, false, &identityLUT)
	resample(zf, src, 1, 5, 1.3, 0.4, 0.2, true, &identityLUT)
	FlipHorizontal(z, 1, 5, 5)
	if !slices.Equal(z, zf) {
		t.Fatal("mirrored resample differs from the mirrored image")
	}
	// Zooming in by 2 about the centre of a 4×4 image reads output pixel 0
	// at source (0 + ½ − 2)/2 + 2 − ½ = 0.75 in both directions.
	src4 := ramp(1, 4)
	dst4 := make([]float32, 16)
	resample(dst4, src4, 1, 4, 2, 0, 0, false, &identityLUT)
	v := func(x, y int) float32 { return float32(src4[y*4+x]) }
	want00 := 0.25*(0.25*v(0, 0)+0.75*v(1, 0)) + 0.75*(0.25*v(0, 1)+0.75*v(1, 1))
	if d := dst4[0] - want00; d > 1e-4 || d < -1e-4 {
		t.Fatalf("zoom 2: (0,0) = %v want %v", dst4[0], want00)
	}
}

func TestAugmentPhotometric(t *testing.T) {
	src := ramp(3, 8)
	a := Augment{Flip: true, Shift: 0.1, Scale: 0.1, Brightness: 0.3, Contrast: 0.3, Grey: 1}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	x, y := make([]float32, len(src)), make([]float32, len(src))
	a.Apply(x, src, 3, 8, rand.New(rand.NewPCG(5, 6)))
	a.Apply(y, src, 3, 8, rand.New(rand.NewPCG(5, 6)))
	if !slices.Equal(x, y) {
		t.Fatal("same generator state, different result")
	}
	for i := 0; i < 64; i++ {
		if x[i] != x[64+i] || x[i] != x[128+i] {
			t.Fatal("grey=1 leaves colour")
		}
	}
	for _, v := range x {
		if v < -1 || v > 1 {
			t.Fatalf("value %v outside −1..1", v)
		}
	}
	if (Augment{Scale: 1}).Validate() == nil || (Augment{Grey: -1}).Validate() == nil {
		t.Fatal("out-of-range settings accepted")
	}
}

// TestResampleMatchesPerPixelBilinear checks the two-pass resampler against
// the formula evaluated pixel by pixel, over zooms in and out and shifts.
func TestResampleMatchesPerPixelBilinear(t *testing.T) {
	const s = 9
	src := ramp(2, s)
	coord := func(x int, zoom, d float64) float64 {
		h := float64(s) / 2
		return min(max((float64(x)+0.5-h)/zoom+h-0.5-d, 0), s-1)
	}
	at := func(ch int, x, y float64) float64 {
		x0, y0 := math.Floor(x), math.Floor(y)
		x1, y1 := min(x0+1, s-1), min(y0+1, s-1)
		v := func(xx, yy float64) float64 { return float64(src[ch*s*s+int(yy)*s+int(xx)]) }
		fx, fy := x-x0, y-y0
		return (1-fy)*((1-fx)*v(x0, y0)+fx*v(x1, y0)) + fy*((1-fx)*v(x0, y1)+fx*v(x1, y1))
	}
	for _, g := range [][3]float64{{1.2, 0.3, -1.7}, {0.8, -2.5, 0.6}, {0.93, 0, 0}, {1.07, 4, 4}} {
		dst := make([]float32, 2*s*s)
		resample(dst, src, 2, s, g[0], g[1], g[2], false, &identityLUT)
		for ch := 0; ch < 2; ch++ {
			for y := 0; y < s; y++ {
				for x := 0; x < s; x++ {
					want := at(ch, coord(x, g[0], g[1]), coord(y, g[0], g[2]))
					if got := float64(dst[ch*s*s+y*s+x]); math.Abs(got-want) > 1e-3 {
						t.Fatalf("zoom %v shift %v,%v: (%d,%d,%d) = %v want %v", g[0], g[1], g[2], ch, x, y, got, want)
					}
				}
			}
		}
	}
}
