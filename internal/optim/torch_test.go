package optim

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// torchFixture is testdata/torch.json, written by scripts/optim_fixtures.py.
type torchFixture struct {
	Optimizers []struct {
		Label, Name       string
		Momentum          float64
		Nesterov          bool
		WeightDecay       float64 `json:"weight_decay"`
		Beta1, Beta2, Eps float64
		ClipGradNorm      float64 `json:"clip_grad_norm"`
		LRs               []float64
		Init              []float64
		Grads, After      [][]float64
		Norms             []*float64
	}
	Schedules []struct {
		Kind          string
		WarmupSteps   int     `json:"warmup_steps"`
		WarmupEpochs  float64 `json:"warmup_epochs"`
		Milestones    []float64
		Gamma, Power  float64
		MinLR         float64 `json:"min_lr"`
		Base          float64
		StepsPerEpoch int `json:"steps_per_epoch"`
		Total         int
		LRs           []float64
	}
}

func loadTorch(t *testing.T) *torchFixture {
	t.Helper()
	b, err := os.ReadFile("testdata/torch.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx torchFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return &fx
}

// testArena declares the fixture's tensors (w: weight 3×4, bn: norm 4,
// c: center 2×3) with a buffer between them that no optimizer may touch.
func testArena() *params.Arena {
	a := params.New()
	a.Declare("w", params.Weight, 3, 4)
	a.Declare("bn.running_mean", params.Buffer, 4)
	a.Declare("bn", params.Norm, 4)
	a.Declare("c", params.Center, 2, 3)
	a.Alloc()
	for i := range a.State {
		a.State[i] = float32(i) + 0.5
	}
	return a
}

func fill(dst []float32, src []float64) {
	for i, x := range src {
		dst[i] = float32(x)
	}
}

// close32 reports whether got agrees with the float32 reference want to a
// few ulps (relative 2e-6, absolute 1e-7).
func close32(got float32, want float64) bool {
	return math.Abs(float64(got)-want) <= 1e-7+2e-6*math.Abs(want)
}

func TestAgainstPyTorch(t *testing.T) {
	for _, c := range loadTorch(t).Optimizers {
		t.Run(c.Label, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Name, cfg.Momentum, cfg.Nesterov, cfg.WeightDecay = c.Name, c.Momentum, c.Nesterov, c.WeightDecay
			cfg.Beta1, cfg.Beta2, cfg.Eps, cfg.ClipGradNorm = c.Beta1, c.Beta2, c.Eps, c.ClipGradNorm
			a := testArena()
			state := append([]float32(nil), a.State...)
			o, err := New(cfg, a)
			if err != nil {
				t.Fatal(err)
			}
			fill(a.Data, c.Init)
			for s, lr := range c.LRs {
				fill(a.Grad, c.Grads[s])
				norm := o.Step(lr)
				if c.Norms[s] != nil && math.Abs(norm-*c.Norms[s]) > 1e-5**c.Norms[s] {
					t.Errorf("step %d: grad norm %v, torch %v", s, norm, *c.Norms[s])
				}
				for i, want := range c.After[s] {
					if !close32(a.Data[i], want) {
						t.Fatalf("step %d: param[%d] = %v, torch %v", s, i, a.Data[i], want)
					}
				}
			}
			for i := range state {
				if a.State[i] != state[i] {
					t.Fatalf("buffer element %d changed", i)
				}
			}
		})
	}
}

func TestScheduleAgainstPyTorch(t *testing.T) {
	for _, c := range loadTorch(t).Schedules {
		sc := ScheduleConfig{Kind: c.Kind, WarmupSteps: c.WarmupSteps, WarmupEpochs: c.WarmupEpochs,
			Milestones: c.Milestones, Gamma: c.Gamma, Power: c.Power, MinLR: c.MinLR}
		s, err := NewSchedule(sc, c.Base, c.StepsPerEpoch, c.Total)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.LRs) != c.Total {
			t.Fatalf("%s: fixture has %d LRs for %d steps", c.Kind, len(c.LRs), c.Total)
		}
		for step, want := range c.LRs {
			if got := s.LR(step); math.Abs(got-want) > 1e-12+1e-9*want {
				t.Errorf("%s (warmup %d): LR(%d) = %v, torch %v", c.Kind, s.Warmup(), step, got, want)
			}
		}
	}
}
