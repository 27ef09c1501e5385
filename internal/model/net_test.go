package model

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// newTestNet builds and initialises a net for cfg.
func newTestNet(t testing.TB, cfg Config, seed uint64) (*Net, *params.Arena) {
	t.Helper()
	a := params.New()
	n, err := New(cfg, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	n.Init(seed)
	return n, a
}

// perturbBuffers moves the running statistics off their initial values so
// that eval mode is not the identity normalisation.
func perturbBuffers(a *params.Arena, rng *rand.Rand) {
	for _, p := range a.Params {
		if p.Kind == params.Buffer {
			for i := range p.W {
				p.W[i] += 0.3 * rng.Float32()
			}
		}
	}
}

// netGradCase is one architecture under the whole-net gradient check.
type netGradCase struct {
	cfg   Config
	batch int
	modes []bool // training flags to check
}

// TestNetGradients checks each architecture's whole backward against central
// differences along random directions: one direction over the input, and
// one over the trainable tensors of each run of consecutive top-level
// blocks (so every parameter's gradient contributes). A directional derivative sums many
// gradients, which keeps float32 round-off and the odd ReLU/max-pool kink
// crossing far below the tolerance.
func TestNetGradients(t *testing.T) {
	cases := []netGradCase{
		{Config{Arch: "tiny", InputSize: 16, Channels: 2, EmbeddingDim: 6}, 3, []bool{true, false}},
		{Config{Arch: "tiny", InputSize: 32, Channels: 1, EmbeddingDim: 5, Dropout: 0.2}, 3, []bool{true}},
		{Config{Arch: "small", InputSize: 16, Channels: 3, EmbeddingDim: 6}, 3, []bool{true, false}},
		{Config{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 8}, 4, []bool{true, false}},
		{Config{Arch: "iresnet18", InputSize: 16, Channels: 3, EmbeddingDim: 8, Dropout: 0.1}, 4, []bool{true}},
	}
	for _, c := range cases {
		for _, train := range c.modes {
			name := c.cfg.Arch + "/eval"
			if train {
				name = c.cfg.Arch + "/train"
			}
			t.Run(name, func(t *testing.T) { checkNetGradients(t, c, train) })
		}
	}
}

// checkNetGradients runs one netGradCase in one mode.
func checkNetGradients(t *testing.T, c netGradCase, train bool) {
	rng := rand.New(rand.NewPCG(3, 4))
	net, a := newTestNet(t, c.cfg, 11)
	perturbBuffers(a, rng)
	net.SetTraining(train)
	x := randn(rng, c.batch*net.InShape().Size())
	r := randn(rng, c.batch*c.cfg.EmbeddingDim)
	state := append([]float32(nil), a.State...)
	loss := func() float64 {
		copy(a.State, state)
		walk(net.body, func(l Layer) {
			if d, ok := l.(*Dropout); ok {
				d.Seed(9)
			}
		})
		return lossOf(net.Forward(x, c.batch), r)
	}
	loss()
	dx := make([]float32, len(x))
	a.ZeroGrad()
	net.backward(dx, r)
	// directional compares (L(v + εu) − L(v − εu))/2ε with ⟨g, u⟩ along
	// the unit direction u ∝ g/‖g‖ + r/‖r‖ (r random) over the given views:
	// the gradient's own direction gives a strong signal, the random part
	// catches errors orthogonal to it.
	directional := func(what string, views, grads [][]float32) {
		const eps = 1e-3
		var gg, rr float64
		var dirs [][]float32
		for k, v := range views {
			r := randn(rng, len(v))
			dirs = append(dirs, r)
			for i := range r {
				gg += float64(grads[k][i]) * float64(grads[k][i])
				rr += float64(r[i]) * float64(r[i])
			}
		}
		gn, rn := math.Sqrt(gg), math.Sqrt(rr)
		var uu float64
		for k := range dirs {
			for i, r := range dirs[k] {
				u := float64(r) / rn
				if gn > 0 {
					u += float64(grads[k][i]) / gn
				}
				dirs[k][i] = float32(u)
				uu += u * u
			}
		}
		var ana float64
		for k := range dirs {
			for i := range dirs[k] {
				dirs[k][i] = float32(float64(dirs[k][i]) / math.Sqrt(uu))
				ana += float64(grads[k][i]) * float64(dirs[k][i])
			}
		}
		step := func(s float32) {
			for k, v := range views {
				for i := range v {
					v[i] += s * dirs[k][i]
				}
			}
		}
		saved := make([][]float32, len(views))
		for k, v := range views {
			saved[k] = append([]float32(nil), v...)
		}
		restore := func() {
			for k, v := range views {
				copy(v, saved[k])
			}
		}
		step(eps)
		lp := loss()
		restore()
		step(-eps)
		lm := loss()
		restore()
		num := (lp - lm) / (2 * eps)
		if d := math.Abs(num - ana); d > 2e-2*math.Abs(ana) || ana == 0 {
			t.Errorf("%s: directional derivative numeric %.6g, analytic %.6g", what, num, ana)
		}
	}
	directional("input", [][]float32{x}, [][]float32{dx})
	// The top-level layers with trainable tensors, cut into at most
	// maxDirections consecutive runs: one direction per run.
	const maxDirections = 5
	var withParams []Layer
	for _, l := range net.body.Layers {
		for _, p := range l.Params() {
			if p.Kind != params.Buffer {
				withParams = append(withParams, l)
				break
			}
		}
	}
	runs := min(maxDirections, len(withParams))
	for r := 0; r < runs; r++ {
		lo, hi := r*len(withParams)/runs, (r+1)*len(withParams)/runs
		var views, grads [][]float32
		for _, l := range withParams[lo:hi] {
			for _, p := range l.Params() {
				if p.Kind != params.Buffer {
					views, grads = append(views, p.W), append(grads, p.G)
				}
			}
		}
		directional(withParams[lo].Name()+" … "+withParams[hi-1].Name(), views, grads)
	}
}

// TestThreadCountInvariance runs the same training step on 1, 3 and 16 threads
// and requires bit-identical embeddings, gradients and running statistics.
func TestThreadCountInvariance(t *testing.T) {
	for _, cfg := range []Config{
		{Arch: "tiny", InputSize: 32, Channels: 3, EmbeddingDim: 16, Dropout: 0.1},
		{Arch: "small", InputSize: 32, Channels: 3, EmbeddingDim: 16},
		{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 16},
		{Arch: "iresnet18", InputSize: 8, Channels: 3, EmbeddingDim: 16},
	} {
		t.Run(cfg.Arch, func(t *testing.T) {
			const batch = 7
			rng := rand.New(rand.NewPCG(1, 1))
			x := randn(rng, batch*cfg.Channels*cfg.InputSize*cfg.InputSize)
			dEmb := randn(rng, batch*cfg.EmbeddingDim)
			var ref *params.Arena
			var refOut []float32
			for _, threads := range []int{1, 3, 16} {
				net, a := newTestNet(t, cfg, 5)
				net.SetThreads(threads)
				net.SetTraining(true)
				out := append([]float32(nil), net.Forward(x, batch)...)
				net.Backward(dEmb)
				if ref == nil {
					ref, refOut = a, out
					continue
				}
				same := func(what string, u, v []float32) {
					for i := range u {
						if math.Float32bits(u[i]) != math.Float32bits(v[i]) {
							t.Fatalf("%s[%d] differs between 1 and %d threads: %v vs %v", what, i, threads, u[i], v[i])
						}
					}
				}
				same("embeddings", refOut, out)
				same("gradients", ref.Grad, a.Grad)
				same("running statistics", ref.State, a.State)
			}
		})
	}
}

func TestNewRejectsBadConfigs(t *testing.T) {
	for _, cfg := range []Config{
		{Arch: "resnet50", InputSize: 64, Channels: 3, EmbeddingDim: 128},
		{Arch: "tiny", InputSize: 0, Channels: 3, EmbeddingDim: 128},
		{Arch: "tiny", InputSize: 8, Channels: 3, EmbeddingDim: 128}, // pools down to zero
		{Arch: "tiny", InputSize: 64, Channels: 0, EmbeddingDim: 128},
		{Arch: "tiny", InputSize: 64, Channels: 3, EmbeddingDim: 0},
		{Arch: "tiny", InputSize: 64, Channels: 3, EmbeddingDim: 8, Dropout: 1},
		{Arch: "tiny", InputSize: 64, Channels: 3, EmbeddingDim: 8, Winograd: "f4"},
	} {
		if _, err := New(cfg, params.New()); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}

// TestBatchSizeChanges runs batches of 5, 2 and 7 through one net and
// compares each with a fresh net's output: buffers resize correctly and
// samples do not leak between batches (eval mode: each embedding depends on
// its own image only).
func TestBatchSizeChanges(t *testing.T) {
	cfg := Config{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 8}
	net, _ := newTestNet(t, cfg, 2)
	rng := rand.New(rand.NewPCG(5, 6))
	for _, batch := range []int{5, 2, 7} {
		x := randn(rng, batch*net.InShape().Size())
		got := append([]float32(nil), net.Forward(x, batch)...)
		fresh, _ := newTestNet(t, cfg, 2)
		want := fresh.Forward(x, batch)
		if !equalFloats(got, want) {
			t.Fatalf("batch %d after other batch sizes differs from a fresh net", batch)
		}
		one := fresh.Forward(x[:net.InShape().Size()], 1)
		if e := maxRelErr(one, want[:cfg.EmbeddingDim]); e > 1e-5 {
			t.Errorf("batch %d: first embedding alone differs by %.3g", batch, e)
		}
	}
}
