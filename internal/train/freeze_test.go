package train

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// snapshot copies the values of the arena tensors whose name keep accepts.
func snapshot(a *params.Arena, keep func(string) bool) map[string][]float32 {
	out := map[string][]float32{}
	for _, p := range a.Params {
		if keep(p.Name) {
			out[p.Name] = slices.Clone(p.W)
		}
	}
	return out
}

// TestFreezeBackbone trains a run started from a pretrained checkpoint with
// train.freeze_backbone_steps 3 step by step: for 3 steps every backbone
// tensor (weights and batch-norm statistics) stays bit-identical and has no
// optimizer state, while the head trains; the 4th step moves both the
// weights and the statistics.
func TestFreezeBackbone(t *testing.T) {
	ckPath := pretrained(t)
	r, err := setupSmall(t, "synth.seed=2", "train.init_from="+ckPath, "train.freeze_backbone_steps=3")
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	it := r.loader.Epoch(context.Background(), 0, 0)
	defer it.Close()
	head := func(name string) bool { return !isBackbone(name) }
	for step := range 4 {
		b, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		before, headBefore := snapshot(r.arena, isBackbone), snapshot(r.arena, head)
		if _, _, err := r.trainStep(b); err != nil {
			t.Fatal(err)
		}
		after, headAfter := snapshot(r.arena, isBackbone), snapshot(r.arena, head)
		var moved, movedStats []string
		for name, w := range before {
			if !slices.Equal(w, after[name]) {
				if r.arena.Lookup(name).Kind == params.Buffer {
					movedStats = append(movedStats, name)
				} else {
					moved = append(moved, name)
				}
			}
		}
		if slices.Equal(headBefore[loss.ParamCentroids], headAfter[loss.ParamCentroids]) {
			t.Errorf("step %d: the head did not train", step+1)
		}
		if step < 3 {
			if len(moved)+len(movedStats) > 0 {
				t.Errorf("step %d (frozen): backbone tensors moved: %v %v", step+1, moved, movedStats)
			}
			if step == 2 {
				checkNoBackboneState(t, r)
			}
			continue
		}
		if len(moved) == 0 || len(movedStats) == 0 {
			t.Errorf("step 4 (unfrozen): %d weight tensors and %d statistics moved, want both", len(moved), len(movedStats))
		}
	}
}

// checkNoBackboneState saves r and fails unless the optimizer state of
// every backbone tensor is zero (no momentum gathered while frozen) and
// the head's is not.
func checkNoBackboneState(t *testing.T, r *runner) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	if err := r.save(path, math.NaN()); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var backbone, head int
	for _, tn := range f.Tensors {
		name, ok := strings.CutPrefix(tn.Name, "optim.")
		if !ok {
			continue
		}
		v, _, err := f.F32(tn.Name)
		if err != nil {
			t.Fatal(err)
		}
		nonzero := slices.ContainsFunc(v, func(x float32) bool { return x != 0 })
		switch {
		case isBackbone(name):
			backbone++
			if nonzero {
				t.Errorf("%s is not zero after frozen steps", tn.Name)
			}
		case !nonzero:
			t.Errorf("%s is zero after 3 steps of the head", tn.Name)
		default:
			head++
		}
	}
	if backbone == 0 || head == 0 {
		t.Errorf("%d backbone and %d head optimizer tensors", backbone, head)
	}
}
