package optim

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// train runs n steps with deterministic pseudo-random gradients derived from
// the step count, so two optimizers at the same step see the same gradients.
func train(o *Optimizer, a *params.Arena, s *Schedule, n int) {
	for range n {
		r := rand.New(rand.NewPCG(uint64(o.Steps()), 7))
		for i := range a.Grad {
			a.Grad[i] = float32(r.NormFloat64())
		}
		o.Step(s.LR(o.Steps()))
	}
}

// roundTrip saves the optimizer and weights, encodes and decodes the file.
func roundTrip(t *testing.T, o *Optimizer, a *params.Arena) *safetensors.File {
	t.Helper()
	f := safetensors.New()
	if err := o.SaveState(f); err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Params {
		if err := f.AddF32(p.Name, p.Shape, p.W); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := safetensors.Encode(&buf, f); err != nil {
		t.Fatal(err)
	}
	g, err := safetensors.Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestResumeBitExact: 5 steps, save, restore into a fresh optimizer and
// arena, 5 more steps, equals 10 straight steps bit for bit.
func TestResumeBitExact(t *testing.T) {
	for _, cfg := range []Config{DefaultConfig(), func() Config {
		c := DefaultConfig()
		c.Name, c.WeightDecay, c.ClipGradNorm = "adamw", 0.05, 3
		c.Schedule = ScheduleConfig{Kind: "poly", WarmupSteps: 3, Power: 2}
		return c
	}()} {
		s, err := NewSchedule(cfg.Schedule, cfg.LR, 4, 10)
		if err != nil {
			t.Fatal(err)
		}
		straight := testArena()
		o1, _ := New(cfg, straight)
		fill(straight.Data, []float64{1, -2, 3, 0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1, 1, 1, 1, -1, 2, -3, 4, -5, 6})
		train(o1, straight, s, 5)
		f := roundTrip(t, o1, straight)
		train(o1, straight, s, 5)

		resumed := testArena()
		o2, _ := New(cfg, resumed)
		for _, p := range resumed.Params {
			if err := f.CopyF32(p.Name, p.W, p.Shape); err != nil {
				t.Fatal(err)
			}
		}
		if err := o2.LoadState(f); err != nil {
			t.Fatal(err)
		}
		if o2.Steps() != 5 {
			t.Fatalf("restored step %d, want 5", o2.Steps())
		}
		train(o2, resumed, s, 5)
		for i := range straight.Data {
			if straight.Data[i] != resumed.Data[i] {
				t.Fatalf("%s: element %d: straight %v, resumed %v", cfg.Name, i, straight.Data[i], resumed.Data[i])
			}
		}
	}
}

func TestLoadStateRejects(t *testing.T) {
	cfg := DefaultConfig()
	a := testArena()
	o, _ := New(cfg, a)
	s, _ := NewSchedule(cfg.Schedule, cfg.LR, 2, 4)
	train(o, a, s, 2)
	good := roundTrip(t, o, a)

	other := DefaultConfig()
	other.Name = "adamw"
	small := params.New()
	small.Declare("w", params.Weight, 4, 3)
	small.Declare("bn", params.Norm, 4)
	small.Declare("c", params.Center, 2, 3)
	small.Alloc()
	extra := params.New()
	extra.Declare("w", params.Weight, 3, 4)
	extra.Alloc()
	missing := params.New()
	missing.Declare("w", params.Weight, 3, 4)
	missing.Declare("bn", params.Norm, 4)
	missing.Declare("c", params.Center, 2, 3)
	missing.Declare("d", params.Weight, 1)
	missing.Alloc()
	bare := safetensors.New()

	for _, tc := range []struct {
		cfg  Config
		a    *params.Arena
		f    *safetensors.File
		want string
	}{
		{other, testArena(), good, `optimizer is "sgd", config says "adamw"`},
		{cfg, small, good, `"optim.w.momentum_buffer" has shape [3 4], want [4 3]`},
		{cfg, extra, good, `"optim.bn.momentum_buffer" belongs to no parameter`},
		{cfg, missing, good, `no tensor "optim.d.momentum_buffer"`},
		{cfg, testArena(), bare, "no optimizer state"},
	} {
		o, err := New(tc.cfg, tc.a)
		if err != nil {
			t.Fatal(err)
		}
		err = o.LoadState(tc.f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
		if o.Steps() != 0 {
			t.Error("a failed LoadState changed the step")
		}
		for _, slot := range o.slots {
			for _, x := range slot {
				if x != 0 {
					t.Fatal("a failed LoadState changed the state")
				}
			}
		}
	}
	good.Metadata["optim.step"] = "-3"
	if err := o.LoadState(good); err == nil || !strings.Contains(err.Error(), "optim.step") {
		t.Errorf("bad step: error %v", err)
	}
}
