package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/train"
)

// TestTrainSeveralValBins trains briefly with --val-bin twice and
// train.best_on naming the second: the run must verify on both (named by
// their files), report both, and record the choice in its config; a
// --val-bin that is not a pickle stops it before the run directory exists.
func TestTrainSeveralValBins(t *testing.T) {
	p3 := filepath.Join("..", "..", "internal", "data", "testdata", "lfwbin_p3.bin")
	p5 := filepath.Join("..", "..", "internal", "data", "testdata", "lfwbin_p5.bin")
	run := filepath.Join(t.TempDir(), "run")
	base := append([]string{"train", "--set", "synth.identities=20", "--set", "synth.per_identity=8", "--set", "train.epochs=1", "--no-progress"}, trainSets...)
	base = append(base, "--set", "optim.schedule.warmup_steps=4") // shorter than the 10 iterations
	code, out, errOut := runCmd(t, append(base, "--out", run, "--val-bin", p3, "--val-bin", p5, "--set", "train.best_on=lfwbin_p5")...)
	if code != exitOK {
		t.Fatalf("train: %d %s", code, errOut)
	}
	for _, want := range []string{"verification on lfwbin_p3 (10 pairs", "verification on lfwbin_p5 (10 pairs", "mean accuracy over the 2 sets", "follows lfwbin_p5"} {
		if !strings.Contains(out, want) {
			t.Errorf("train's report lacks %q:\n%s", want, out)
		}
	}
	m, err := train.ReadMetrics(filepath.Join(run, train.MetricsFile))
	if err != nil || len(m.Vals) != 2 || m.Vals[0].ValSet != "lfwbin_p3" || m.Vals[1].ValSet != "lfwbin_p5" {
		t.Fatalf("metrics.jsonl verifications %+v, %v", m, err)
	}
	cfg, err := train.LoadConfig(filepath.Join(run, train.ConfigFile), nil)
	if err != nil || len(cfg.Train.ValBin) != 2 || !filepath.IsAbs(cfg.Train.ValBin[1]) || cfg.Train.BestOn != "lfwbin_p5" {
		t.Errorf("saved config: val_bin %q, best_on %q, %v", cfg.Train.ValBin, cfg.Train.BestOn, err)
	}

	bad := filepath.Join(t.TempDir(), "cfp_fp.bin")
	if err := os.WriteFile(bad, []byte("not a pickle"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "run")
	code, _, errOut = runCmd(t, append(base, "--out", other, "--val-bin", p3, "--val-bin", bad)...)
	if code != exitError || !strings.Contains(errOut, bad) {
		t.Errorf("a bad --val-bin: code %d, stderr %q: want exit %d naming %s", code, errOut, exitError, bad)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Errorf("a bad --val-bin left %s behind", other)
	}
}
