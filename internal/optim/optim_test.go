package optim

import (
	"math"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// oneParam is an arena with one scalar parameter of the given kind.
func oneParam(kind params.Kind) *params.Arena {
	a := params.New()
	a.Declare("p", kind, 1)
	a.Alloc()
	return a
}

func TestSGDByHand(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Momentum, cfg.WeightDecay = 0.9, 0.1
	a := oneParam(params.Weight)
	o, err := New(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Data[0] = 1
	a.Grad[0] = 0.5
	o.Step(0.1) // d = 0.5 + 0.1·1 = 0.6; b = 0.6; w = 1 − 0.06
	a.Grad[0] = 0.5
	o.Step(0.1) // d = 0.5 + 0.1·0.94 = 0.594; b = 0.54 + 0.594 = 1.134; w = 0.94 − 0.1134
	if got := a.Data[0]; math.Abs(float64(got)-0.8266) > 1e-6 {
		t.Errorf("w = %v, want 0.8266", got)
	}
	if o.Steps() != 2 {
		t.Errorf("Steps = %d", o.Steps())
	}
	cfg.Nesterov = true
	a = oneParam(params.Weight)
	o, _ = New(cfg, a)
	a.Data[0], a.Grad[0] = 1, 0.5
	o.Step(0.1) // d = 0.6; b = 0.6; d = 0.6 + 0.9·0.6 = 1.14; w = 1 − 0.114
	if got := a.Data[0]; math.Abs(float64(got)-0.886) > 1e-6 {
		t.Errorf("nesterov w = %v, want 0.886", got)
	}
}

func TestAdamWByHand(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Name, cfg.WeightDecay, cfg.Eps = "adamw", 0.5, 1e-8
	a := oneParam(params.Weight)
	o, err := New(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Data[0], a.Grad[0] = 2, -3
	o.Step(0.01) // w = 2·(1 − 0.005) − 0.01·m̂/(√v̂ + ε) with m̂ = −3, √v̂ = 3
	want := 2*(1-0.005) + 0.01*3/(3+1e-8)
	if got := a.Data[0]; math.Abs(float64(got)-want) > 1e-6 {
		t.Errorf("w = %v, want %v", got, want)
	}
}

// TestDecayMask: with zero gradients only the decay moves parameters, and
// only those of decayed kinds; buffers are never touched.
func TestDecayMask(t *testing.T) {
	for _, name := range []string{"sgd", "adamw"} {
		a := params.New()
		kinds := []params.Kind{params.Weight, params.Bias, params.Norm, params.PReLU, params.Center, params.Buffer}
		for _, k := range kinds {
			a.Declare(k.String(), k, 3)
		}
		a.Alloc()
		for i := range a.Data {
			a.Data[i] = 1
		}
		for i := range a.State {
			a.State[i] = 1
		}
		cfg := DefaultConfig()
		cfg.Name, cfg.WeightDecay = name, 0.1
		o, err := New(cfg, a)
		if err != nil {
			t.Fatal(err)
		}
		o.Step(0.5)
		for _, k := range kinds {
			p := a.Lookup(k.String())
			decayed := k == params.Weight || k == params.Center
			for _, w := range p.W {
				if (w != 1) != decayed {
					t.Errorf("%s: %s = %v, decayed %v", name, k, w, decayed)
				}
			}
		}
	}
}

func TestClipGradNorm(t *testing.T) {
	g := []float32{3, 4}
	if n := ClipGradNorm(g, 0); n != 5 || g[0] != 3 {
		t.Errorf("measure only: norm %v, g %v", n, g)
	}
	if n := ClipGradNorm(g, 10); n != 5 || g[0] != 3 {
		t.Errorf("under the limit: norm %v, g %v", n, g)
	}
	if n := ClipGradNorm(g, 1); n != 5 || math.Abs(float64(g[0])-0.6) > 1e-6 || math.Abs(float64(g[1])-0.8) > 1e-6 {
		t.Errorf("clipped: norm %v, g %v", n, g)
	}
	nan := []float32{float32(math.NaN()), 1}
	if n := ClipGradNorm(nan, 1); !math.IsNaN(n) || nan[1] != 1 {
		t.Errorf("NaN: norm %v, g %v", n, nan)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Name = "adam" }, "optim.name = adam"},
		{func(c *Config) { c.LR = 0 }, "optim.lr"},
		{func(c *Config) { c.Momentum = 1 }, "optim.momentum"},
		{func(c *Config) { c.Momentum, c.Nesterov = 0, true }, "optim.nesterov"},
		{func(c *Config) { c.WeightDecay = -1 }, "optim.weight_decay"},
		{func(c *Config) { c.Beta2 = 1 }, "optim.beta2"},
		{func(c *Config) { c.Eps = 0 }, "optim.eps"},
		{func(c *Config) { c.ClipGradNorm = math.NaN() }, "optim.clip_grad_norm"},
		{func(c *Config) { c.NoDecay = []string{"bn"} }, `unknown kind "bn"`},
		{func(c *Config) { c.Schedule.Kind = "step" }, "optim.schedule.kind"},
		{func(c *Config) { c.Schedule.WarmupSteps, c.Schedule.WarmupEpochs = 1, 1 }, "not both"},
		{func(c *Config) { c.Schedule.Milestones = []float64{5, 3} }, "optim.schedule.milestones"},
		{func(c *Config) { c.Schedule.MinLR = 1 }, "optim.schedule.min_lr"},
		{func(c *Config) { c.Schedule.Kind, c.Schedule.Power = "poly", 0 }, "optim.schedule.power"},
	} {
		cfg := DefaultConfig()
		tc.edit(&cfg)
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Errorf("default config invalid: %v", err)
	}
}

func TestScheduleByHand(t *testing.T) {
	sc := ScheduleConfig{Kind: "multistep", WarmupEpochs: 0.5, Milestones: []float64{1, 2}, Gamma: 0.1}
	s, err := NewSchedule(sc, 1, 10, 30)
	if err != nil {
		t.Fatal(err)
	}
	for step, want := range map[int]float64{0: 0.2, 4: 1, 5: 1, 9: 1, 10: 0.1, 19: 0.1, 20: 0.01, 29: 0.01} {
		if got := s.LR(step); math.Abs(got-want) > 1e-12 {
			t.Errorf("multistep LR(%d) = %v, want %v", step, got, want)
		}
	}
	s, _ = NewSchedule(ScheduleConfig{Kind: "cosine", MinLR: 0.1}, 1, 10, 20)
	if got := s.LR(10); math.Abs(got-0.55) > 1e-12 {
		t.Errorf("cosine midpoint %v, want 0.55", got)
	}
	if got := s.LR(25); got != 0.1 {
		t.Errorf("cosine past the end %v, want min_lr 0.1", got)
	}
	if _, err := NewSchedule(sc, 1, 0, 30); err == nil {
		t.Error("no error for zero steps per epoch")
	}
}

// TestNonFiniteGradientSkipsUpdate: a NaN or Inf gradient leaves parameters,
// state and step count as they were.
func TestNonFiniteGradientSkipsUpdate(t *testing.T) {
	for _, name := range []string{"sgd", "adamw"} {
		cfg := DefaultConfig()
		cfg.Name = name
		a := testArena()
		o, _ := New(cfg, a)
		for i := range a.Grad {
			a.Data[i], a.Grad[i] = 1, 0.5
		}
		o.Step(0.1)
		before := append([]float32(nil), a.Data...)
		slot := append([]float32(nil), o.slots[0]...)
		for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(-1))} {
			a.Grad[3] = bad
			if n := o.Step(0.1); !math.IsNaN(n) && !math.IsInf(n, 0) {
				t.Errorf("%s: norm %v for a gradient %v", name, n, bad)
			}
			for i := range before {
				if a.Data[i] != before[i] || o.slots[0][i] != slot[i] {
					t.Fatalf("%s: element %d changed after a %v gradient", name, i, bad)
				}
			}
			if o.Steps() != 1 {
				t.Errorf("%s: step %d after a skipped update", name, o.Steps())
			}
		}
	}
}
