//go:build noasm || !amd64

package kernels

// winoImpls lists the Winograd transform implementations of this build:
// pure Go.
func winoImpls() []winoImpl { return []winoImpl{winoGo} }

func (winoImpl) colsIn(h, plane []float32, H, W, y0, rows, c0, nt int) {
	colsInGo(h, plane, H, W, y0, rows, c0, nt)
}
func (winoImpl) colsOut(plane, h []float32, H, W, y0, rows, c0, nt int) {
	colsOutGo(plane, h, H, W, y0, rows, c0, nt)
}
func (winoImpl) colsOutGrad(h, plane []float32, H, W, y0, rows, c0, nt int) {
	colsOutGradGo(h, plane, H, W, y0, rows, c0, nt)
}
func (winoImpl) colsInGrad(plane, h []float32, H, W, y0, rows, c0, nt int) {
	colsInGradGo(plane, h, H, W, y0, rows, c0, nt)
}
func (winoImpl) rowsIn(v []float32, stride int, h []float32, n int) { rowsInGo(v, stride, h, n) }
func (winoImpl) rowsOut(h, m []float32, stride, n int)              { rowsOutGo(h, m, stride, n) }
func (winoImpl) rowsOutGrad(dm []float32, stride int, h []float32, n int) {
	rowsOutGradGo(dm, stride, h, n)
}
func (winoImpl) rowsInGrad(h, dv []float32, stride, n int) { rowsInGradGo(h, dv, stride, n) }
