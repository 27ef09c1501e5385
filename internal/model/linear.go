package model

import "github.com/cocotrain/cocotrain/internal/params"

// Linear is y = x·Wᵀ + b, as torch.nn.Linear.
//
//	in: n × F (any per-sample shape of F floats);  out: n × D
//	weight: D × F, bias: D
type Linear struct {
	base
	weight, bias *params.Param // bias nil without bias
	x            []float32     // cache: the input of the last Forward
	units        linearUnits   // parallel regions, built once
}

// linearRows is the fixed number of rows (samples, or output features in the
// weight gradient) per work unit.
const linearRows = 8

// NewLinear declares "<name>.weight" (D × F) and "<name>.bias" (D, if bias).
func NewLinear(ex *Exec, a *params.Arena, name string, in Shape, d int, bias bool) *Linear {
	l := &Linear{base: base{name: name, in: in, out: Shape{d, 1, 1}, ex: ex}}
	l.weight = l.declare(a, "weight", params.Weight, d, in.Size())
	if bias {
		l.bias = l.declare(a, "bias", params.Bias, d)
	}
	l.buildUnits()
	return l
}

// MACs is D·F per sample.
func (l *Linear) MACs() int64 { return int64(l.out.C) * int64(l.in.Size()) }

// Forward computes out = in·Wᵀ + b in blocks of linearRows samples.
func (l *Linear) Forward(out, in []float32, n int) {
	l.x = in
	l.call = call{out, in, n}
	l.ex.run((n+linearRows-1)/linearRows, l.units.linearForward)
}

// linearForward is Linear.Forward's parallel region: unit u is the block
// of samples [u·linearRows, (u+1)·linearRows).
func (l *Linear) linearForward(_, u int) {
	F, D, n := l.in.Size(), l.out.C, l.call.n
	lo, hi := u*linearRows, min((u+1)*linearRows, n)
	y := l.call.dst[lo*D : hi*D]
	sgemm(false, true, hi-lo, D, F, 1, l.call.src[lo*F:], F, l.weight.W, F, 0, y, D)
	if l.bias != nil {
		for i := 0; i < hi-lo; i++ {
			row := y[i*D : (i+1)*D]
			for j, b := range l.bias.W {
				row[j] += b
			}
		}
	}
}

// Backward computes dIn = dOut·W (blocks of samples) and adds ∂L/∂W =
// dOutᵀ·in (blocks of output features, each summing over the whole batch)
// and ∂L/∂b = Σ dOut.
func (l *Linear) Backward(dIn, dOut []float32, n int) {
	l.call = call{dIn, dOut, n}
	if dIn != nil {
		l.ex.run((n+linearRows-1)/linearRows, l.units.linearInputGrad)
	}
	l.ex.run((l.out.C+linearRows-1)/linearRows, l.units.linearParamGrad)
}

// linearInputGrad is the dIn region of Linear.Backward: unit u is the
// block of samples [u·linearRows, (u+1)·linearRows).
func (l *Linear) linearInputGrad(_, u int) {
	F, D, n := l.in.Size(), l.out.C, l.call.n
	lo, hi := u*linearRows, min((u+1)*linearRows, n)
	sgemm(false, false, hi-lo, F, D, 1, l.call.src[lo*D:], D, l.weight.W, F, 0, l.call.dst[lo*F:hi*F], F)
}

// linearParamGrad is the parameter-gradient region of Linear.Backward:
// unit u is the block of output features [u·linearRows, (u+1)·linearRows).
func (l *Linear) linearParamGrad(_, u int) {
	F, D, n := l.in.Size(), l.out.C, l.call.n
	dOut := l.call.src
	lo, hi := u*linearRows, min((u+1)*linearRows, D)
	sgemm(true, false, hi-lo, F, n, 1, dOut[lo:], D, l.x, F, 1, l.weight.G[lo*F:hi*F], F)
	if l.bias != nil {
		for j := lo; j < hi; j++ {
			var s float64
			for i := 0; i < n; i++ {
				s += float64(dOut[i*D+j])
			}
			l.bias.G[j] += float32(s)
		}
	}
}

// linearUnits are the parallel regions of a Linear, built once (buildUnits).
type linearUnits struct {
	linearForward   unitFunc
	linearInputGrad unitFunc
	linearParamGrad unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (l *Linear) buildUnits() {
	l.units = linearUnits{linearForward: l.linearForward, linearInputGrad: l.linearInputGrad, linearParamGrad: l.linearParamGrad}
}
