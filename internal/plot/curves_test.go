package plot

import (
	"bytes"
	"image/png"
	"testing"
)

// TestWritePNG draws two panels, one without points, and decodes the PNG:
// Width wide and two PanelHeights tall. Mismatched series are an error.
func TestWritePNG(t *testing.T) {
	var b bytes.Buffer
	panels := []Panel{
		{Title: "loss", YLabel: "loss", Series: []Series{{Name: "loss", X: []float64{1, 2, 3}, Y: []float64{3, 2, 1}}}},
		{Title: "verification", YLabel: "accuracy", Series: []Series{{Name: "accuracy"}}},
	}
	if err := WritePNG(&b, "run", panels); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := int(Width.Dots(96)+0.5), int(2*PanelHeight.Dots(96)+0.5); img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Errorf("size %v, want %d×%d", img.Bounds().Size(), w, h)
	}
	bad := []Panel{{Title: "x", Series: []Series{{Name: "x", X: []float64{1}, Y: nil}}}}
	if err := WritePNG(&b, "run", bad); err == nil {
		t.Error("a series with 1 step and 0 values was drawn")
	}
	if err := WritePNG(&b, "run", nil); err == nil {
		t.Error("no panels was drawn")
	}
}
