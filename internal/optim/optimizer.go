package optim

import (
	"math"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Optimizer updates the trainable parameters of one arena (a.Data from
// a.Grad); buffers (a.State) are never touched. Its state is one flat slot
// per statistic, laid out like a.Data.
type Optimizer struct {
	cfg   Config
	arena *params.Arena
	decay []float32   // per-element weight decay: cfg.WeightDecay or 0 (len(a.Data))
	slots [][]float32 // SGD: momentum_buffer; AdamW: exp_avg, exp_avg_sq (each len(a.Data))
	names []string    // slot names, as PyTorch's optimizer state calls them
	step  int         // updates applied so far
	// frozen elements a.Data[:frozen] sit out the first frozenSteps updates
	// (Freeze).
	frozen, frozenSteps int
}

// New returns an optimizer for the allocated arena a, with zeroed state.
func New(cfg Config, a *params.Arena) (*Optimizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	o := &Optimizer{cfg: cfg, arena: a, decay: make([]float32, len(a.Data))}
	exempt := map[params.Kind]bool{}
	for _, k := range cfg.NoDecay {
		exempt[kindNames[k]] = true
	}
	for _, p := range a.Params {
		if p.Kind != params.Buffer && !exempt[p.Kind] {
			d := o.decay[p.Offset : p.Offset+p.Size()]
			for i := range d {
				d[i] = float32(cfg.WeightDecay)
			}
		}
	}
	switch {
	case cfg.Name == "adamw":
		o.names = []string{"exp_avg", "exp_avg_sq"}
	case cfg.Momentum != 0:
		o.names = []string{"momentum_buffer"}
	}
	for range o.names {
		o.slots = append(o.slots, make([]float32, len(a.Data)))
	}
	return o, nil
}

// Steps is the number of updates applied so far (restored by LoadState).
func (o *Optimizer) Steps() int { return o.step }

// Step clips the gradient arena to cfg.ClipGradNorm (if > 0), applies one
// update with learning rate lr, and returns the global gradient norm before
// clipping: the one place a training step computes it. If a gradient is NaN
// or infinite the norm says so and nothing is changed (parameters, state and
// step count keep their last good values): the caller stops or skips the
// batch. Elements held by Freeze are left out of the norm and the update.
func (o *Optimizer) Step(lr float64) float64 {
	lo := 0 // the first element this update changes
	if o.step < o.frozenSteps {
		lo = o.frozen
	}
	norm := ClipGradNorm(o.arena.Grad[lo:], o.cfg.ClipGradNorm)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	o.step++
	if o.cfg.Name == "adamw" {
		// Elements frozen so far count only their own updates in the bias
		// correction.
		o.adamw(lr, lo, o.frozen, o.step-o.frozenSteps)
		o.adamw(lr, o.frozen, len(o.arena.Data), o.step)
	} else {
		o.sgd(lr, lo)
	}
	return norm
}

// sgd is PyTorch's SGD (dampening 0): d = g + λw; b = μb + d; d = b, or
// d + μb with Nesterov; w −= lr·d, for the elements from lo on.
func (o *Optimizer) sgd(lr float64, lo int) {
	w, g, decay := o.arena.Data, o.arena.Grad, o.decay
	rate := float32(lr)
	if len(o.slots) == 0 {
		for i := lo; i < len(w); i++ {
			w[i] -= rate * (g[i] + decay[i]*w[i])
		}
		return
	}
	buf, mu, nesterov := o.slots[0], float32(o.cfg.Momentum), o.cfg.Nesterov
	for i := lo; i < len(w); i++ {
		d := g[i] + decay[i]*w[i]
		b := mu*buf[i] + d
		buf[i] = b
		if nesterov {
			d += mu * b
		} else {
			d = b
		}
		w[i] -= rate * d
	}
}

// adamw is PyTorch's AdamW: w ·= 1 − lr·λ; m = β1·m + (1−β1)·g;
// v = β2·v + (1−β2)·g²; w −= (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε), for the
// elements [lo, hi) at their update number t = step (nothing when lo ≥ hi).
func (o *Optimizer) adamw(lr float64, lo, hi, step int) {
	if lo >= hi {
		return
	}
	w, g, decay := o.arena.Data[:hi], o.arena.Grad[:hi], o.decay[:hi]
	m, v := o.slots[0][:hi], o.slots[1][:hi]
	t := float64(step)
	b1, b2 := o.cfg.Beta1, o.cfg.Beta2
	c1, c2 := float32(1-b1), float32(1-b2)
	f1, f2 := float32(b1), float32(b2)
	negStep := float32(-lr / (1 - math.Pow(b1, t)))
	bc2 := float32(math.Sqrt(1 - math.Pow(b2, t)))
	eps, rate := float32(o.cfg.Eps), float32(lr)
	for i := lo; i < hi; i++ {
		wi := w[i] * (1 - rate*decay[i])
		mi := f1*m[i] + c1*g[i]
		vi := f2*v[i] + c2*g[i]*g[i]
		m[i], v[i] = mi, vi
		den := float32(math.Sqrt(float64(vi)))/bc2 + eps
		w[i] = wi + negStep*mi/den
	}
}
