package align

import (
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// skimageFixture is testdata/skimage_align.json (scripts/make_align_fixtures.py).
type skimageFixture struct {
	Source     string `json:"source"`
	SourceGrey string `json:"source_grey"`
	Cases      []struct {
		Name      string       `json:"name"`
		Template  string       `json:"template"`
		Size      int          `json:"size"`
		Landmarks [][2]float64 `json:"landmarks"`
		Matrix    [2][3]float64
		Image     string `json:"image"`
		Grey      bool   `json:"grey"`
	} `json:"cases"`
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// TestSkimageFixture checks Estimate, NewTemplate and Warp against what
// scikit-image computes for the same landmarks: the matrix to 1e-5 and every
// pixel to ±1 grey level.
func TestSkimageFixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/skimage_align.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx skimageFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) == 0 {
		t.Fatal("fixture has no cases")
	}
	src := readPNG(t, filepath.Join("testdata", fx.Source))
	srcGrey := readPNG(t, filepath.Join("testdata", fx.SourceGrey))
	for _, c := range fx.Cases {
		t.Run(c.Name, func(t *testing.T) {
			tpl, err := NewTemplate(c.Template, c.Size)
			if err != nil {
				t.Fatal(err)
			}
			var lm [5]Point
			for i, p := range c.Landmarks {
				lm[i] = Point{p[0], p[1]}
			}
			m, err := tpl.Transform(lm)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 6; i++ {
				if want := c.Matrix[i/3][i%3]; math.Abs(m[i]-want) > 1e-5 {
					t.Errorf("matrix[%d][%d] = %.8f, scikit-image %.8f", i/3, i%3, m[i], want)
				}
			}
			if c.Image == "" {
				return
			}
			in := src
			if c.Grey {
				in = srcGrey
			}
			got, err := Warp(in, m, tpl.W, tpl.H)
			if err != nil {
				t.Fatal(err)
			}
			want := readPNG(t, filepath.Join("testdata", c.Image))
			if got.Bounds() != want.Bounds() {
				t.Fatalf("warped bounds %v, scikit-image %v", got.Bounds(), want.Bounds())
			}
			bad, worst := 0, 0
			b := want.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					g := color.RGBAModel.Convert(got.At(x, y)).(color.RGBA)
					w := color.RGBAModel.Convert(want.At(x, y)).(color.RGBA)
					for _, d := range []int{int(g.R) - int(w.R), int(g.G) - int(w.G), int(g.B) - int(w.B)} {
						d = max(d, -d)
						worst = max(worst, d)
						if d > 1 {
							bad++
						}
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d values differ from scikit-image by more than 1 grey level (worst %d)", bad, worst)
			}
			t.Logf("largest difference from scikit-image: %d grey levels", worst)
		})
	}
}

func TestEstimateExact(t *testing.T) {
	// A known similarity (rotation 30°, scale 1.7, shift) is recovered exactly
	// from noiseless points, and Invert/Compose agree with it.
	a, s := math.Pi/6, 1.7
	want := Similarity{s * math.Cos(a), -s * math.Sin(a), 12.5, s * math.Sin(a), s * math.Cos(a), -3.25}
	src := []Point{{10, 20}, {40, 18}, {25, 35}, {12, 50}, {38, 52}}
	dst := make([]Point, len(src))
	for i, p := range src {
		dst[i] = want.Apply(p)
	}
	got, err := Estimate(src, dst)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("Estimate = %v, want %v", got, want)
		}
	}
	inv, err := got.Invert()
	if err != nil {
		t.Fatal(err)
	}
	id := inv.Compose(got)
	for i, v := range [6]float64{1, 0, 0, 0, 1, 0} {
		if math.Abs(id[i]-v) > 1e-12 {
			t.Fatalf("inverse ∘ transform = %v, want identity", id)
		}
	}
}

func TestEstimateErrors(t *testing.T) {
	p := []Point{{1, 1}, {1, 1}, {1, 1}}
	if _, err := Estimate(p, []Point{{0, 0}, {1, 0}, {0, 1}}); err == nil {
		t.Error("coincident source points: no error")
	}
	if _, err := Estimate(p[:2], p); err == nil {
		t.Error("mismatched lengths: no error")
	}
	if _, err := Estimate([]Point{{0, 0}, {1, 0}}, []Point{{3, 3}, {3, 3}}); err == nil {
		t.Error("coincident destination points: no error")
	}
	if _, err := NewTemplate("dlib", 112); err == nil {
		t.Error("unknown template: no error")
	}
	if _, err := NewTemplate(SphereFace, 128); err == nil {
		t.Error("sphereface at 128: no error")
	}
}

// TestRoundTrip warps a face by a known similarity, computes where the
// template's landmarks went, aligns back, and compares with the original.
func TestRoundTrip(t *testing.T) {
	tpl, err := NewTemplate(ArcFace, 112)
	if err != nil {
		t.Fatal(err)
	}
	// A smooth synthetic "face": low-frequency pattern, so bilinear
	// resampling twice loses little.
	orig := image.NewGray(image.Rect(0, 0, 112, 112))
	for y := 0; y < 112; y++ {
		for x := 0; x < 112; x++ {
			v := 128 + 60*math.Sin(float64(x)/9)*math.Cos(float64(y)/11) + 40*math.Cos(float64(x+y)/17)
			orig.Pix[y*orig.Stride+x] = uint8(math.Round(v))
		}
	}
	a, s := 0.35, 1.6 // 20°, enlarged so the warped copy holds every detail
	m := Similarity{s * math.Cos(a), -s * math.Sin(a), 70, s * math.Sin(a), s * math.Cos(a), 15}
	warped, err := Warp(orig, m, 260, 260)
	if err != nil {
		t.Fatal(err)
	}
	var lm [5]Point
	for i, p := range tpl.Points {
		lm[i] = m.Apply(p)
	}
	back, _, err := Face(warped, lm, tpl)
	if err != nil {
		t.Fatal(err)
	}
	g := back.(*image.Gray)
	// PSNR over the interior (the outermost pixel row samples the border).
	var se float64
	n := 0
	for y := 1; y < 111; y++ {
		for x := 1; x < 111; x++ {
			d := float64(g.Pix[y*g.Stride+x]) - float64(orig.Pix[y*orig.Stride+x])
			se += d * d
			n++
		}
	}
	psnr := 10 * math.Log10(255*255/(se/float64(n)))
	if psnr < 40 {
		t.Errorf("round trip PSNR %.1f dB, want ≥ 40", psnr)
	}
	t.Logf("round trip PSNR %.1f dB", psnr)
}

// TestWarpSubImage: coordinates are relative to the source's Bounds().Min,
// so a sub-image warps as a copy of it would.
func TestWarpSubImage(t *testing.T) {
	big := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range big.Pix {
		big.Pix[i] = uint8(i * 13)
	}
	sub := big.SubImage(image.Rect(7, 5, 37, 28)).(*image.Gray)
	cp := image.NewGray(image.Rect(0, 0, 30, 23))
	for y := 0; y < 23; y++ {
		copy(cp.Pix[y*cp.Stride:(y+1)*cp.Stride], big.Pix[(y+5)*big.Stride+7:])
	}
	m := Similarity{0.9, -0.3, 4, 0.3, 0.9, -2}
	a, err := Warp(sub, m, 25, 25)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Warp(cp, m, 25, 25)
	if string(a.(*image.Gray).Pix) != string(b.(*image.Gray).Pix) {
		t.Error("a grey sub-image warps differently from its copy")
	}
	// The colour path (through draw.Draw) too.
	rgbSub := image.NewRGBA(image.Rect(0, 0, 40, 30))
	draw.Draw(rgbSub, rgbSub.Bounds(), big, image.Point{}, draw.Src)
	c, _ := Warp(rgbSub.SubImage(image.Rect(7, 5, 37, 28)), m, 25, 25)
	for i, v := range b.(*image.Gray).Pix {
		if c.(*image.RGBA).Pix[4*i] != v {
			t.Fatalf("a colour sub-image warps differently at value %d", i)
		}
	}
}
