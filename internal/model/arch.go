package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/params"
)

// builder chains layers while tracking the current per-sample shape; the
// first error sticks and later calls are no-ops.
type builder struct {
	ex       *Exec
	a        *params.Arena
	cur      Shape
	err      error
	winograd string // Config.Winograd, given to every convolution
}

// add appends l to seq (when l is not nil) and moves the current shape on.
func (b *builder) add(seq *[]Layer, l Layer, err error) {
	if b.err != nil {
		return
	}
	if err != nil {
		b.err = err
		return
	}
	*seq = append(*seq, l)
	b.cur = l.OutShape()
}

// conv appends a Conv2d.
func (b *builder) conv(seq *[]Layer, name string, s ConvSpec) {
	if b.err != nil {
		return
	}
	s.Winograd = b.winograd
	l, err := NewConv2d(b.ex, b.a, name, b.cur, s)
	b.add(seq, l, err)
}

// bn appends an affine BatchNorm2d (BatchNorm1d for vectors).
func (b *builder) bn(seq *[]Layer, name string) {
	if b.err == nil {
		b.add(seq, NewBatchNorm2d(b.ex, b.a, name, b.cur, true), nil)
	}
}

// bnAct appends an affine BatchNorm2d named bn and its activation named act
// (a per-channel PReLU, or a ReLU when relu), fused into one BNAct layer.
func (b *builder) bnAct(seq *[]Layer, bn, act string, relu bool) {
	if b.err == nil {
		b.add(seq, b.newBNAct(bn, act, relu), nil)
	}
}

// newBNAct declares an affine BatchNorm2d named bn and its activation named
// act (a per-channel PReLU, or a ReLU when relu) over the current shape.
func (b *builder) newBNAct(bn, act string, relu bool) *BNAct {
	norm := NewBatchNorm2d(b.ex, b.a, bn, b.cur, true)
	var a Layer
	if relu {
		a = NewReLU(b.ex, act, b.cur)
	} else {
		a = NewPReLU(b.ex, b.a, act, b.cur)
	}
	return newBNAct(norm, a)
}

// bnActPool appends bnAct's layers and a 2×2 stride-2 max pool named pool,
// fused into one BNActPool layer.
func (b *builder) bnActPool(seq *[]Layer, bn, act, pool string, relu bool) {
	if b.err != nil {
		return
	}
	ba := b.newBNAct(bn, act, relu)
	p, err := NewMaxPool2d(b.ex, pool, b.cur, 2, 2, 0)
	if err != nil {
		b.err = err
		return
	}
	b.add(seq, newBNActPool(ba, p), nil)
}

// seq wraps layers into a Sequential.
func (b *builder) seq(name string, layers []Layer) Layer {
	if b.err != nil {
		return nil
	}
	s, err := NewSequential(name, layers...)
	if err != nil {
		b.err = err
		return nil
	}
	s.ex = b.ex
	return s
}

// head appends flatten, optional dropout, the embedding Linear and its
// BatchNorm1d.
func (b *builder) head(seq *[]Layer, cfg Config, fc, bn string, fcBias, fixedScale bool) {
	if b.err != nil {
		return
	}
	b.add(seq, NewFlatten(b.ex, "backbone.flatten", b.cur), nil)
	if cfg.Dropout > 0 {
		b.add(seq, NewDropout(b.ex, "backbone.dropout", b.cur, cfg.Dropout), nil)
	}
	b.add(seq, NewLinear(b.ex, b.a, fc, b.cur, cfg.EmbeddingDim, fcBias), nil)
	if fixedScale {
		b.add(seq, newFixedScaleBatchNorm1d(b.ex, b.a, bn, cfg.EmbeddingDim), nil)
	} else {
		b.add(seq, NewBatchNorm1d(b.ex, b.a, bn, cfg.EmbeddingDim, true), nil)
	}
}

// buildTiny is the peer-benchmark net: four stages of conv3×3 (padding 1,
// no bias: the BN after it makes a bias redundant) → BN → ReLU → maxpool 2,
// with 32, 64, 128, 256 channels (BN → ReLU → pool fused into one
// BNActPool), then flatten → Linear (no bias, for the same reason) →
// BatchNorm1d.
func buildTiny(b *builder, cfg Config) []Layer {
	var layers []Layer
	for i, c := range []int{32, 64, 128, 256} {
		s := fmt.Sprintf("backbone.%%s%d", i+1)
		b.conv(&layers, fmt.Sprintf(s, "conv"), ConvSpec{Out: c, Kernel: 3, Stride: 1, Pad: 1})
		b.bnActPool(&layers, fmt.Sprintf(s, "bn"), fmt.Sprintf(s, "relu"), fmt.Sprintf(s, "pool"), true)
	}
	b.head(&layers, cfg, "backbone.fc", "backbone.features", false, false)
	return layers
}

// buildSmall is tiny with each stage doubled in depth: before each stage's
// conv3×3 → BN → ReLU → maxpool 2 it runs a conv3×3 of the same output width
// (padding 1, no bias) → BN → PReLU, named conv{i}a, bn{i}a, prelu{i}a
// (32, 64, 128, 256 channels; BN → PReLU fused into one BNAct), then tiny's
// head: flatten → Linear (no bias) → BatchNorm1d.
func buildSmall(b *builder, cfg Config) []Layer {
	var layers []Layer
	for i, c := range []int{32, 64, 128, 256} {
		s := fmt.Sprintf("backbone.%%s%d", i+1)
		a := s + "a"
		b.conv(&layers, fmt.Sprintf(a, "conv"), ConvSpec{Out: c, Kernel: 3, Stride: 1, Pad: 1})
		b.bnAct(&layers, fmt.Sprintf(a, "bn"), fmt.Sprintf(a, "prelu"), false)
		b.conv(&layers, fmt.Sprintf(s, "conv"), ConvSpec{Out: c, Kernel: 3, Stride: 1, Pad: 1})
		b.bnActPool(&layers, fmt.Sprintf(s, "bn"), fmt.Sprintf(s, "relu"), fmt.Sprintf(s, "pool"), true)
	}
	b.head(&layers, cfg, "backbone.fc", "backbone.features", false, false)
	return layers
}

// convBlock is conv → BN → PReLU (TreB1eN's Conv_block); linearBlock leaves
// out the PReLU (Linear_block). Convolutions have no bias.
func (b *builder) convBlock(seq *[]Layer, name string, s ConvSpec, act bool) {
	var l []Layer
	b.conv(&l, name+".conv", s)
	if act {
		b.bnAct(&l, name+".bn", name+".prelu", false)
	} else {
		b.bn(&l, name+".bn")
	}
	if b.err == nil {
		*seq = append(*seq, b.seq(name, l))
	}
}

// depthWise is MobileFaceNet's bottleneck (TreB1eN's Depth_Wise): 1×1 expand
// to e channels → depthwise 3×3 with the given stride → linear 1×1 project to
// out, with an identity shortcut when residual.
func (b *builder) depthWise(seq *[]Layer, name string, out, e, stride int, residual bool) {
	in := b.cur
	var l []Layer
	b.convBlock(&l, name+".conv", ConvSpec{Out: e, Kernel: 1}, true)
	b.convBlock(&l, name+".conv_dw", ConvSpec{Out: e, Kernel: 3, Stride: stride, Pad: 1, Groups: e}, true)
	b.convBlock(&l, name+".project", ConvSpec{Out: out, Kernel: 1}, false)
	branch := b.seq(name, l)
	if b.err != nil {
		return
	}
	if !residual {
		*seq = append(*seq, branch)
		return
	}
	r, err := NewResidual(name, branch, nil)
	if err != nil {
		b.err = err
		return
	}
	*seq = append(*seq, r)
	b.cur = in
}

// buildMobileFaceNet is Chen et al. 2018 as in insightface (TreB1eN's
// InsightFace_Pytorch MobileFaceNet, the same parameter names): blocks
// (1, 4, 6, 2), a global depthwise conv over the last feature map, linear
// embedding (no bias) and BatchNorm1d.
func buildMobileFaceNet(b *builder, cfg Config) []Layer {
	var layers []Layer
	b.convBlock(&layers, "backbone.conv1", ConvSpec{Out: 64, Kernel: 3, Stride: 2, Pad: 1}, true)
	b.convBlock(&layers, "backbone.conv2_dw", ConvSpec{Out: 64, Kernel: 3, Stride: 1, Pad: 1, Groups: 64}, true)
	stage := func(name string, c, e, blocks int) {
		var l []Layer
		for i := 0; i < blocks; i++ {
			b.depthWise(&l, fmt.Sprintf("%s.model.%d", name, i), c, e, 1, true)
		}
		if b.err == nil {
			layers = append(layers, b.seq(name, l))
		}
	}
	b.depthWise(&layers, "backbone.conv_23", 64, 128, 2, false)
	stage("backbone.conv_3", 64, 128, 4)
	b.depthWise(&layers, "backbone.conv_34", 128, 256, 2, false)
	stage("backbone.conv_4", 128, 256, 6)
	b.depthWise(&layers, "backbone.conv_45", 128, 512, 2, false)
	stage("backbone.conv_5", 128, 256, 2)
	b.convBlock(&layers, "backbone.conv_6_sep", ConvSpec{Out: 512, Kernel: 1}, true)
	if b.err == nil && b.cur.H != b.cur.W {
		b.err = fmt.Errorf("model: mobilefacenet: non-square %v feature map", b.cur)
	}
	b.convBlock(&layers, "backbone.conv_6_dw", ConvSpec{Out: 512, Kernel: b.cur.H, Groups: 512}, false)
	b.head(&layers, cfg, "backbone.linear", "backbone.bn", false, false)
	return layers
}

// buildIResNet18 is insightface's IR-18 (arcface_torch iresnet18, the same
// parameter names): conv3×3 64 → BN → PReLU, four stages of two
// BN-conv-BN-PReLU-conv-BN blocks (64, 128, 256, 512 channels, stride 2 in
// each stage's first block, 1×1 conv + BN downsample shortcut), BN → flatten
// → dropout → FC (with bias) → BatchNorm1d with its scale frozen at 1.
func buildIResNet18(b *builder, cfg Config) []Layer {
	var layers []Layer
	b.conv(&layers, "backbone.conv1", ConvSpec{Out: 64, Kernel: 3, Stride: 1, Pad: 1})
	b.bnAct(&layers, "backbone.bn1", "backbone.prelu", false)
	for s, planes := range []int{64, 128, 256, 512} {
		stage := fmt.Sprintf("backbone.layer%d", s+1)
		var blocks []Layer
		for j := 0; j < 2; j++ {
			name := fmt.Sprintf("%s.%d", stage, j)
			stride := 1
			if j == 0 {
				stride = 2
			}
			in := b.cur
			var br []Layer
			b.bn(&br, name+".bn1")
			b.conv(&br, name+".conv1", ConvSpec{Out: planes, Kernel: 3, Pad: 1})
			b.bnAct(&br, name+".bn2", name+".prelu", false)
			b.conv(&br, name+".conv2", ConvSpec{Out: planes, Kernel: 3, Stride: stride, Pad: 1})
			b.bn(&br, name+".bn3")
			branch := b.seq(name, br)
			out := b.cur
			var short Layer
			if stride != 1 || in.C != planes {
				b.cur = in
				var ds []Layer
				b.conv(&ds, name+".downsample.0", ConvSpec{Out: planes, Kernel: 1, Stride: stride})
				b.bn(&ds, name+".downsample.1")
				short = b.seq(name+".downsample", ds)
			}
			if b.err != nil {
				return nil
			}
			r, err := NewResidual(name, branch, short)
			if err != nil {
				b.err = err
				return nil
			}
			blocks = append(blocks, r)
			b.cur = out
		}
		if b.err == nil {
			layers = append(layers, b.seq(stage, blocks))
		}
	}
	b.bn(&layers, "backbone.bn2")
	b.head(&layers, cfg, "backbone.fc", "backbone.features", true, true)
	return layers
}
