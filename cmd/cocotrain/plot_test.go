package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/plot"
)

// TestPlotRun trains a short run with verifications and plots it: the PNG
// decodes, has the figure's size (four panels) and holds coloured curves.
func TestPlotRun(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	args := append([]string{"train", "--out", run, "--no-progress", "--set", "synth.identities=20", "--set", "synth.per_identity=8",
		"--set", "synth.eval_identities=20", "--set", "synth.eval_per_identity=2", "--set", "train.epochs=2"}, trainSets...)
	args = append(args, "--set", "optim.schedule.warmup_steps=4", "--set", "train.log_every=2", "--set", "train.val_every=5")
	if code, _, errOut := runCmd(t, args...); code != exitOK {
		t.Fatalf("train: %d %s", code, errOut)
	}
	out := filepath.Join(t.TempDir(), "curves.png")
	if code, stdout, errOut := runCmd(t, "plot", run, "--out", out); code != exitOK || !strings.Contains(stdout, out) {
		t.Fatalf("plot: %d %s %s", code, stdout, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	w, h := int(plot.Width.Dots(96)+0.5), int(4*plot.PanelHeight.Dots(96)+0.5)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("curves.png is %v, want %d×%d", b.Size(), w, h)
	}
	var coloured [4]int // per panel, top to bottom
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r != g || g != b {
				coloured[min(3, 4*(y-img.Bounds().Min.Y)/img.Bounds().Dy())]++
			}
		}
	}
	for i, n := range coloured {
		if n < 100 {
			t.Errorf("panel %d of curves.png has %d coloured pixels: no curve drawn", i+1, n)
		}
	}
	if code, _, _ := runCmd(t, "plot", t.TempDir()); code != exitError {
		t.Errorf("plot of a directory without metrics: exit %d, want %d", code, exitError)
	}
	if code, _, _ := runCmd(t, "plot"); code != exitUsage {
		t.Errorf("plot without RUNDIR: exit %d, want %d", code, exitUsage)
	}
}
