package train

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// TestReadCheckpointConfig saves a checkpoint of a config and reads the
// config back whole; a config that does not decode or validate is refused
// with the file and the key named.
func TestReadCheckpointConfig(t *testing.T) {
	cfg, err := LoadConfig("", []string{"train.threads=3", "model.embedding_dim=64"})
	if err != nil {
		t.Fatal(err)
	}
	a := params.New()
	a.Declare("backbone.fc.weight", params.Weight, 3, 2)
	a.Alloc()
	o, err := optim.New(cfg.Optim, a)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ck.safetensors")
	meta := checkpointMeta{cfg: cfg, step: 4, epoch: 0, classes: []string{"a", "b"}, digest: "d",
		pos: Position{Seed: cfg.Train.Seed, Batch: 4}, bestVal: math.NaN(), valAcc: math.NaN()}
	if err := saveCheckpoint(path, a, o, meta); err != nil {
		t.Fatal(err)
	}
	ck, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err1 := config.Marshal(ck.Config)
	want, err2 := config.Marshal(cfg)
	if err1 != nil || err2 != nil || string(got) != string(want) || ck.Config.Train.Threads != 3 || ck.Step != 4 || ck.Position.Batch != 4 {
		t.Errorf("read back at step %d:\n%s\nwant\n%s", ck.Step, got, want)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"train:\n  nosuch: 1\n", "train.nosuch"},
		{"train:\n  epochs: 0\n", "train.epochs"},
	} {
		f := ck.File
		f.Metadata[checkpoint.MetaConfig] = tc.yaml
		bad := filepath.Join(dir, "bad.safetensors")
		if err := safetensors.WriteFile(bad, f); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCheckpoint(bad); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("config %q: %v, want an error with %q", tc.yaml, err, tc.want)
		}
	}
}
