//go:build noasm || !amd64

package kernels

// winoImpls lists the Winograd transform implementations of this build:
// pure Go.
func winoImpls() []winoImpl { return []winoImpl{winoGo} }

func (winoImpl) colsIn(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	colsInGo(tf, h, plane, H, W, y0, rows, c0, nt)
}
func (winoImpl) colsOut(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	colsOutGo(tf, plane, h, H, W, y0, rows, c0, nt)
}
func (winoImpl) colsOutGrad(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	colsOutGradGo(tf, h, plane, H, W, y0, rows, c0, nt)
}
func (winoImpl) colsInGrad(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	colsInGradGo(tf, plane, h, H, W, y0, rows, c0, nt)
}
func (winoImpl) rowsIn(tf *winoTf, v []float32, stride int, h []float32, cnt int) {
	rowsInGo(tf, v, stride, h, cnt)
}
func (winoImpl) rowsOut(tf *winoTf, h, m []float32, stride, cnt int) {
	rowsOutGo(tf, h, m, stride, cnt)
}
func (winoImpl) rowsOutGrad(tf *winoTf, dm []float32, stride int, h []float32, cnt int) {
	rowsOutGradGo(tf, dm, stride, h, cnt)
}
func (winoImpl) rowsInGrad(tf *winoTf, h, dv []float32, stride, cnt int) {
	rowsInGradGo(tf, h, dv, stride, cnt)
}
