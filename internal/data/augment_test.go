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
	resample(dst, src, 1, 5, 1, 1, 1, 0, false, &identityLUT)
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
	resample(z, src, 1, 5, 1.3, 1.3, 0.4, 0.2, false, &identityLUT)
	resample(zf, src, 1, 5, 1.3, 1.3, 0.4, 0.2, true, &identityLUT)
	FlipHorizontal(z, 1, 5, 5)
	if !slices.Equal(z, zf) {
		t.Fatal("mirrored resample differs from the mirrored image")
	}
	// Zooming in by 2 about the centre of a 4×4 image reads output pixel 0
	// at source (0 + ½ − 2)/2 + 2 − ½ = 0.75 in both directions.
	src4 := ramp(1, 4)
	dst4 := make([]float32, 16)
	resample(dst4, src4, 1, 4, 2, 2, 0, 0, false, &identityLUT)
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
// the formula evaluated pixel by pixel, over zooms in and out (the same in x
// and y, and different, as aspect makes them) and shifts.
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
	for _, g := range [][4]float64{{1.2, 1.2, 0.3, -1.7}, {0.8, 0.8, -2.5, 0.6}, {0.93, 0.93, 0, 0}, {1.07, 1.07, 4, 4},
		{1.3, 0.9, 0.5, -0.4}, {0.85, 1.15, -1, 2}, {1, 1.2, 0, 0}} {
		dst := make([]float32, 2*s*s)
		resample(dst, src, 2, s, g[0], g[1], g[2], g[3], false, &identityLUT)
		for ch := 0; ch < 2; ch++ {
			for y := 0; y < s; y++ {
				for x := 0; x < s; x++ {
					want := at(ch, coord(x, g[0], g[2]), coord(y, g[1], g[3]))
					if got := float64(dst[ch*s*s+y*s+x]); math.Abs(got-want) > 1e-3 {
						t.Fatalf("zoom %v,%v shift %v,%v: (%d,%d,%d) = %v want %v", g[0], g[1], g[2], g[3], ch, x, y, got, want)
					}
				}
			}
		}
	}
}

// noise returns a pseudo-random c×s×s image.
func noise(c, s int, seed uint64) []uint8 {
	r := rand.New(rand.NewPCG(seed, 3))
	src := make([]uint8, c*s*s)
	for i := range src {
		src[i] = uint8(r.IntN(256))
	}
	return src
}

// laterAugments are aspect, saturation, hue, blur and erase, each alone
// (certain where it is a probability), and all keys together.
var laterAugments = map[string]Augment{
	"aspect":     {Aspect: 1.5},
	"saturation": {Saturation: 0.5},
	"hue":        {Hue: 0.3},
	"blur":       {Blur: 1, BlurSigma: 2},
	"erase":      {Erase: 1, EraseArea: [2]float64{0.05, 0.3}},
	"all": {Flip: true, Shift: 0.05, Scale: 0.1, Aspect: 1.33, Brightness: 0.2, Contrast: 0.2,
		Saturation: 0.3, Hue: 0.05, Grey: 0.1, Blur: 0.3, BlurSigma: 1.5, Erase: 0.5, EraseArea: [2]float64{0.02, 0.33}},
}

// TestAugmentLaterKeysSeeded checks each later augmentation: it is valid
// and enabled, the same generator state gives the same pixels, the pixels
// stay in −1..1, and it changes the image (for some seed).
func TestAugmentLaterKeysSeeded(t *testing.T) {
	const c, s = 3, 12
	src := noise(c, s, 1)
	plain := make([]float32, len(src))
	Normalize(plain, src)
	for name, a := range laterAugments {
		if err := a.Validate(); err != nil || !a.Enabled() {
			t.Fatalf("%s: valid %v, enabled %v", name, err, a.Enabled())
		}
		changed := false
		for seed := uint64(0); seed < 8; seed++ {
			x, y := make([]float32, len(src)), make([]float32, len(src))
			a.Apply(x, src, c, s, rand.New(rand.NewPCG(seed, 9)))
			a.Apply(y, src, c, s, rand.New(rand.NewPCG(seed, 9)))
			if !slices.Equal(x, y) {
				t.Fatalf("%s, seed %d: same generator state, different pixels", name, seed)
			}
			for _, v := range x {
				if !(v >= -1 && v <= 1) {
					t.Fatalf("%s: value %v outside −1..1", name, v)
				}
			}
			changed = changed || !slices.Equal(x, plain)
		}
		if !changed {
			t.Errorf("%s leaves the image as it was for every seed", name)
		}
	}
}

// TestAugmentColourKeysSkipGrey checks that saturation and hue neither
// change a grey image nor draw from the generator.
func TestAugmentColourKeysSkipGrey(t *testing.T) {
	src := noise(1, 10, 2)
	got, want := make([]float32, len(src)), make([]float32, len(src))
	rng := rand.New(rand.NewPCG(4, 4))
	Augment{Saturation: 0.8, Hue: 0.5}.Apply(got, src, 1, 10, rng)
	Normalize(want, src)
	if !slices.Equal(got, want) || rng.Uint64() != rand.New(rand.NewPCG(4, 4)).Uint64() {
		t.Fatal("saturation and hue act on a grey image")
	}
}

// TestAugmentAspect checks that aspect zooms x by 1/√r and y by √r, with r
// drawn (first, when every earlier key is off) log-uniform in 1/2..2.
func TestAugmentAspect(t *testing.T) {
	const s = 10
	src := noise(1, s, 5)
	for seed := uint64(0); seed < 4; seed++ {
		got, want := make([]float32, s*s), make([]float32, s*s)
		Augment{Aspect: 2}.Apply(got, src, 1, s, rand.New(rand.NewPCG(seed, 0)))
		r := math.Sqrt(math.Exp((2*rand.New(rand.NewPCG(seed, 0)).Float64() - 1) * math.Log(2)))
		resample(want, src, 1, s, 1/r, r, 0, 0, false, &normTable)
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: aspect differs from the zoom (1/%v, %v)", seed, r, r)
		}
	}
}

// TestColourMatrix checks the saturation and hue matrix: the identity at
// (1, 0); grey stays grey and the luma stays the luma at any setting;
// saturation 0 gives the luma in every channel; hue h then −h cancels.
func TestColourMatrix(t *testing.T) {
	near := func(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-5 }
	luma := [3]float32{0.299, 0.587, 0.114}
	id := colourMatrix(1, 0)
	for i := range 3 {
		for j := range 3 {
			if !near(id[i][j], float32(map[bool]int{true: 1}[i == j])) {
				t.Fatalf("colourMatrix(1, 0) = %v, not the identity", id)
			}
		}
	}
	for _, p := range [][2]float64{{0.5, 0.1}, {1.7, -0.4}, {1, 0.5}, {0, 0.2}} {
		m := colourMatrix(p[0], p[1])
		for i := range 3 {
			var row, col float32
			for j := range 3 {
				row += m[i][j]
				col += luma[j] * m[j][i]
			}
			if !near(row, 1) || !near(col, luma[i]) {
				t.Fatalf("colourMatrix%v = %v: grey or luma not kept", p, m)
			}
			if p[0] == 0 {
				for j := range 3 {
					if !near(m[i][j], luma[j]) {
						t.Fatalf("saturation 0: %v, want the luma in every row", m)
					}
				}
			}
		}
		// hue p[1] then −p[1], at saturation 1.
		a, b := colourMatrix(1, p[1]), colourMatrix(1, -p[1])
		for i := range 3 {
			for j := range 3 {
				var v float32
				for k := range 3 {
					v += b[i][k] * a[k][j]
				}
				if !near(v, float32(map[bool]int{true: 1}[i == j])) {
					t.Fatalf("hue %v then %v is not the identity", p[1], -p[1])
				}
			}
		}
	}
	// jitterColour applies the matrix per pixel and clamps.
	px := []float32{0.9, -0.2, 0.5, 0.1, 0.8, -0.9}
	jitterColour(px, 2, colourMatrix(2, 0))
	for i := range 2 {
		r, g, b := float64(px[i]), float64(px[2+i]), float64(px[4+i])
		if r < -1 || r > 1 || g < -1 || g > 1 || b < -1 || b > 1 {
			t.Fatalf("pixel %d = %v %v %v not clamped", i, r, g, b)
		}
	}
	// Pixel 0 is (0.9, 0.5, 0.8) with luma 0.6538: saturation 2 moves it to
	// (1.1462, 0.3462, 0.9462), red clamped to 1.
	if px[0] != 1 || !near(px[2], 0.3462) || !near(px[4], 0.9462) {
		t.Fatalf("saturation 2 of (0.9, 0.5, 0.8) gives %v %v %v", px[0], px[2], px[4])
	}
}

// TestGaussianBlurMatchesDirect checks the separable blur against the
// two-dimensional convolution with the edge replicated, evaluated pixel by
// pixel in float64, for kernels narrower and wider than the image.
func TestGaussianBlurMatchesDirect(t *testing.T) {
	const c, s = 2, 7
	src := make([]float32, c*s*s)
	Normalize(src, noise(c, s, 6))
	for _, sigma := range []float64{0.1, 0.6, 1.5, 3} {
		r := int(math.Ceil(3 * sigma))
		var sum float64
		for j := -r; j <= r; j++ {
			sum += math.Exp(-float64(j*j) / (2 * sigma * sigma))
		}
		k := func(j int) float64 { return math.Exp(-float64(j*j)/(2*sigma*sigma)) / sum }
		got := slices.Clone(src)
		gaussianBlur(got, c, s, sigma)
		for ch := 0; ch < c; ch++ {
			for y := 0; y < s; y++ {
				for x := 0; x < s; x++ {
					var want float64
					for i := -r; i <= r; i++ {
						for j := -r; j <= r; j++ {
							yy, xx := min(max(y+i, 0), s-1), min(max(x+j, 0), s-1)
							want += k(i) * k(j) * float64(src[ch*s*s+yy*s+xx])
						}
					}
					if g := float64(got[ch*s*s+y*s+x]); math.Abs(g-want) > 1e-5 {
						t.Fatalf("sigma %v: (%d,%d,%d) = %v want %v", sigma, ch, x, y, g, want)
					}
				}
			}
		}
	}
}

// TestAugmentBlurAndEraseRates checks that blur and erase act with about
// their probability, and that erasing zeroes one rectangle, the same in
// every channel, of an area near the configured range, leaving the rest.
func TestAugmentBlurAndEraseRates(t *testing.T) {
	const c, s, runs = 3, 20, 400
	src := noise(c, s, 7) // no byte normalises to exactly 0
	plain := make([]float32, len(src))
	Normalize(plain, src)
	blurred, erased := 0, 0
	for seed := uint64(0); seed < runs; seed++ {
		dst := make([]float32, len(src))
		Augment{Blur: 0.3, BlurSigma: 1}.Apply(dst, src, c, s, rand.New(rand.NewPCG(seed, 2)))
		if !slices.Equal(dst, plain) {
			blurred++
		}
		Augment{Erase: 0.6, EraseArea: [2]float64{0.05, 0.2}}.Apply(dst, src, c, s, rand.New(rand.NewPCG(seed, 2)))
		x0, y0, x1, y1 := s, s, -1, -1
		zeros := 0
		for i, v := range dst {
			switch {
			case v == 0:
				zeros++
				x, y := i%s, i/s%s
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			case v != plain[i]:
				t.Fatalf("seed %d: erasing changed value %d outside the rectangle", seed, i)
			}
		}
		if zeros == 0 {
			continue
		}
		erased++
		w, h := x1-x0+1, y1-y0+1
		if zeros != c*w*h {
			t.Fatalf("seed %d: %d zeros do not fill the %d×%d box in %d channels", seed, zeros, w, h, c)
		}
		if a := float64(w*h) / (s * s); a < 0.03 || a > 0.26 {
			t.Fatalf("seed %d: erased %d×%d, %.3f of the image, outside 0.05..0.2 by more than rounding", seed, w, h, a)
		}
	}
	if blurred < runs*0.3-40 || blurred > runs*0.3+40 || erased < runs*0.6-40 || erased > runs*0.6+40 {
		t.Fatalf("blurred %d and erased %d of %d images, want about 30%% and 60%%", blurred, erased, runs)
	}
}

// TestAugmentValidateLaterKeys checks the ranges of the later keys.
func TestAugmentValidateLaterKeys(t *testing.T) {
	for _, a := range laterAugments {
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []Augment{
		{Aspect: 0.5}, {Aspect: 2.5}, {Saturation: -0.1}, {Saturation: 1.1}, {Hue: 0.6}, {Hue: -0.1},
		{Blur: 1.5}, {Blur: 0.2}, {Blur: 0.2, BlurSigma: 0.05}, {BlurSigma: 9},
		{Erase: 1.2}, {Erase: 0.5}, {Erase: 0.5, EraseArea: [2]float64{0.3, 0.1}}, {EraseArea: [2]float64{0.1, 1}},
	} {
		if a.Validate() == nil {
			t.Errorf("%+v accepted", a)
		}
	}
}
