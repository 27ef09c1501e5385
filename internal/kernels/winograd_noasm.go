//go:build noasm || !amd64

package kernels

// winoImpls lists the Winograd transform implementations of this build:
// pure Go.
func winoImpls() []winoImpl { return []winoImpl{winoGo} }

func (winoImpl) colsIn(h, p []float32, nt int)                      { colsInGo(h, p, nt) }
func (winoImpl) rowsIn(v []float32, stride int, h []float32, n int) { rowsInGo(v, stride, h, n) }
func (winoImpl) rowsOut(h, m []float32, stride, n int)              { rowsOutGo(h, m, stride, n) }
func (winoImpl) colsOut(p, h []float32, nt int)                     { colsOutGo(p, h, nt) }
func (winoImpl) colsOutGrad(h, p []float32, nt int)                 { colsOutGradGo(h, p, nt) }
func (winoImpl) rowsOutGrad(dm []float32, stride int, h []float32, n int) {
	rowsOutGradGo(dm, stride, h, n)
}
func (winoImpl) rowsInGrad(h, dv []float32, stride, n int) { rowsInGradGo(h, dv, stride, n) }
func (winoImpl) colsInGrad(p, h []float32, nt int)         { colsInGradGo(p, h, nt) }
