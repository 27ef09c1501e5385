package data

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is the folder of real face sets beside the repository.
const sharedData = "../../../shared/data"

func skipWithout(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(sharedData, dir)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s absent: %v", p, err)
	}
	return p
}

func TestImageFolderORL(t *testing.T) {
	root := skipWithout(t, "orl")
	src, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if src.Len() != 400 || len(src.Classes()) != 40 {
		t.Fatalf("ORL: %d images of %d people, want 400 of 40", src.Len(), len(src.Classes()))
	}
	counts := make([]int, 40)
	for i := 0; i < src.Len(); i++ {
		counts[src.Label(i)]++
		img, err := src.Image(i)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := img.(*image.Gray); !ok || img.Bounds().Dx() != 92 || img.Bounds().Dy() != 112 {
			t.Fatalf("%s: %T %v, want 92×112 grey", src.Name(i), img, img.Bounds())
		}
	}
	for k, n := range counts {
		if n != 10 {
			t.Errorf("person %s has %d images, want 10", src.Classes()[k], n)
		}
	}
}

func TestImageFolderYaleB(t *testing.T) {
	root := skipWithout(t, "yaleb")
	src, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	// The README: 38 people × 59–64 images, plus one _Ambient image each.
	if len(src.Classes()) != 38 {
		t.Fatalf("%d people, want 38", len(src.Classes()))
	}
	pgms, _ := filepath.Glob(filepath.Join(root, "*", "*.pgm"))
	if src.Len() != len(pgms) {
		t.Fatalf("%d images listed, %d .pgm files on disk", src.Len(), len(pgms))
	}
	counts := make([]int, 38)
	ambient := 0
	for i := 0; i < src.Len(); i++ {
		counts[src.Label(i)]++
		name := src.Name(i)
		if !strings.HasSuffix(name, ".pgm") {
			t.Fatalf("non-image listed: %s", name)
		}
		img, err := src.Image(i)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(name, "_Ambient") {
			ambient++
		} else if b := img.Bounds(); b.Dx() != 168 || b.Dy() != 192 {
			t.Fatalf("%s: %v, want 168×192", name, b)
		}
	}
	if ambient != 38 {
		t.Errorf("%d ambient images, want 38", ambient)
	}
	for k, n := range counts {
		if n < 60 || n > 65 {
			t.Errorf("%s: %d images, want 59–64 + 1 ambient", src.Classes()[k], n)
		}
	}
}

func TestImageFolderIgnoresStrayFiles(t *testing.T) {
	root := t.TempDir()
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	write := func(rel string, data []byte) {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf strings.Builder
	png.Encode(&buf, img)
	for _, rel := range []string{"b/1.png", "b/2.PNG", "a/x.png", ".hidden/1.png", "a/.1.png"} {
		write(rel, []byte(buf.String()))
	}
	write("a/x.pgm.bad", []byte("P5 1 1 255\n\x00"))
	write("a/WS_FTP.LOG", []byte("log"))
	write("a/DEADJOE", []byte("joe"))
	write("a/p.info", []byte("info"))
	write("c/notes.txt", []byte("no images here"))
	write("top.png", []byte(buf.String()))
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "z.png"), []byte(buf.String()), 0o644)
	if err := os.Symlink(other, filepath.Join(root, "d")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink(filepath.Join(other, "z.png"), filepath.Join(root, "b", "3.png"))
	f, err := OpenImageFolder(root)
	if err != nil {
		t.Fatal(err)
	}
	// b/3.png links to a file and d to a directory of one image: both count.
	if got := strings.Join(f.Classes(), ","); got != "a,b,d" || f.Len() != 5 || f.Label(0) != 0 || f.Label(2) != 1 || f.Label(4) != 2 {
		t.Fatalf("classes %q, %d images", got, f.Len())
	}
	write("a/x.png", []byte("not a png"))
	if _, err := f.Image(0); err == nil || !strings.Contains(err.Error(), filepath.Join(root, "a", "x.png")) {
		t.Fatalf("corrupt image error %v does not name the file", err)
	}
	if _, err := OpenImageFolder(filepath.Join(root, "c")); err == nil {
		t.Fatal("empty tree accepted")
	}
}
