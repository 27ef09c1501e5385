package align

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"path/filepath"
	"strings"

	"golang.org/x/image/bmp"
)

// JPEGQuality is the quality aligned JPEG files are written at.
const JPEGQuality = 95

// Encode writes img in the format named by the extension of name (.jpg
// .jpeg, .png, .bmp, or .pgm: binary P5, grey), so an aligned tree keeps
// its file names.
func Encode(w io.Writer, img image.Image, name string) error {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".jpg", ".jpeg":
		return jpeg.Encode(w, img, &jpeg.Options{Quality: JPEGQuality})
	case ".png":
		return png.Encode(w, img)
	case ".bmp":
		return bmp.Encode(w, img)
	case ".pgm":
		return encodePGM(w, img)
	default:
		return fmt.Errorf("%s: no encoder for %q files", name, ext)
	}
}

// encodePGM writes img as an 8-bit binary PGM (P5), converted to grey.
func encodePGM(w io.Writer, img image.Image) error {
	b := img.Bounds()
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			bw.WriteByte(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
		}
	}
	return bw.Flush()
}
