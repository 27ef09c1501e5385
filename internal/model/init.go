package model

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Init sets every tensor of the net from seed: convolution weights Kaiming
// normal (fan-in, gain √2), linear weights Xavier uniform, biases 0, batch-norm
// scale 1, shift 0, running mean 0 and variance 1, PReLU slopes 0.25. Each
// tensor draws from its own PCG stream keyed by (seed, hash of its name), so
// a tensor's values do not depend on the others. Dropout masks restart from seed.
func (n *Net) Init(seed uint64) {
	for _, p := range n.ps {
		initParam(p, seed)
	}
	walk(n.body, func(l Layer) {
		if d, ok := l.(*Dropout); ok {
			d.Seed(seed ^ 0x9e3779b97f4a7c15)
		}
	})
}

// initParam fills one tensor according to its kind, shape and name.
func initParam(p *params.Param, seed uint64) {
	h := fnv.New64a()
	h.Write([]byte(p.Name))
	rng := rand.New(rand.NewPCG(seed, h.Sum64()))
	switch {
	case p.Kind == params.Weight && len(p.Shape) == 4: // conv: out × in/g × k × k
		std := math.Sqrt(2 / float64(p.Shape[1]*p.Shape[2]*p.Shape[3]))
		for i := range p.W {
			p.W[i] = float32(rng.NormFloat64() * std)
		}
	case p.Kind == params.Weight: // linear: out × in
		lim := math.Sqrt(6 / float64(p.Shape[0]+p.Shape[1]))
		for i := range p.W {
			p.W[i] = float32((2*rng.Float64() - 1) * lim)
		}
	case p.Kind == params.PReLU:
		fill(p.W, 0.25)
	case strings.HasSuffix(p.Name, ".weight") || strings.HasSuffix(p.Name, ".running_var"):
		fill(p.W, 1) // BN scale (trainable or frozen) and running variance
	default:
		fill(p.W, 0) // biases, BN shift, running mean
	}
}

// walk calls fn on every leaf layer under l, in order.
func walk(l Layer, fn func(Layer)) {
	if c, ok := l.(Container); ok {
		for _, ch := range c.Children() {
			walk(ch, fn)
		}
		return
	}
	fn(l)
}
