package data

import (
	"bytes"
	"image"
	"strings"
	"testing"
)

func TestDecodePGM(t *testing.T) {
	cases := []struct {
		in   string
		w, h int
		pix  []uint8
	}{
		{"P5\n# comment\n3 1\n255\n\x00\x80\xff", 3, 1, []uint8{0, 128, 255}},
		{"P2 2 2 15 0 15\n# mid-raster comment\n 5 10", 2, 2, []uint8{0, 255, 85, 170}},
		{"P5 1 1 65535\n\xff\xff", 1, 1, []uint8{255}},
	}
	for _, c := range cases {
		img, format, err := image.Decode(strings.NewReader(c.in))
		if err != nil || format != "pgm" {
			t.Fatalf("%q: %v (format %q)", c.in, err, format)
		}
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Fatalf("%q: bounds %v", c.in, b)
		}
		var got []uint8
		for y := 0; y < c.h; y++ {
			for x := 0; x < c.w; x++ {
				r, _, _, _ := img.At(x, y).RGBA()
				got = append(got, uint8(r>>8))
			}
		}
		if !bytes.Equal(got, c.pix) {
			t.Fatalf("%q: pixels %v want %v", c.in, got, c.pix)
		}
		cfg, _, err := image.DecodeConfig(strings.NewReader(c.in))
		if err != nil || cfg.Width != c.w || cfg.Height != c.h {
			t.Fatalf("%q: config %+v %v", c.in, cfg, err)
		}
	}
}

func TestDecodePGMErrors(t *testing.T) {
	cases := map[string]string{
		"P6 1 1 255\n\x00":                   "byte 0: magic",
		"P5 0 1 255\n":                       "bad size",
		"P5 2 2 255\n\x00":                   "byte 12: 2×2 image truncated",
		"P5 1 1 0\n":                         "maxval",
		"P2 1 1 10 11":                       "byte 10: pixel 0 value 11 above maxval",
		"P5 2 1 250\n\x00\xfb":               "byte 12: pixel 1 value 251 above maxval",
		"P5 1 1":                             "header field 3: byte 6: expected a number: unexpected EOF",
		"P2 2 1 255 1 x":                     "pixel 1 of 2: byte 13: expected a number, found 'x'",
		"P5 99999 99999 255\n":               "bad size",
		"P5 1 1 255x\x00":                    "byte 10: 'x' after maxval",
		"P5 1 99999999999 255 ":              "byte 5: number too large",
		"P5 1 1 255":                         "byte 10: header ends early",
		"P5 #c\n1 # c2\n1 2x5\n\x00\x01\x02": "byte 16: 'x' after maxval",
	}
	for in, want := range cases {
		_, err := DecodePGM(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}

func FuzzDecodePGM(f *testing.F) {
	f.Add([]byte("P5\n# c\n3 1\n255\n\x00\x80\xff"))
	f.Add([]byte("P2 2 2 15 0 15 5 10"))
	f.Add([]byte("P5 1 1 65535\n\xff\xff"))
	f.Fuzz(func(t *testing.T, in []byte) {
		cfg, err := DecodePGMConfig(bytes.NewReader(in))
		img, err2 := DecodePGM(bytes.NewReader(in))
		if err2 != nil {
			return
		}
		if err != nil {
			t.Fatalf("image decodes but its config does not: %v", err)
		}
		if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
			t.Fatalf("bounds %v, config %d×%d", b, cfg.Width, cfg.Height)
		}
	})
}
