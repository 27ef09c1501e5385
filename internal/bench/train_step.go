package bench

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
)

// benchLR is the SGD learning rate of the timed steps: small enough that a
// random-label batch never diverges, so no step runs on NaNs or denormals.
const benchLR = 0.01

// Trainer is one network with a softmax head and an SGD optimizer over one
// fixed random batch: the unit `bench train` times (and the benchmarks in
// train_test.go profile). It is what scripts/bench_torch.py builds in PyTorch.
type Trainer struct {
	Net    *model.Net
	Head   loss.Head
	Arena  *params.Arena
	Opt    *optim.Optimizer
	x      []float32 // batch × C × S × S input, drawn once
	labels []int     // batch labels in [0, Classes)
	dEmb   []float32 // batch × D gradient of the loss with respect to the embedding
	batch  int
}

// ArchDefaults are the input channels, input side and embedding dimension
// `bench train` uses per architecture when TrainConfig leaves them 0 (the
// same table as scripts/bench_torch.py).
var ArchDefaults = map[string][3]int{
	"tiny":          {1, 64, 128},
	"small":         {3, 64, 128},
	"mobilefacenet": {3, 112, 128},
	"iresnet18":     {3, 112, 512},
}

// modelConfig resolves the architecture defaults of cfg.
func (cfg TrainConfig) modelConfig() (model.Config, error) {
	if err := cfg.validate(); err != nil {
		return model.Config{}, err
	}
	d := ArchDefaults[cfg.Arch]
	mc := model.Config{Arch: cfg.Arch, Channels: d[0], InputSize: d[1], EmbeddingDim: d[2]}
	if cfg.Channels > 0 {
		mc.Channels = cfg.Channels
	}
	if cfg.InputSize > 0 {
		mc.InputSize = cfg.InputSize
	}
	if cfg.EmbeddingDim > 0 {
		mc.EmbeddingDim = cfg.EmbeddingDim
	}
	return mc, nil
}

// NewTrainer builds the network cfg names with a cfg.Classes-way softmax head
// (linear with bias + cross-entropy), SGD with momentum 0.9 and weight decay
// 5e-4 on weights (optim's defaults), and a random batch (standard normal
// pixels, uniform labels) from a fixed seed. The net runs on threads
// goroutines (≤ 0: GOMAXPROCS) in training mode; cfg.Threads is ignored.
func NewTrainer(cfg TrainConfig, threads int) (*Trainer, error) {
	mc, err := cfg.modelConfig()
	if err != nil {
		return nil, err
	}
	a := params.New()
	net, err := model.New(mc, a)
	if err != nil {
		return nil, err
	}
	head, err := loss.New(loss.Config{Type: loss.TypeSoftmax}, mc.EmbeddingDim, cfg.Classes, a)
	if err != nil {
		return nil, err
	}
	a.Alloc()
	net.Init(1)
	head.Init(2)
	oc := optim.DefaultConfig()
	oc.LR = benchLR
	oc.Schedule.Kind = "constant"
	opt, err := optim.New(oc, a)
	if err != nil {
		return nil, err
	}
	t := &Trainer{Net: net, Head: head, Arena: a, Opt: opt, batch: cfg.Batch}
	rng := rand.New(rand.NewPCG(3, 4))
	t.x = make([]float32, cfg.Batch*mc.Channels*mc.InputSize*mc.InputSize)
	for i := range t.x {
		t.x[i] = float32(rng.NormFloat64())
	}
	t.labels = make([]int, cfg.Batch)
	for i := range t.labels {
		t.labels[i] = rng.IntN(cfg.Classes)
	}
	t.dEmb = make([]float32, cfg.Batch*mc.EmbeddingDim)
	net.SetThreads(threads)
	net.SetTraining(true)
	return t, nil
}

// Step runs one training step on the batch (zero the gradients, forward,
// head forward and backward, backward, SGD update) and returns the loss. It
// returns an error if the loss or the gradient norm is not finite.
func (t *Trainer) Step() (float64, error) {
	t.Arena.ZeroGrad()
	emb := t.Net.Forward(t.x, t.batch)
	l, _ := t.Head.Forward(emb, t.labels)
	t.Head.Backward(t.dEmb)
	t.Net.Backward(t.dEmb)
	norm := t.Opt.Step(benchLR)
	if math.IsNaN(l) || math.IsInf(l, 0) || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return l, fmt.Errorf("bench train: non-finite loss %g or gradient norm %g", l, norm)
	}
	return l, nil
}

// Infer runs the eval-mode forward pass of the batch (model.Net.Infer)
// and returns the batch × D embeddings.
func (t *Trainer) Infer() []float32 { return t.Net.Infer(t.x, t.batch) }
