package main

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/synth"
	"github.com/cocotrain/cocotrain/internal/train"
)

func TestSynthCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "synth", "--out", dir, "--identities", "2", "--per-identity", "2",
		"--eval-identities", "20", "--eval-per-identity", "2", "--size", "16", "--channels", "3", "--seed", "5")
	if code != exitOK || !strings.Contains(out, "seed 5, 16×16, 3 channel(s)") {
		t.Fatalf("code %d, out %q, stderr %q", code, out, errOut)
	}
	for _, args := range [][]string{{"synth"}, {"synth", "--out", dir, "--channels", "2"}, {"synth", "--out", dir, "extra"}} {
		if code, _, errOut := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
	// Writing over the tree just written is an error, not a usage error.
	if code, _, errOut := runCmd(t, "synth", "--out", dir, "--identities", "2", "--per-identity", "2", "--eval-identities", "0"); code != exitError || !strings.Contains(errOut, "already exists") {
		t.Errorf("rewrite: code %d, stderr %q", code, errOut)
	}
	// Without verification identities there is no pairs.txt.
	code, out, errOut = runCmd(t, "synth", "--out", t.TempDir(), "--identities", "2", "--per-identity", "2", "--eval-identities", "0", "--size", "16")
	if code != exitOK || !strings.Contains(out, "pairs.txt:  none") {
		t.Errorf("no eval identities: code %d, out %q, stderr %q", code, out, errOut)
	}
}

// TestSynthFromConfig writes the set a training config renders: its synth
// section, then --set, then the flags given, in that order of precedence.
func TestSynthFromConfig(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "synth", "--out", dir, "--config", "../../configs/synth-pretrain.yaml",
		"--set", "synth.identities=2", "--set", "synth.size=24", "--per-identity", "2", "--eval-identities", "0")
	if code != exitOK || !strings.Contains(out, "seed 1, 24×24, 3 channel(s)") || !strings.Contains(out, "2 identities") {
		t.Fatalf("code %d, out %q, stderr %q", code, out, errOut)
	}
	// The pixels are those of the generator built from the same settings.
	cfg, err := train.LoadConfig("../../configs/synth-pretrain.yaml", []string{"synth.identities=2", "synth.size=24"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Synth.PerIdentity, cfg.Synth.EvalIdentities = 2, 0
	g, err := synth.NewGenerator(cfg.Synth)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "train", synth.TrainName(1), "0002.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := g.Render(1, 1)
	for y := 0; y < 24; y++ {
		for x := 0; x < 24; x++ {
			if m.At(x, y) != want.At(x, y) {
				t.Fatalf("pixel (%d,%d): written %v, generator %v", x, y, m.At(x, y), want.At(x, y))
			}
		}
	}
	for _, args := range [][]string{
		{"synth", "--out", t.TempDir(), "--set", "synth.size=24"},                                                    // --set without --config
		{"synth", "--out", t.TempDir(), "--config", "../../configs/synth-pretrain.yaml", "--set", "synth.texture=2"}, // out of range
		{"synth", "--out", t.TempDir(), "--texture", "-1"},
	} {
		if code, _, errOut := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
}
