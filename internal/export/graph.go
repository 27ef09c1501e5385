package export

import (
	"fmt"
	"math"

	"github.com/cocotrain/cocotrain/internal/onnx"
)

// value is a tensor of the graph being built: its name and rank (4 for
// N×C×H×W activations, 2 for N×F vectors).
type value struct {
	name string
	rank int
}

// graph collects the ONNX nodes of a network in order. Convolutions and
// Gemms keep their weights in float64 until finish, so that a batch norm
// right after one folds into them with a single rounding to float32 at the
// end.
type graph struct {
	nodes []*onnx.Node
	// consts are the initializers, in creation order
	consts []constant
	// foldable maps a value to the weighted node that produced it while
	// that node's output has no other consumer yet.
	foldable map[string]*affine
}

// constant is an initializer: either a fixed tensor, or an affine node's
// weights (converted at finish, after any folding).
type constant struct {
	t  *onnx.Tensor
	af *affine
}

// affine is a Conv or Gemm: y[o] = Σ w[o, k]·x[k] + b[o] per output
// channel o. w is Cout rows of the weight tensor (dims wDims); b is nil
// until a bias is given or a batch norm folds into the node.
type affine struct {
	node         *onnx.Node
	wName, bName string
	wDims        []int
	w, b         []float64
	cout         int
}

func newGraph() *graph { return &graph{foldable: map[string]*affine{}} }

// node appends a node named name computing op(inputs) into a value named
// name of the given rank.
func (g *graph) node(op, name string, rank int, inputs []string, attrs ...*onnx.Attribute) value {
	g.nodes = append(g.nodes, &onnx.Node{Inputs: inputs, Outputs: []string{name}, Name: name, OpType: op, Attributes: attrs})
	return value{name, rank}
}

// tensor adds a float32 initializer.
func (g *graph) tensor(name string, data []float32, dims ...int) error {
	t, err := onnx.FloatTensor(name, data, dims...)
	if err != nil {
		return err
	}
	g.consts = append(g.consts, constant{t: t})
	return nil
}

// affineNode appends a Conv or Gemm named name over x with weights w (dims
// wDims, first dim Cout) and optional bias, whose output a following batch
// norm may fold into.
func (g *graph) affineNode(op, name string, rank int, x value, w []float32, wDims []int, bias []float32, attrs ...*onnx.Attribute) value {
	a := &affine{wName: name + ".weight", bName: name + ".bias", wDims: wDims, w: widen(w), cout: wDims[0]}
	if bias != nil {
		a.b = widen(bias)
	}
	a.node = &onnx.Node{Inputs: []string{x.name, a.wName}, Outputs: []string{name}, Name: name, OpType: op, Attributes: attrs}
	if a.b != nil {
		a.node.Inputs = append(a.node.Inputs, a.bName)
	}
	g.nodes = append(g.nodes, a.node)
	g.consts = append(g.consts, constant{af: a})
	g.foldable[name] = a
	return value{name, rank}
}

// share records that x has more than one consumer: a batch norm after it
// can no longer fold into its producer.
func (g *graph) share(x value) { delete(g.foldable, x.name) }

// batchNorm applies y = γ·(x − μ)/√(σ² + ε) + β per channel (eval mode) to
// x: folded into x's producing Conv/Gemm when x has no other consumer,
// else as a BatchNormalization node named name.
func (g *graph) batchNorm(name string, x value, gamma, beta, mean, variance []float32, eps float64) (value, error) {
	c := len(mean)
	if gamma == nil {
		gamma = ones(c)
	}
	if beta == nil {
		beta = make([]float32, c)
	}
	if a := g.foldable[x.name]; a != nil && a.cout == c {
		delete(g.foldable, x.name)
		if a.b == nil {
			a.b = make([]float64, c)
			a.node.Inputs = append(a.node.Inputs, a.bName)
		}
		k := len(a.w) / c
		for o := 0; o < c; o++ {
			s := float64(gamma[o]) / math.Sqrt(float64(variance[o])+eps)
			for i := o * k; i < (o+1)*k; i++ {
				a.w[i] *= s
			}
			a.b[o] = (a.b[o]-float64(mean[o]))*s + float64(beta[o])
		}
		return x, nil
	}
	names := []string{name + ".weight", name + ".bias", name + ".running_mean", name + ".running_var"}
	for i, t := range [][]float32{gamma, beta, mean, variance} {
		if err := g.tensor(names[i], t, c); err != nil {
			return value{}, err
		}
	}
	return g.node("BatchNormalization", name, x.rank, append([]string{x.name}, names...), onnx.FloatAttr("epsilon", float32(eps))), nil
}

// finish returns the graph from input to output with its initializers;
// the last node, which computes out, is renamed to output's name.
func (g *graph) finish(name, doc string, input, output *onnx.ValueInfo, out value) (*onnx.Graph, error) {
	n := len(g.nodes)
	if n == 0 || g.nodes[n-1].Outputs[0] != out.name {
		return nil, fmt.Errorf("export: the graph does not end in %s", out.name)
	}
	g.nodes[n-1].Outputs[0] = output.Name
	gr := &onnx.Graph{Nodes: g.nodes, Name: name, DocString: doc, Inputs: []*onnx.ValueInfo{input}, Outputs: []*onnx.ValueInfo{output}}
	for _, c := range g.consts {
		if c.t != nil {
			gr.Initializers = append(gr.Initializers, c.t)
			continue
		}
		w, err := onnx.FloatTensor(c.af.wName, narrow(c.af.w), c.af.wDims...)
		if err != nil {
			return nil, err
		}
		gr.Initializers = append(gr.Initializers, w)
		if c.af.b != nil {
			b, err := onnx.FloatTensor(c.af.bName, narrow(c.af.b), c.af.cout)
			if err != nil {
				return nil, err
			}
			gr.Initializers = append(gr.Initializers, b)
		}
	}
	return gr, nil
}

func widen(x []float32) []float64 {
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = float64(v)
	}
	return y
}

func narrow(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

func ones(n int) []float32 {
	y := make([]float32, n)
	for i := range y {
		y[i] = 1
	}
	return y
}
