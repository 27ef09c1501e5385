package train

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSkipBadNamesSkipped trains on an ImageFolder with one corrupt file
// and data.skip_bad: the run finishes, and training.log counts and names
// the file it skipped.
func TestSkipBadNamesSkipped(t *testing.T) {
	root := filepath.Join(t.TempDir(), "faces")
	writeFaces(t, root)
	bad := filepath.Join(root, "b", "zz-corrupt.png")
	if err := os.WriteFile(bad, []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := run(t, context.Background(), dir, false, nil, "data.path="+root, "data.skip_bad=true",
		"train.epochs=3", "train.val_every=0"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, LogFile))
	if err != nil || !strings.Contains(string(b), "skipped 1 images that failed to read: "+bad) {
		t.Errorf("training.log does not name the skipped image:\n%s", b)
	}
}

// writeFaces writes a small ImageFolder at root: identities a and b, 16
// distinct 16×16 grey PNGs each.
func writeFaces(t *testing.T, root string) {
	t.Helper()
	for c, id := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(root, id), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range 16 {
			img := image.NewGray(image.Rect(0, 0, 16, 16))
			for p := range img.Pix {
				img.Pix[p] = uint8(p*(c+1) + i)
			}
			img.SetGray(i, c, color.Gray{255})
			f, err := os.Create(filepath.Join(root, id, string(rune('a'+i))+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
}
