package model

import "math/rand/v2"

// Dropout zeroes each element with probability P in training and scales the
// survivors by 1/(1−P), as torch.nn.Dropout; in eval it is the identity. The
// mask of the k-th training Forward after Seed(s) comes from a PCG stream
// seeded (s, k), so a run is reproducible whatever the thread count.
//
//	in, out, mask: n × C × H × W
type Dropout struct {
	base
	P     float64
	seed  uint64
	calls uint64    // training Forwards since Seed
	mask  []float32 // cache: 0 or 1/(1−P) per element (training only)
	used  bool      // the last Forward applied the mask
}

// NewDropout returns a dropout with drop probability p.
func NewDropout(ex *Exec, name string, in Shape, p float64) *Dropout {
	return &Dropout{base: base{name: name, in: in, out: in, ex: ex}, P: p}
}

// Seed restarts the mask stream.
func (d *Dropout) Seed(seed uint64) { d.seed, d.calls = seed, 0 }

// Forward applies a fresh mask in training and copies in eval.
func (d *Dropout) Forward(out, in []float32, n int) {
	sz := n * d.in.Size()
	d.used = d.ex.Training && d.P > 0
	if !d.used {
		copy(out[:sz], in)
		return
	}
	rng := rand.New(rand.NewPCG(d.seed, d.calls))
	d.calls++
	d.mask = grow(d.mask, sz)
	keep := float32(1 / (1 - d.P))
	for i := range d.mask {
		if rng.Float64() < d.P {
			d.mask[i] = 0
		} else {
			d.mask[i] = keep
		}
	}
	for i, v := range in[:sz] {
		out[i] = v * d.mask[i]
	}
}

// Backward applies the same mask to the gradient.
func (d *Dropout) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		return
	}
	sz := n * d.in.Size()
	if !d.used {
		copy(dIn[:sz], dOut)
		return
	}
	for i, g := range dOut[:sz] {
		dIn[i] = g * d.mask[i]
	}
}
