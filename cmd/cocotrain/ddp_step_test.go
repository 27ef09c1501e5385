package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
	"gopkg.in/yaml.v3"
)

// stepCase is one training setup that TestTorchStepAgrees runs on both
// engines.
type stepCase struct {
	name  string
	loss  func(*loss.Config)
	optim func(*optim.Config)
}

// TestTorchStepAgrees runs three training steps of cocotrain's loop (the
// network in training mode, the loss head, backward, optimizer step at the
// schedule's learning rate: what internal/train's trainStep does) from
// seeded weights on fixed batches, and the same three steps in one PyTorch
// process with python/cocotrain_torch's train_step (train_ddp.py's step, no
// distribution) from the same weights on the same batches
// (scripts/check_torch_step.py). Every tensor afterwards (weights, head,
// batch-norm running statistics) must agree to 1e-4 relative. The cases
// cover the CoCo head with auto α under SGD with momentum, weight decay and
// a cosine schedule with warmup; ArcFace under Nesterov SGD with a multistep
// schedule; the center head under AdamW with clipping and a polynomial
// schedule; CoCo with its auxiliary softmax under plain SGD.
//
// The settings keep the comparison well conditioned: tiny's bn4.bias has
// gradients of ~1e-9 where the embedding's batch norm cancels a shift, and
// AdamW's first update at eps 1e-8 turns such float noise into ±lr steps
// (so that case uses eps 1e-4). Steps that make the loss diverge amplify
// round-off chaotically: the auxiliary softmax case at lr 0.1 without
// momentum (loss 4.0 → 6.2 by step 3) and ArcFace at lr 0.05 (11.5 → 14.1)
// did, so they use lr 0.01 and 0.002. (ArcFace at 0.005 agreed to 9e-6 or
// missed by 8.6e-4 in bn1.bias depending on the GEMM's K blocking alone:
// one discrete event, the same 0.38% of the update on two paths that round
// differently.)
func TestTorchStepAgrees(t *testing.T) {
	tl := findExportTools(t)
	tl.skipTorch(t)
	cases := []stepCase{
		{"coco-sgd-cosine", func(*loss.Config) {}, func(o *optim.Config) { o.Schedule.WarmupSteps = 2 }},
		{"arcface-nesterov-multistep", func(l *loss.Config) { l.Type = loss.TypeArcFace; l.S = 16 }, func(o *optim.Config) {
			o.Nesterov, o.LR = true, 0.002
			o.Schedule = optim.ScheduleConfig{Kind: "multistep", Milestones: []float64{1}, Gamma: 0.1}
		}},
		{"center-adamw-poly-clip", func(l *loss.Config) { l.Type, l.CenterLambda = loss.TypeCenter, 0.1 }, func(o *optim.Config) {
			o.Name, o.LR, o.WeightDecay, o.ClipGradNorm, o.Eps = "adamw", 1e-3, 0.05, 1, 1e-4
			o.Schedule = optim.ScheduleConfig{Kind: "poly", Power: 2, WarmupEpochs: 0.5}
		}},
		{"coco-aux-plain-sgd", func(l *loss.Config) { l.AuxSoftmaxWeight, l.Alpha = 0.4, "12" }, func(o *optim.Config) {
			o.Momentum, o.NoDecay, o.LR = 0, []string{"norm"}, 0.01
			o.Schedule.Kind = "constant"
		}},
	}
	dir := t.TempDir()
	args := []string{filepath.Join(tl.scripts, "check_torch_step.py")}
	for _, c := range cases {
		d := filepath.Join(dir, c.name)
		runGoSteps(t, d, c)
		args = append(args, d)
	}
	runChecker(t, tl.python, args...)
}

// Sizes of the step test: tiny at 32×32 RGB → 32, 6 classes, batches of 8,
// 3 steps of a 6-step run (2 steps per epoch).
const (
	stepBatch, stepClasses, stepCount, stepsPerEpoch, stepTotal = 8, 6, 3, 2, 6
)

// runGoSteps writes into dir the case's config.yaml, init.safetensors (every
// tensor before), batches.safetensors (x<i>, y<i>: the inputs and labels of
// step i) and after.safetensors (every tensor after stepCount steps).
func runGoSteps(t *testing.T, dir string, c stepCase) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := struct {
		Model model.Config `yaml:"model"`
		Loss  loss.Config  `yaml:"loss"`
		Optim optim.Config `yaml:"optim"`
		Run   map[string]int
	}{
		Model: model.Config{Arch: "tiny", InputSize: 32, Channels: 3, EmbeddingDim: 32, Winograd: "off"},
		Loss:  loss.DefaultConfig(), Optim: optim.DefaultConfig(),
		Run: map[string]int{"steps": stepCount, "steps_per_epoch": stepsPerEpoch, "total": stepTotal},
	}
	c.loss(&cfg.Loss)
	c.optim(&cfg.Optim)
	b, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	a := params.New()
	net, err := model.New(cfg.Model, a)
	if err != nil {
		t.Fatal(err)
	}
	head, err := loss.New(cfg.Loss, net.EmbeddingDim(), stepClasses, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	net.Init(1)
	head.Init(2)
	net.SetTraining(true)
	net.SetThreads(1)
	opt, err := optim.New(cfg.Optim, a)
	if err != nil {
		t.Fatal(err)
	}
	sched, err := optim.NewSchedule(cfg.Optim.Schedule, cfg.Optim.LR, stepsPerEpoch, stepTotal)
	if err != nil {
		t.Fatal(err)
	}
	saveArena(t, filepath.Join(dir, "init.safetensors"), a)
	batches := safetensors.New()
	rng := rand.New(rand.NewPCG(3, 4))
	n := net.InShape().Size()
	dEmb := make([]float32, stepBatch*net.EmbeddingDim())
	for s := range stepCount {
		x := make([]float32, stepBatch*n)
		for i := range x {
			x[i] = float32(2*rng.Float64() - 1)
		}
		y, yf := make([]int, stepBatch), make([]float32, stepBatch)
		for i := range y {
			y[i] = (i + s) % stepClasses // every class, some twice
			yf[i] = float32(y[i])
		}
		if err := batches.AddF32(fmt.Sprintf("x%d", s), []int{stepBatch, 3, 32, 32}, x); err != nil {
			t.Fatal(err)
		}
		if err := batches.AddF32(fmt.Sprintf("y%d", s), []int{stepBatch}, yf); err != nil {
			t.Fatal(err)
		}
		a.ZeroGrad()
		emb := net.Forward(x, stepBatch)
		head.Forward(emb, y)
		head.Backward(dEmb)
		net.Backward(dEmb)
		opt.Step(sched.LR(s))
	}
	if err := safetensors.WriteFile(filepath.Join(dir, "batches.safetensors"), batches); err != nil {
		t.Fatal(err)
	}
	saveArena(t, filepath.Join(dir, "after.safetensors"), a)
}

// saveArena writes every tensor of a by name.
func saveArena(t *testing.T, path string, a *params.Arena) {
	t.Helper()
	f := safetensors.New()
	for _, p := range a.Params {
		if err := f.AddF32(p.Name, p.Shape, p.W); err != nil {
			t.Fatal(err)
		}
	}
	if err := safetensors.WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
}
