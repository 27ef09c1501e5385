//go:build !noasm && (amd64 || arm64)

package kernels

// checkBack3 panics unless dOut, in, weight, dW and dIn (nil allowed) hold
// the C planes a 3×3 depthwise backward of geometry g reads and writes: the
// assembly kernels take raw pointers.
func checkBack3(dIn, dW, dOut, in, weight []float32, g ConvGeom) {
	hw, ohw := g.H*g.W, g.OutH()*g.OutW()
	_, _, _ = dOut[g.C*ohw-1], in[g.C*hw-1], weight[g.C*9-1]
	_ = dW[g.C*9-1]
	if dIn != nil {
		_ = dIn[g.C*hw-1]
	}
}
