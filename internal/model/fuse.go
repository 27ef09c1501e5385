package model

import "github.com/cocotrain/cocotrain/internal/kernels"

// evalEpilogue is a per-channel affine map (and activation) that can be
// applied to one sample's convolution output in place, in eval mode: a
// BatchNorm with its running statistics, or a BNAct. Infer's replicas run
// a convolution and the epilogue after it sample by sample, so each
// sample's output is normalised while it is still in cache and the
// epilogue's own pass over the chunk disappears.
type evalEpilogue interface {
	Layer
	// prepareEval computes the channel maps from the running statistics.
	prepareEval()
	// applyEval maps one sample y (C×H×W) in place.
	applyEval(y []float32)
}

// prepareEval caches the eval-mode channel maps (see evalEpilogue).
func (b *BatchNorm) prepareEval() {
	b.trained = false
	for c := range b.in.C {
		b.evalMap(c)
	}
}

// evalMap is channel c's eval-mode map y = (x − mu)·scale + shift (it
// also caches μ and 1/σ as channelForward does).
func (b *BatchNorm) evalMap(c int) (mu, scale, shift float32) {
	return b.channelForward(nil, 0, c)
}

// applyEval normalises one sample in place with the maps prepareEval cached.
func (b *BatchNorm) applyEval(y []float32) {
	hw := b.in.H * b.in.W
	for c := range b.in.C {
		s, t := b.affine(c)
		p := y[c*hw : (c+1)*hw]
		kernels.PlaneNorm(p, p, float32(b.bMean[c]), s, t)
	}
}

// prepareEval caches the eval-mode channel maps (see evalEpilogue).
func (l *BNAct) prepareEval() {
	b := l.bn
	b.trained = false
	for c := range b.in.C {
		l.mu[c], l.scale[c], l.shift[c] = b.evalMap(c)
	}
}

// applyEval normalises and activates one sample in place.
func (l *BNAct) applyEval(y []float32) {
	hw := l.bn.in.H * l.bn.in.W
	for c := range l.bn.in.C {
		p := y[c*hw : (c+1)*hw]
		kernels.PlaneNormAct(p, p, l.mu[c], l.scale[c], l.shift[c], l.a(c))
	}
}
