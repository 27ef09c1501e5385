package model

import "github.com/cocotrain/cocotrain/internal/params"

// Read-only accessors for walking a net's unfused layer structure (what
// New builds: Net.Layers, containers' Children) from outside the package,
// as internal/export does to write the network in another format.

// Weight is the Cout × Cin/Groups × Kernel × Kernel filter tensor.
func (c *Conv2d) Weight() *params.Param { return c.weight }

// Bias is the Cout bias, nil when the convolution has none.
func (c *Conv2d) Bias() *params.Param { return c.bias }

// Affine returns γ and β (C each), both nil when the batch norm is not
// affine. A frozen scale (FixedScale) is a buffer held at 1.
func (b *BatchNorm) Affine() (weight, bias *params.Param) { return b.weight, b.bias }

// Running returns the running mean and (unbiased) variance, C each.
func (b *BatchNorm) Running() (mean, variance *params.Param) { return b.mean, b.vr }

// Slopes are the PReLU's C negative slopes.
func (p *PReLU) Slopes() *params.Param { return p.weight }

// Weight is the D × F matrix.
func (l *Linear) Weight() *params.Param { return l.weight }

// Bias is the D bias, nil when the layer has none.
func (l *Linear) Bias() *params.Param { return l.bias }

// PoolWindow is a pooling layer's window: KH × KW, stride and zero
// padding on each side (the same along both axes).
type PoolWindow struct{ KH, KW, Stride, Pad int }

// Window is the max pool's window.
func (m *MaxPool2d) Window() PoolWindow { return m.g.window() }

// Window is the average pool's window (padding counts in the divisor).
func (a *AvgPool2d) Window() PoolWindow { return a.g.window() }

func (g poolGeom) window() PoolWindow { return PoolWindow{g.kh, g.kw, g.s, g.p} }
