package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

func TestPackCommand(t *testing.T) {
	dir := t.TempDir()
	for _, rel := range []string{"ann/1.png", "ann/2.png", "bob/1.png"} {
		p := filepath.Join(dir, "train", rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, image.NewGray(image.Rect(0, 0, 9, 7)))
		f.Close()
	}
	os.WriteFile(filepath.Join(dir, "train", "bob", "2.png"), []byte("broken"), 0o644)
	out := filepath.Join(dir, "train.pack")
	code, _, errOut := runCmd(t, "pack", "--data", filepath.Join(dir, "train"), "--out", out, "--quiet")
	if code != exitError || !strings.Contains(errOut, filepath.Join("bob", "2.png")) {
		t.Fatalf("corrupt image: code %d, stderr %q", code, errOut)
	}
	code, stdout, errOut := runCmd(t, "pack", "--data", filepath.Join(dir, "train"), "--out", out, "--size", "8", "--channels", "1", "--skip-bad", "--quiet")
	if code != exitOK || !strings.Contains(stdout, "packed 3 images of 2 identities") || !strings.Contains(stdout, "1 unreadable") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	// Without --quiet, stderr (a buffer, not a terminal) gets no progress bar.
	os.Remove(out)
	code, _, errOut = runCmd(t, "pack", "--data", filepath.Join(dir, "train"), "--out", out, "--size", "8", "--channels", "1", "--skip-bad")
	if code != exitOK || strings.ContainsAny(errOut, "\r\x1b") {
		t.Fatalf("pack without a terminal: code %d, stderr %q", code, errOut)
	}
	p, err := data.OpenPack(out)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if c, s := p.PixelShape(); c != 1 || s != 8 || p.Len() != 3 {
		t.Fatalf("pack %d×%d with %d images", c, s, p.Len())
	}
	for _, args := range [][]string{{"pack", "--out", out}, {"pack", "--data", dir, "--out", out, "--channels", "2"}, {"pack", "--data", dir, "--out", out, "--crop", "1,2"}} {
		if code, _, _ := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: code %d, want %d", args, code, exitUsage)
		}
	}
}
