package kernels

// dwImpl is one implementation of the depthwise convolutions with 3×3
// filters, padding 1 and stride 1 or 2 (the geometries is3x3 accepts, with
// C ≥ 1): conv3 as DepthwiseConv, back3 as DepthwiseConvBackward (accIn) or
// DepthwiseConvBackwardOverwrite.
type dwImpl struct {
	name  string
	conv3 func(out, in, weight []float32, g ConvGeom)
	back3 func(dIn, dW, dOut, in, weight []float32, g ConvGeom, accIn bool)
}

// dwGo is the pure-Go implementation (the generic loops), the reference of
// the others.
var dwGo = dwImpl{name: "go", conv3: depthwiseGeneric, back3: depthwiseBackwardGeneric}

// dw is the implementation DepthwiseConv and DepthwiseConvBackward use: the
// first of dwImpls().
var dw = dwImpls()[0]
