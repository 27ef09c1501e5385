package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAlignCommand(t *testing.T) {
	dir := t.TempDir()
	images := filepath.Join(dir, "faces")
	for _, rel := range []string{"ann/1.png", "ann/2.png", "bob/1.png"} {
		p := filepath.Join(images, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, image.NewRGBA(image.Rect(0, 0, 80, 90)))
		f.Close()
	}
	lm := filepath.Join(dir, "lm.txt")
	os.WriteFile(lm, []byte("ann/1.png,28,40,52,40,40,55,30,70,50,70\nbob/1.png 27 41 53 39 41 56 31 71 51 69\n"), 0o644)
	out := filepath.Join(dir, "aligned")
	code, stdout, stderr := runCmd(t, "align", "--images", images, "--landmarks", lm, "--out", out, "--template", "sphereface")
	if code != exitOK || !strings.Contains(stdout, "aligned 2 images") || !strings.Contains(stdout, "1 without landmarks skipped") ||
		!strings.Contains(stderr, filepath.Join("ann", "2.png")) {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	f, err := os.Open(filepath.Join(out, "bob", "1.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if cfg, err := png.DecodeConfig(f); err != nil || cfg.Width != 96 || cfg.Height != 112 {
		t.Errorf("sphereface output %dx%d, %v; want 96x112", cfg.Width, cfg.Height, err)
	}

	os.WriteFile(lm, []byte("ann/1.png 28 40 52 40 40 55 30 70\n"), 0o644)
	out2 := filepath.Join(dir, "aligned2")
	code, _, stderr = runCmd(t, "align", "--images", images, "--landmarks", lm, "--out", out2)
	if code != exitError || !strings.Contains(stderr, lm+":1: expected") {
		t.Errorf("4 points: code %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Errorf("--out written after an error: %v", err)
	}
	if code, _, _ := runCmd(t, "align", "--images", images, "--landmarks", lm, "--out", out2, "--template", "dlib"); code != exitUsage {
		t.Errorf("unknown template: code %d, want %d", code, exitUsage)
	}
}
