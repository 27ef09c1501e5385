package model

import "math/rand/v2"

// Dropout zeroes each element with probability P in training and scales the
// survivors by 1/(1−P), as torch.nn.Dropout; in eval it is the identity.
// Masks are counter-based: mask k (the k-th training Forward after Seed(s),
// or the next one after Seek(k)) comes from a PCG stream seeded (s, k), so a
// run is reproducible whatever the thread count, and the training loop,
// which seeks to the global step before each forward, resumes exactly with
// nothing saved but the step.
//
//	in, out, mask: n × C × H × W
type Dropout struct {
	base
	P    float64
	seed uint64
	next uint64     // the mask the next training Forward draws
	mask []float32  // cache: 0 or 1/(1−P) per element (training only)
	used bool       // the last Forward applied the mask
	pcg  rand.PCG   // the stream of the running Forward (reseeded, not reallocated)
	rng  *rand.Rand // draws from pcg
}

// NewDropout returns a dropout with drop probability p.
func NewDropout(ex *Exec, name string, in Shape, p float64) *Dropout {
	return &Dropout{base: base{name: name, in: in, out: in, ex: ex}, P: p}
}

// Seed restarts the mask stream at mask 0.
func (d *Dropout) Seed(seed uint64) { d.seed, d.next = seed, 0 }

// Seek makes the next training Forward draw mask k of the stream.
func (d *Dropout) Seek(k uint64) { d.next = k }

// SeekDropout positions every dropout layer of the net at mask k (see
// Dropout.Seek); a net without dropout is unchanged. The training loop calls
// it with the global step, so each step's masks are a function of (seed,
// step) alone.
func (n *Net) SeekDropout(k uint64) {
	for _, l := range n.Layers() {
		walk(l, func(l Layer) {
			if d, ok := l.(*Dropout); ok {
				d.Seek(k)
			}
		})
	}
}

// Forward applies a fresh mask in training and copies in eval.
func (d *Dropout) Forward(out, in []float32, n int) {
	sz := n * d.in.Size()
	d.used = d.ex.Training && d.P > 0
	if !d.used {
		copy(out[:sz], in)
		return
	}
	d.pcg.Seed(d.seed, d.next)
	if d.rng == nil {
		d.rng = rand.New(&d.pcg)
	}
	rng := d.rng
	d.next++
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
