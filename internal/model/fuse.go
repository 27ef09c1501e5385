package model

import (
	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

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

// convEval is a convolution and the batch norm (and activation) after it
// in an Infer replica (Options.inferOnly), run as one layer: each sample's
// output is normalised in place right after the convolution wrote it, so
// the batch norm's own pass over the chunk disappears. It has no Backward.
//
//	in: the convolution's;  out: n × Cout × OH × OW
type convEval struct {
	conv *Conv2d
	post evalEpilogue
}

// Name is the convolution's name.
func (l *convEval) Name() string { return l.conv.Name() }

// InShape is the convolution's input shape.
func (l *convEval) InShape() Shape { return l.conv.InShape() }

// OutShape is the convolution's output shape.
func (l *convEval) OutShape() Shape { return l.conv.OutShape() }

// Params are the convolution's tensors, then the batch norm's.
func (l *convEval) Params() []*params.Param {
	return append(append([]*params.Param(nil), l.conv.Params()...), l.post.Params()...)
}

// MACs are the convolution's.
func (l *convEval) MACs() int64 { return l.conv.MACs() }

// Children are the convolution and the batch norm.
func (l *convEval) Children() []Layer { return []Layer{l.conv, l.post} }

// Forward computes out = post(conv(in)) with the running statistics.
func (l *convEval) Forward(out, in []float32, n int) {
	l.post.prepareEval()
	l.conv.forward(out, in, n, l.post)
}

// Backward panics: an Infer replica never runs one.
func (l *convEval) Backward(dIn, dOut []float32, n int) {
	panic("model: Backward of an Infer replica")
}
