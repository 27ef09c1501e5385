package model

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

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
		if v.fixedScale {
			return "BatchNorm1d (scale frozen at 1)"
		}
		if v.vector {
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

// Format writes the table (names and types left-aligned, numbers
// right-aligned) and its totals to w.
func (s Summary) Format(w io.Writer) error {
	rows := [][5]string{{"layer", "type", "output", "params", "MACs"}}
	for _, r := range s.Rows {
		rows = append(rows, [5]string{r.Name, r.Kind, r.Out.String(), fmt.Sprint(r.Params), fmt.Sprint(r.MACs)})
	}
	rows = append(rows, [5]string{"total", s.Arch, s.Input.String() + " in", fmt.Sprint(s.Params), fmt.Sprint(s.MACs)})
	var width [5]int
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < 2 {
				b.WriteString(c + pad + "  ")
			} else {
				b.WriteString(pad + c)
				if i < 4 {
					b.WriteString("  ")
				}
			}
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%s: %.3f M trainable parameters (+%d buffer values), %.4f G MACs = %.4f GFLOPs per %v image\n",
		s.Arch, float64(s.Params)/1e6, s.Buffers, float64(s.MACs)/1e9, float64(s.FLOPs())/1e9, s.Input)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteSummary builds the net cfg describes (declaring its tensors in a
// scratch arena, without allocating them) and writes its Summary table to w.
func WriteSummary(w io.Writer, cfg Config) error {
	net, err := New(cfg, params.New())
	if err != nil {
		return err
	}
	return net.Summary().Format(w)
}
