package data

import (
	"image"
	"image/color"
	"testing"
)

func TestPreprocessGreyIdentitySize(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 4, 4))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 17)
	}
	p := Preprocess{Size: 4, Channels: 1}
	dst := make([]float32, p.Len())
	if err := p.Apply(dst, g); err != nil {
		t.Fatal(err)
	}
	for i, v := range g.Pix {
		if want := float32(v)/127.5 - 1; dst[i] != want {
			t.Fatalf("pixel %d: %v want %v", i, dst[i], want)
		}
	}
}

func TestPreprocessCropAndRGB(t *testing.T) {
	m := image.NewRGBA(image.Rect(0, 0, 6, 6))
	for y := 0; y < 6; y++ {
		for x := 0; x < 6; x++ {
			m.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	m.Set(2, 2, color.RGBA{0, 255, 0, 255})
	p := Preprocess{Size: 1, Channels: 3, Crop: [4]int{2, 2, 1, 1}}
	dst := make([]float32, p.Len())
	if err := p.Apply(dst, m); err != nil {
		t.Fatal(err)
	}
	if dst[0] != -1 || dst[1] != 1 || dst[2] != -1 {
		t.Fatalf("cropped pixel = %v, want green", dst)
	}
	p = Preprocess{Size: 2, Channels: 1, Crop: [4]int{10, 10, 2, 2}}
	if err := p.Apply(make([]float32, p.Len()), m); err == nil {
		t.Fatal("crop outside the image accepted")
	}
}

func TestFlipHorizontal(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6}
	FlipHorizontal(x, 1, 2, 3)
	want := []float32{3, 2, 1, 6, 5, 4}
	for i := range want {
		if x[i] != want[i] {
			t.Fatalf("%v", x)
		}
	}
}
