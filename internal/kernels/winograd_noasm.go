//go:build noasm || !amd64

package kernels

// winoImpls lists the Winograd transform implementations of this build:
// pure Go.
func winoImpls() []winoImpl { return []winoImpl{winoGo} }

func (winoImpl) colsIn(h, row []float32, c0, nt int)                { colsInGo(h, row, c0, nt) }
func (winoImpl) rowsIn(v []float32, stride int, h []float32, n int) { rowsInGo(v, stride, h, n) }
func (winoImpl) rowsOut(h, m []float32, stride, n int)              { rowsOutGo(h, m, stride, n) }
func (winoImpl) colsOut(row, h []float32, c0, nt int)               { colsOutGo(row, h, c0, nt) }
func (winoImpl) colsOutGrad(h, row []float32, c0, nt int)           { colsOutGradGo(h, row, c0, nt) }
func (winoImpl) rowsOutGrad(dm []float32, stride int, h []float32, n int) {
	rowsOutGradGo(dm, stride, h, n)
}
func (winoImpl) rowsInGrad(h, dv []float32, stride, n int) { rowsInGradGo(h, dv, stride, n) }
func (winoImpl) colsInGrad(row, h []float32, c0, nt int)   { colsInGradGo(row, h, c0, nt) }
