package model

// The execution plan: New builds the layers as the architecture lists them
// (convolutions, batch norms with their activations, pools, …), then
// compile walks every Sequential once and links the neighbours that run
// fused, so that Forward and Backward are plain loops over the layers:
//
//   - conv → batch norm (BatchNorm, BNAct, BNActPool): in training, the
//     convolution hands the batch norm each output plane's sum and squared
//     deviations right after writing it (Conv2d.fwdStats, bnstats.go);
//   - BNAct → conv: the convolution hands the BNAct the backward sums of
//     each plane of its input gradient (Conv2d.bwdStats, bnstats.go); and
//     when the convolution is depthwise or 1×1, the BNAct never writes its
//     training output: the convolution maps the BNAct's input itself
//     (Conv2d.pre, BNAct.mapped, bnact_map.go);
//   - depthwise conv → BNAct: the BNAct leaves its input gradient to the
//     convolution's backward, which computes it per block of planes right
//     before using it (Conv2d.postGrad, BNAct.gradMapped, bnact_map.go);
//   - single-plane conv → BNActPool (tiny's first stage on grey input):
//     one layer, planeStage (conv_plane.go);
//   - conv → BatchNorm or BNAct in an Infer replica: one layer, convEval,
//     which normalises each sample's output in place (fuse.go).
//
// BN + activation (+ 2×2 max pool) are built as one layer by the
// architectures already (BNAct, BNActPool). The links are the same kernel
// calls on the same values as the layers run one by one, so the fused plan
// is bit-identical to the unfused one (Options.Unfused;
// TestFusedPlanMatchesUnfused).

// Options are the build options of NewWithOptions.
type Options struct {
	// Unfused runs every layer on its own, as the architecture lists it:
	// no links between neighbours and no fused pairs (the reference the
	// fused plan is tested against; slower).
	Unfused bool
	// inferOnly builds an Infer replica: eval mode only, no Backward; a
	// convolution and the batch norm after it run as one convEval.
	inferOnly bool
}

// compile links the neighbouring layers of every Sequential in l's tree
// that run fused (see above), sets each Sequential's in-place backward
// flags and plans the buffers the layers share (see nesting); it returns
// l, or the fused layer that replaces it.
func compile(l Layer, opt Options) Layer { return compileAt(l, opt, nesting{}) }

// nesting is where compile is in the layer tree: the Exec of the
// innermost Sequential built in a net (nil outside one) and the numbers
// of Sequentials and Residuals around. The Sequentials inside k others
// share the Exec's gradient buffers of level k (and in an Infer replica
// its activation buffers), the Residuals inside k others its shortcut
// buffer of level k: two of them never run at the same time.
type nesting struct {
	ex              *Exec
	seqs, residuals int
}

// compileAt is compile at nesting at.
func compileAt(l Layer, opt Options, at nesting) Layer {
	switch v := l.(type) {
	case *Sequential:
		compileSequential(v, opt, at)
	case *Residual:
		inner := at
		inner.residuals++
		v.Branch = compileAt(v.Branch, opt, inner)
		if v.Shortcut != nil {
			v.Shortcut = compileAt(v.Shortcut, opt, inner)
		}
		if at.ex != nil {
			v.shortcut = atLevel(&at.ex.shortcut, at.residuals)
			v.needShortcut()
		}
	}
	return l
}

// compileSequential fuses s's layers (children first), then records which
// layers write their input gradient over their output gradient and plans
// the buffers.
func compileSequential(s *Sequential, opt Options, at nesting) {
	inner := at
	if s.ex != nil {
		inner.ex = s.ex
	}
	inner.seqs++
	for i, l := range s.Layers {
		s.Layers[i] = compileAt(l, opt, inner)
	}
	if !opt.Unfused {
		s.Layers = fusePairs(s.Layers, opt)
		for i := 1; i < len(s.Layers); i++ {
			link(s.Layers[i-1], s.Layers[i], opt)
		}
	}
	if s.ex != nil {
		s.grads = atLevel(&s.ex.grads, at.seqs)
	}
	s.tables()
	for i, l := range s.Layers {
		switch l.(type) {
		case *BNAct, *BatchNorm:
			s.inPlace[i] = true
		}
	}
	s.planGrads()
	if s.ex != nil && opt.inferOnly {
		s.inferActs = atLevel(&s.ex.acts, at.seqs)
		for i, l := range s.Layers[:len(s.Layers)-1] {
			s.inferActs[i%2].need(l.OutShape().Size())
		}
	}
}

// fusePairs replaces the pairs of adjacent layers that run as one layer:
// a single-plane convolution and a BNActPool (planeStage), and in an Infer
// replica a convolution and a BatchNorm or BNAct (convEval).
func fusePairs(layers []Layer, opt Options) []Layer {
	var out []Layer
	for i := 0; i < len(layers); i++ {
		c, ok := layers[i].(*Conv2d)
		if ok && i+1 < len(layers) {
			next := layers[i+1]
			if opt.inferOnly {
				if post, ok := next.(evalEpilogue); ok && post.InShape() == c.out {
					out = append(out, &convEval{conv: c, post: post})
					i++
					continue
				}
			} else if p, ok := next.(*BNActPool); ok && c.singlePlane() && p.InShape() == c.out {
				out = append(out, newPlaneStage(c, p))
				i++
				continue
			}
		}
		out = append(out, layers[i])
	}
	return out
}

// link sets the training links between a and b, adjacent in a Sequential
// (a's output is b's input), at any nesting of Sequentials.
func link(a, b Layer, opt Options) {
	if opt.inferOnly {
		return
	}
	if c, ok := a.(*Conv2d); ok { // conv → batch norm: forward statistics
		var bn *BatchNorm
		switch l := b.(type) {
		case *BNAct:
			bn = l.bn
		case *BNActPool:
			bn = l.ba.bn
		case *BatchNorm:
			bn = l
		}
		if bn != nil && bn.ex == c.ex && bn.in == c.out {
			c.fwdStats = bn
		}
		if l, ok := b.(*BNAct); ok && c.depthwise() && l.bn.ex == c.ex && l.bn.in == c.out {
			l.gradMapped, c.postGrad = true, l
		}
	}
	last, first := a, b
	for s, ok := last.(*Sequential); ok; s, ok = last.(*Sequential) {
		last = s.Layers[len(s.Layers)-1]
	}
	for s, ok := first.(*Sequential); ok; s, ok = first.(*Sequential) {
		first = s.Layers[0]
	}
	l, ok := last.(*BNAct)
	c, ok2 := first.(*Conv2d)
	if !ok || !ok2 || l.bn.ex != c.ex || l.bn.in != c.in {
		return
	}
	c.bwdStats = l // BNAct → conv: backward sums
	if c.depthwise() || c.pointwise() && !c.singlePlane() {
		l.mapped, c.pre = true, l // BNAct → depthwise or 1×1 conv: mapped input
	}
}
