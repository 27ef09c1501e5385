package export

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/onnx"
	"github.com/cocotrain/cocotrain/internal/params"
)

// TestBatchNormFolds: a batch norm after a Gemm folds into its weights and
// bias, giving BN(W·x + b) for random x; one after a shared value stays a
// BatchNormalization node.
func TestBatchNormFolds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	rnd := func(n int, lo, hi float32) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = lo + (hi-lo)*r.Float32()
		}
		return v
	}
	const d, f = 3, 5
	w, b := rnd(d*f, -1, 1), rnd(d, -1, 1)
	gamma, beta, mean, variance := rnd(d, 0.5, 2), rnd(d, -1, 1), rnd(d, -1, 1), rnd(d, 0.1, 3)
	g := newGraph()
	y := g.affineNode("Gemm", "fc", 2, value{"x", 2}, w, []int{d, f}, b)
	z, err := g.batchNorm("bn", y, gamma, beta, mean, variance, 1e-5)
	if err != nil || z != y || len(g.nodes) != 1 {
		t.Fatalf("the batch norm did not fold: %v %v, %d nodes", err, z, len(g.nodes))
	}
	gr, err := g.finish("g", "", &onnx.ValueInfo{Name: "in"}, &onnx.ValueInfo{Name: "out"}, z)
	if err != nil {
		t.Fatal(err)
	}
	fw, fb := floats(gr.Initializers[0]), floats(gr.Initializers[1])
	x := rnd(f, -2, 2)
	for o := 0; o < d; o++ {
		lin, folded := float64(b[o]), float64(fb[o])
		for k := 0; k < f; k++ {
			lin += float64(w[o*f+k]) * float64(x[k])
			folded += float64(fw[o*f+k]) * float64(x[k])
		}
		want := float64(gamma[o])*(lin-float64(mean[o]))/math.Sqrt(float64(variance[o])+1e-5) + float64(beta[o])
		if math.Abs(folded-want) > 1e-5*(1+math.Abs(want)) {
			t.Errorf("output %d: folded %g, batch norm of the Gemm %g", o, folded, want)
		}
	}

	g = newGraph()
	y = g.affineNode("Conv", "conv", 4, value{"x", 4}, w, []int{d, f, 1, 1}, nil)
	g.share(y)
	if _, err := g.batchNorm("bn", y, gamma, beta, mean, variance, 1e-5); err != nil {
		t.Fatal(err)
	}
	if len(g.nodes) != 2 || g.nodes[1].OpType != "BatchNormalization" || len(g.nodes[0].Inputs) != 2 {
		t.Errorf("a batch norm of a shared value folded: %d nodes", len(g.nodes))
	}
}

func floats(t *onnx.Tensor) []float32 {
	v := make([]float32, len(t.RawData)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.RawData[4*i:]))
	}
	return v
}

// TestArchitectures checks the graph of each network: the interface, every
// batch norm after a convolution folded, depthwise convolutions as grouped
// Conv, PReLU slopes shaped C×1×1, and one initializer per node input that
// is not a value.
func TestArchitectures(t *testing.T) {
	for _, tc := range []struct {
		cfg           model.Config
		batchNorms    int // left as nodes: those not after a convolution or the Linear
		depthwise     int
		prelus, convs int
	}{
		{model.Config{Arch: "tiny", InputSize: 32, Channels: 1, EmbeddingDim: 16}, 0, 0, 0, 4},
		{model.Config{Arch: "small", InputSize: 32, Channels: 3, EmbeddingDim: 16}, 0, 0, 4, 8},
		{model.Config{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 16}, 0, 17, 33, 49},
		{model.Config{Arch: "iresnet18", InputSize: 16, Channels: 3, EmbeddingDim: 16, Dropout: 0.2}, 9, 0, 9, 21},
	} {
		a := params.New()
		net, err := model.New(tc.cfg, a)
		if err != nil {
			t.Fatal(err)
		}
		a.Alloc()
		net.Init(1)
		m, err := ONNX(net, "", nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.cfg.Arch, err)
		}
		g := m.Graph
		in, out := g.Inputs[0], g.Outputs[0]
		if in.Name != "data" || in.Shape[0].Param != "N" || in.Shape[1].Value != int64(tc.cfg.Channels) || in.Shape[3].Value != int64(tc.cfg.InputSize) ||
			out.Name != "embedding" || out.Shape[1].Value != int64(tc.cfg.EmbeddingDim) || m.OpsetImports[0].Version != 11 {
			t.Errorf("%s: input %+v, output %+v, opset %v", tc.cfg.Arch, in, out, m.OpsetImports)
		}
		inits := map[string]*onnx.Tensor{}
		for _, it := range g.Initializers {
			inits[it.Name] = it
		}
		values := map[string]bool{"data": true}
		count := map[string]int{}
		depthwise := 0
		for _, n := range g.Nodes {
			count[n.OpType]++
			for _, i := range n.Inputs {
				if !values[i] && inits[i] == nil {
					t.Errorf("%s: %s reads %s, neither a value computed before nor an initializer", tc.cfg.Arch, n.Name, i)
				}
			}
			for _, o := range n.Outputs {
				values[o] = true
			}
			switch n.OpType {
			case "Conv":
				w := inits[n.Inputs[1]]
				for _, at := range n.Attributes {
					if at.Name == "group" && at.I > 1 && at.I == w.Dims[0] && w.Dims[1] == 1 {
						depthwise++
					}
				}
			case "PRelu":
				if s := inits[n.Inputs[1]].Dims; len(s) != 3 || s[1] != 1 || s[2] != 1 {
					t.Errorf("%s: %s slopes of shape %v", tc.cfg.Arch, n.Name, s)
				}
			}
		}
		if count["BatchNormalization"] != tc.batchNorms || depthwise != tc.depthwise || count["PRelu"] != tc.prelus || count["Conv"] != tc.convs || count["Gemm"] != 1 {
			t.Errorf("%s: ops %v, %d depthwise", tc.cfg.Arch, count, depthwise)
		}
		if !values["embedding"] || g.Nodes[len(g.Nodes)-1].OpType != "Gemm" {
			t.Errorf("%s: the graph does not end in the embedding Gemm", tc.cfg.Arch)
		}
	}
}

// TestAvgPool: an average pool (no architecture uses one today) becomes
// AveragePool counting the padding in the divisor, as model.AvgPool2d does.
func TestAvgPool(t *testing.T) {
	p, err := model.NewAvgPool2d(model.NewExec(), "pool", model.Shape{C: 2, H: 6, W: 6}, 3, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	g := newGraph()
	y, err := g.layer(p, value{"x", 4})
	if err != nil || y.name != "pool" || len(g.nodes) != 1 {
		t.Fatalf("%v %v, %d nodes", err, y, len(g.nodes))
	}
	n := g.nodes[0]
	attrs := map[string]*onnx.Attribute{}
	for _, a := range n.Attributes {
		attrs[a.Name] = a
	}
	if n.OpType != "AveragePool" || attrs["count_include_pad"].I != 1 || attrs["kernel_shape"].Ints[0] != 3 ||
		attrs["strides"].Ints[1] != 2 || len(attrs["pads"].Ints) != 4 || attrs["pads"].Ints[3] != 1 {
		t.Errorf("%s %+v", n.OpType, attrs)
	}
}
