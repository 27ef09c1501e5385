package export

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/onnx"
)

// This file is the one place that knows internal/model's layer types: it
// walks the unfused layer structure model.New builds (containers' Children,
// the accessors of model/export_view.go) in eval mode.

// layer appends the nodes of l applied to x and returns its output.
func (g *graph) layer(l model.Layer, x value) (value, error) {
	switch l := l.(type) {
	case *model.Residual:
		g.share(x)
		y, err := g.layer(l.Branch, x)
		if err != nil {
			return value{}, err
		}
		s := x
		if l.Shortcut != nil {
			if s, err = g.layer(l.Shortcut, x); err != nil {
				return value{}, err
			}
		}
		return g.node("Add", l.Name()+".add", y.rank, []string{y.name, s.name}), nil
	case interface{ Children() []model.Layer }: // Sequential, BNAct, BNActPool
		var err error
		for _, c := range l.Children() {
			if x, err = g.layer(c, x); err != nil {
				return value{}, err
			}
		}
		return x, nil
	case *model.Conv2d:
		return g.conv(l, x)
	case *model.BatchNorm:
		gamma, beta := l.Affine()
		mean, variance := l.Running()
		return g.batchNorm(l.Name(), x, values(gamma), values(beta), mean.W, variance.W, l.Eps)
	case *model.ReLU:
		return g.node("Relu", l.Name(), x.rank, []string{x.name}), nil
	case *model.PReLU:
		// the slopes broadcast over N×C×H×W as C×1×1 (over N×C as C)
		dims := []int{l.InShape().C, 1, 1}[:x.rank-1]
		if err := g.tensor(l.Name()+".weight", l.Slopes().W, dims...); err != nil {
			return value{}, err
		}
		return g.node("PRelu", l.Name(), x.rank, []string{x.name, l.Name() + ".weight"}), nil
	case *model.MaxPool2d:
		w := l.Window()
		return g.node("MaxPool", l.Name(), 4, []string{x.name}, poolAttrs(w)...), nil
	case *model.AvgPool2d:
		w := l.Window()
		return g.node("AveragePool", l.Name(), 4, []string{x.name}, append(poolAttrs(w), onnx.IntAttr("count_include_pad", 1))...), nil
	case *model.Flatten:
		return g.flatten(l.Name(), x), nil
	case *model.Dropout:
		return x, nil // the identity in eval mode
	case *model.Linear:
		x = g.flatten(l.Name()+".flatten", x)
		d, f := l.OutShape().C, l.InShape().Size()
		return g.affineNode("Gemm", l.Name(), 2, x, l.Weight().W, []int{d, f}, values(l.Bias()), onnx.IntAttr("transB", 1)), nil
	}
	return value{}, fmt.Errorf("export: layer %s (%T) has no ONNX form", l.Name(), l)
}

// conv appends a Conv node (depthwise and grouped ones with group).
func (g *graph) conv(l *model.Conv2d, x value) (value, error) {
	s := l.Spec()
	in := l.InShape()
	k, p, st := int64(s.Kernel), int64(s.Pad), int64(s.Stride)
	dims := []int{s.Out, in.C / s.Groups, s.Kernel, s.Kernel}
	return g.affineNode("Conv", l.Name(), 4, x, l.Weight().W, dims, values(l.Bias()),
		onnx.IntsAttr("dilations", 1, 1),
		onnx.IntAttr("group", int64(s.Groups)),
		onnx.IntsAttr("kernel_shape", k, k),
		onnx.IntsAttr("pads", p, p, p, p),
		onnx.IntsAttr("strides", st, st)), nil
}

// flatten makes x an N×F matrix (a no-op on one already).
func (g *graph) flatten(name string, x value) value {
	if x.rank == 2 {
		return x
	}
	return g.node("Flatten", name, 2, []string{x.name}, onnx.IntAttr("axis", 1))
}

func poolAttrs(w model.PoolWindow) []*onnx.Attribute {
	p, s := int64(w.Pad), int64(w.Stride)
	return []*onnx.Attribute{
		onnx.IntsAttr("kernel_shape", int64(w.KH), int64(w.KW)),
		onnx.IntsAttr("pads", p, p, p, p),
		onnx.IntsAttr("strides", s, s),
	}
}
