package data

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func writeTestPack(t *testing.T, src Source, pre Preprocess, skipBad bool) (string, PackStats) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "train.pack")
	st, err := WritePack(context.Background(), path, src, PackOptions{Preprocess: pre, SkipBad: skipBad, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	return path, st
}

func TestPackRoundTrip(t *testing.T) {
	for _, channels := range []int{1, 3} {
		src := testSource{n: 300, classes: 7, w: 20, h: 18, bad: -1}
		pre := Preprocess{Size: 10, Channels: channels, CenterCrop: 16}
		path, st := writeTestPack(t, src, pre, false)
		if st.Images != 300 || st.Classes != 7 || st.Skipped != 0 {
			t.Fatalf("stats %+v", st)
		}
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		p := s.(*Pack)
		if c, sz := p.PixelShape(); c != channels || sz != 10 || !slices.Equal(p.Classes(), src.Classes()) {
			t.Fatalf("shape %d×%d classes %v", c, sz, p.Classes())
		}
		want := make([]uint8, pre.Len())
		for i := 0; i < src.Len(); i++ {
			img, _ := src.Image(i)
			pre.Pixels(want, img)
			if !bytes.Equal(p.Pixels(i), want) || p.Label(i) != src.Label(i) {
				t.Fatalf("image %d differs from its preprocessed source", i)
			}
		}
		// Image() gives back the same pixels.
		img, _ := p.Image(5)
		again := make([]uint8, pre.Len())
		Preprocess{Size: 10, Channels: channels}.Pixels(again, img)
		if !bytes.Equal(again, p.Pixels(5)) {
			t.Fatal("Pack.Image does not hold the stored pixels")
		}
		// Training on the pack gives exactly the batches of the source.
		cfg := DefaultConfig()
		cfg.Workers = 2
		fromSrc, err := NewLoader(src, cfg, Preprocess{Size: 10, Channels: channels, CenterCrop: 16}, 16, 9)
		if err != nil {
			t.Fatal(err)
		}
		ref := epochBatches(t, fromSrc, 2, 0)
		// With no crop configured, or the pack's own, the pack is read as is.
		for _, pp := range []Preprocess{{Size: 10, Channels: channels}, pre} {
			fromPack, err := NewLoader(p, cfg, pp, 16, 9)
			if err != nil || !fromPack.direct {
				t.Fatalf("pack loader: %v, direct %v", err, fromPack != nil && fromPack.direct)
			}
			if !sameBatches(ref, epochBatches(t, fromPack, 2, 0)) {
				t.Fatal("pack and source give different batches")
			}
		}
		if p.Preprocessed() != pre {
			t.Fatalf("pack records %+v, made with %+v", p.Preprocessed(), pre)
		}
		if _, err := NewLoader(p, cfg, Preprocess{Size: 10, Channels: channels, CenterCrop: 12}, 16, 9); err == nil || !strings.Contains(err.Error(), "repack") {
			t.Fatalf("another crop on a pack: %v", err)
		}
		p.Close()
	}
}

func TestPackSkipBad(t *testing.T) {
	src := testSource{n: 10, classes: 2, w: 4, h: 4, bad: 3}
	pre := Preprocess{Size: 4, Channels: 1}
	if _, err := WritePack(context.Background(), filepath.Join(t.TempDir(), "x.pack"), src, PackOptions{Preprocess: pre}); err == nil || !strings.Contains(err.Error(), "mem#3") {
		t.Fatalf("bad image error %v does not name it", err)
	}
	path, st := writeTestPack(t, src, pre, true)
	p, err := OpenPack(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if st.Images != 9 || st.Skipped != 1 || p.Len() != 9 || p.Label(3) != src.Label(4) {
		t.Fatalf("stats %+v, %d images", st, p.Len())
	}
}

// TestPackNoImageReadable packs an ImageFolder whose every image is corrupt
// with SkipBad: the error names the dataset, how many images were tried and
// the first failure (its file and why).
func TestPackNoImageReadable(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"b/2.png", "a/1.png", "a/0.jpg"} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("not an image"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "x.pack")
	opt := PackOptions{Preprocess: Preprocess{Size: 4, Channels: 1}, SkipBad: true}
	_, err := PackDataset(context.Background(), root, out, opt, io.Discard)
	if err == nil {
		t.Fatal("packing unreadable images succeeded")
	}
	for _, want := range []string{"pack: no image of " + root + " could be read", "all 3 tried failed",
		"the first: " + filepath.Join(root, "a", "0.jpg"), "image: unknown format"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if _, serr := os.Stat(out); !os.IsNotExist(serr) {
		t.Errorf("a failed pack left %s (%v)", out, serr)
	}
	if _, err := WritePack(context.Background(), out, testSource{classes: 1, bad: -1}, opt); err == nil || err.Error() != "pack: the dataset holds no images" {
		t.Errorf("empty source: %v", err)
	}
}

func TestPackHeaderErrors(t *testing.T) {
	src := testSource{n: 3, classes: 2, w: 4, h: 4, bad: -1}
	path, _ := writeTestPack(t, src, Preprocess{Size: 4, Channels: 3}, false)
	good, _ := os.ReadFile(path)
	edit := func(off int, b ...byte) []byte {
		c := bytes.Clone(good)
		copy(c[off:], b)
		return c
	}
	cases := map[string][]byte{
		"byte 0: magic":      edit(0, 'X'),
		"byte 8: version":    edit(8, 9),
		"byte 12: channels":  edit(12, 2),
		"byte 16: size":      edit(16, 0),
		"truncated":          good[:len(good)-1],
		"byte 20: 0 classes": edit(20, 0),
		"shorter than":       good[:10],
		"negative crop":      edit(48, 0, 0, 0, 0x80),
		"label 7":            edit(60+2+4+2+4, 7),
	}
	for want, data := range cases {
		if _, err := parsePackHeader(data); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	if _, err := parsePackHeader(good); err != nil {
		t.Fatal(err)
	}
}

func FuzzPackHeader(f *testing.F) {
	h := &packHeader{channels: 1, size: 2, classes: []string{"a", "bb"}, labels: []int{0, 1, 1}, images: 3}
	h.dataOffset = packDataOffset(h.classes, 3)
	f.Add(append(appendPackHeader(nil, h), make([]byte, 12)...))
	f.Add([]byte(packMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := parsePackHeader(b)
		if err != nil {
			return
		}
		if int64(len(b)) != h.dataOffset+int64(h.images)*h.imageBytes() || len(h.labels) != h.images {
			t.Fatalf("accepted header inconsistent with %d bytes: %+v", len(b), h)
		}
		again, err := parsePackHeader(append(appendPackHeader(nil, h), b[h.dataOffset:]...))
		if err != nil || !reflect.DeepEqual(again, h) {
			t.Fatalf("re-encoded header does not parse back: %v", err)
		}
	})
}
