package model

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cocotrain/cocotrain/internal/params"
)

// SummaryRow describes one leaf layer: its name, kind, per-sample output
// shape, trainable parameter count and multiply-accumulates per sample.
type SummaryRow struct {
	Name   string
	Kind   string
	Out    Shape
	Params int
	MACs   int64
}

// Summary is the per-layer table of a net and its totals (per sample).
// Params counts trainable scalars; Buffers counts saved non-trainable ones
// (batch-norm running statistics, frozen scales). MACs counts the
// multiply-accumulates of convolutions and linear layers only, as
// thop/ptflops and the face-recognition papers do; FLOPs = 2·MACs.
type Summary struct {
	Arch    string
	Input   Shape
	Rows    []SummaryRow
	Params  int
	Buffers int
	MACs    int64
}

// FLOPs is 2·MACs (one multiply and one add each).
func (s Summary) FLOPs() int64 { return 2 * s.MACs }

// Summary walks the net's leaf layers.
func (n *Net) Summary() Summary {
	s := Summary{Arch: n.cfg.Arch, Input: n.in}
	walk(n.body, func(l Layer) {
		r := SummaryRow{Name: l.Name(), Kind: kindOf(l), Out: l.OutShape(), MACs: l.MACs()}
		for _, p := range l.Params() {
			if p.Kind == params.Buffer {
				s.Buffers += p.Size()
			} else {
				r.Params += p.Size()
			}
		}
		s.Rows = append(s.Rows, r)
		s.Params += r.Params
		s.MACs += r.MACs
	})
	return s
}

// kindOf describes a layer's type and options, e.g. "Conv2d 3×3/2 64→128 g1".
func kindOf(l Layer) string {
	switch v := l.(type) {
	case *Conv2d:
		s := fmt.Sprintf("Conv2d %d×%d/%d %d→%d", v.spec.Kernel, v.spec.Kernel, v.spec.Stride, v.in.C, v.spec.Out)
		if v.spec.Groups > 1 {
			s += fmt.Sprintf(" g%d", v.spec.Groups)
		}
		if v.bias != nil {
			s += " +bias"
		}
		return s
	case *BatchNorm:
		if v.in.H == 1 && v.in.W == 1 {
			return "BatchNorm1d"
		}
		return "BatchNorm2d"
	case *Linear:
		s := fmt.Sprintf("Linear %d→%d", v.in.Size(), v.out.C)
		if v.bias != nil {
			s += " +bias"
		}
		return s
	case *MaxPool2d:
		return fmt.Sprintf("MaxPool2d %d×%d/%d", v.g.kh, v.g.kw, v.g.s)
	case *AvgPool2d:
		return fmt.Sprintf("AvgPool2d %d×%d/%d", v.g.kh, v.g.kw, v.g.s)
	case *Dropout:
		return fmt.Sprintf("Dropout %g", v.P)
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", l), "*model.")
}

// Format writes the table and its totals to w.
func (s Summary) Format(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "layer\ttype\toutput\tparams\tMACs\t\n")
	for _, r := range s.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%d\t\n", r.Name, r.Kind, r.Out, r.Params, r.MACs)
	}
	fmt.Fprintf(tw, "total\t%s\t%v in\t%d\t%d\t\n", s.Arch, s.Input, s.Params, s.MACs)
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s: %.3f M trainable parameters (+%d buffer values), %.4f G MACs = %.4f GFLOPs per %v image\n",
		s.Arch, float64(s.Params)/1e6, s.Buffers, float64(s.MACs)/1e9, float64(s.FLOPs())/1e9, s.Input)
	return err
}
