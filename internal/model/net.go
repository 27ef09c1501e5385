// Package model is cocotrain's network engine: layers with explicit Forward
// and Backward (llm.c style: shape comment, caches as named fields, no hidden
// tape), the face-embedding architectures built from them (tiny, small,
// mobilefacenet, iresnet18), seeded initialisation, batch-parallel execution
// that is bit-identical for any thread count, and a parameter/FLOP summary.
// Every parameter lives in a shared params.Arena under a PyTorch-like name
// "backbone.<layer>.<tensor>".
package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Net is a face-embedding network: n×C×S×S images in, n×D embeddings out.
type Net struct {
	cfg   Config
	ex    *Exec
	body  *Sequential
	in    Shape
	ps    []*params.Param
	arena *params.Arena
	out   []float32 // the embeddings of the last Forward
	batch int       // batch size of the last Forward
	// Infer's state: eval-mode replicas sharing the arena's weights (one
	// per worker) and the embeddings of the last Infer.
	replicas  []*Net
	convs     []*Conv2d // the net's convolutions (Infer packs them once per call)
	infer     []float32
	inferCall call     // the running Infer's embeddings, images and batch size
	units     netUnits // parallel regions, built once
}

// New builds the architecture cfg names, declaring its parameters in a (call
// a.Alloc and then Init before the first Forward), and compiles its fused
// plan (plan.go). The net starts in eval mode on GOMAXPROCS threads.
func New(cfg Config, a *params.Arena) (*Net, error) {
	return NewWithOptions(cfg, a, Options{})
}

// NewWithOptions is New with build options (Options.Unfused: every layer
// run on its own).
func NewWithOptions(cfg Config, a *params.Arena, opt Options) (*Net, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ex := NewExec()
	ex.inferOnly = opt.inferOnly
	in := Shape{cfg.Channels, cfg.InputSize, cfg.InputSize}
	b := &builder{ex: ex, a: a, cur: in, winograd: cfg.Winograd}
	var layers []Layer
	switch cfg.Arch {
	case "tiny":
		layers = buildTiny(b, cfg)
	case "small":
		layers = buildSmall(b, cfg)
	case "mobilefacenet":
		layers = buildMobileFaceNet(b, cfg)
	case "iresnet18":
		layers = buildIResNet18(b, cfg)
	}
	if b.err != nil {
		return nil, fmt.Errorf("%w (arch %s, input_size %d)", b.err, cfg.Arch, cfg.InputSize)
	}
	body, err := NewSequential("backbone", layers...)
	if err != nil {
		return nil, err
	}
	body.ex = ex
	compile(body, opt)
	net := &Net{cfg: cfg, ex: ex, body: body, in: in, ps: body.Params(), arena: a, convs: convsOf(body)}
	net.buildUnits()
	return net, nil
}

// Config is the configuration the net was built from.
func (n *Net) Config() Config { return n.cfg }

// InShape is the per-sample input shape, Channels×InputSize×InputSize.
func (n *Net) InShape() Shape { return n.in }

// EmbeddingDim is D, the length of each output embedding.
func (n *Net) EmbeddingDim() int { return n.cfg.EmbeddingDim }

// Params lists the net's tensors (trainable and buffers) in declaration order.
func (n *Net) Params() []*params.Param { return n.ps }

// Layers is the top-level chain of layers of the compiled plan; walk their
// Children (Container) for the layers the architecture lists.
func (n *Net) Layers() []Layer { return n.body.Layers }

// SetTraining selects training mode (batch statistics, active dropout) or eval.
func (n *Net) SetTraining(training bool) { n.ex.Training = training }

// SetThreads sets the number of goroutines a batch is split across (≤ 0:
// GOMAXPROCS). Results are bit-identical for any value.
func (n *Net) SetThreads(threads int) { n.ex.SetThreads(threads) }

// Forward runs x (batch×C×H×W, NCHW) through the net and returns the
// batch×D embeddings, owned by the net and valid until the next Forward. In
// training mode it also updates the batch-norm running statistics.
func (n *Net) Forward(x []float32, batch int) []float32 {
	if batch <= 0 || len(x) != batch*n.in.Size() {
		panic(fmt.Sprintf("model: Forward got %d floats for a batch of %d %v images", len(x), batch, n.in))
	}
	n.batch = batch
	n.ex.weightsChanged()
	n.out = grow(n.out, batch*n.cfg.EmbeddingDim)
	n.body.Forward(n.out, x, batch)
	return n.out
}

// Backward takes ∂L/∂embeddings (batch×D, for the last Forward) and adds the
// parameter gradients into the arena's Grad.
func (n *Net) Backward(dEmb []float32) { n.backward(nil, dEmb) }

// backward is Backward that also writes ∂L/∂x into dIn when it is not nil.
func (n *Net) backward(dIn, dEmb []float32) {
	if len(dEmb) != n.batch*n.cfg.EmbeddingDim {
		panic(fmt.Sprintf("model: Backward got %d floats for a batch of %d×%d embeddings", len(dEmb), n.batch, n.cfg.EmbeddingDim))
	}
	scratch := 0
	for _, c := range n.convs {
		scratch = max(scratch, c.groupFloats(n.batch))
	}
	n.ex.reserveGroups(scratch)
	n.body.Backward(dIn, dEmb, n.batch)
}
