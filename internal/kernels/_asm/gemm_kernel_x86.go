package main

import "fmt"

// gemmKernel describes one register-blocked micro-kernel: mr rows, vecs
// vector registers of `lanes` floats per row, register prefix ("Z" or "Y").
type gemmKernel struct {
	name  string
	mr    int
	vecs  int
	lanes int
	reg   string
	// masked kernels (AVX-512) write only the first `rows` rows and the
	// columns set in the lane masks mlo/mhi, so edge blocks need no buffer.
	masked bool
	// panel is the width of the packed B panel, when wider than the
	// vecs×lanes columns the kernel computes: a narrow kernel computes the
	// first columns of a wider kernel's panel (its last, partial panel) in
	// the same order of operations, so with the same result.
	panel int
}

func (g gemmKernel) nr() int { return g.vecs * g.lanes }

// bStride is the floats per k step of the packed B panel the kernel reads.
func (g gemmKernel) bStride() int { return max(g.panel, g.nr()) }

// acc, bReg and bcast name the accumulator, B-row and broadcast registers.
func (g gemmKernel) acc(r, v int) string { return fmt.Sprintf("%s%d", g.reg, r*g.vecs+v) }
func (g gemmKernel) bReg(v int) string   { return fmt.Sprintf("%s%d", g.reg, g.mr*g.vecs+v) }
func (g gemmKernel) bcast(r int) string  { return fmt.Sprintf("%s%d", g.reg, g.mr*g.vecs+g.vecs+r%2) }

// step emits one k step reading A at AX+aOff and B at BX+bOff.
func (g gemmKernel) step(a *asm, aOff, bOff int) {
	vb := g.lanes * 4
	for v := 0; v < g.vecs; v++ {
		a.f("\tVMOVUPS %d(BX), %s", bOff+v*vb, g.bReg(v))
	}
	for r := 0; r < g.mr; r++ {
		a.f("\tVBROADCASTSS %d(AX), %s", aOff+4*r, g.bcast(r))
		for v := 0; v < g.vecs; v++ {
			a.f("\tVFMADD231PS %s, %s, %s", g.bReg(v), g.bcast(r), g.acc(r, v))
		}
	}
}

func (g gemmKernel) emit(a *asm) {
	const unroll = 4
	aStep, bStep := 4*g.mr, 4*g.bStride()
	vb := g.lanes * 4
	alpha, beta := g.bReg(0), g.bReg(1)
	if g.masked {
		a.f("// func %s(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32, rows int, mlo, mhi uint16)", g.name)
		a.f("// C[0:rows][cols in mlo|mhi<<16] = alpha·Ap·Bp + beta·C (C unread when beta == 0),")
		a.f("// rows ≥ 1, Ap k×%d, Bp k×%d.", g.mr, g.bStride())
		a.f("TEXT ·%s(SB), NOSPLIT, $0-60", g.name)
		a.f("\tMOVQ rows+48(FP), R9")
		a.f("\tKMOVW mlo+56(FP), K1")
		a.f("\tKMOVW mhi+58(FP), K2")
	} else {
		a.f("// func %s(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32)", g.name)
		a.f("// C[0:%d][0:%d] = alpha·Ap·Bp + beta·C (C unread when beta == 0), Bp k×%d.", g.mr, g.nr(), g.bStride())
		a.f("TEXT ·%s(SB), NOSPLIT, $0-48", g.name)
	}
	a.f("\tMOVQ k+0(FP), CX")
	a.f("\tMOVQ ap+8(FP), AX")
	a.f("\tMOVQ bp+16(FP), BX")
	a.f("\tMOVQ c+24(FP), DX")
	a.f("\tMOVQ ldc+32(FP), SI")
	a.f("\tSHLQ $2, SI")
	for r := 0; r < g.mr; r++ {
		for v := 0; v < g.vecs; v++ {
			if g.reg == "Z" {
				a.f("\tVPXORD %s, %[1]s, %[1]s", g.acc(r, v))
			} else {
				a.f("\tVXORPS %s, %[1]s, %[1]s", g.acc(r, v))
			}
		}
	}
	// Fetch the C block while the k loop runs.
	a.f("\tMOVQ DX, R10")
	for r := 0; r < g.mr; r++ {
		for v := 0; v < g.vecs*g.lanes*4; v += 64 {
			a.f("\tPREFETCHT0 %d(R10)", v)
		}
		a.f("\tADDQ SI, R10")
	}
	a.f("\tMOVQ CX, DI")
	a.f("\tSHRQ $2, DI")
	a.f("\tJZ tail")
	a.f("loop4:")
	for u := 0; u < unroll; u++ {
		a.f("\tPREFETCHT0 %d(BX)", 512+u*bStep)
		g.step(a, u*aStep, u*bStep)
	}
	a.f("\tADDQ $%d, AX", unroll*aStep)
	a.f("\tADDQ $%d, BX", unroll*bStep)
	a.f("\tDECQ DI")
	a.f("\tJNZ loop4")
	a.f("tail:")
	a.f("\tANDQ $3, CX")
	a.f("\tJZ store")
	a.f("loop1:")
	g.step(a, 0, 0)
	a.f("\tADDQ $%d, AX", aStep)
	a.f("\tADDQ $%d, BX", bStep)
	a.f("\tDECQ CX")
	a.f("\tJNZ loop1")
	a.f("store:")
	a.f("\tVBROADCASTSS alpha+40(FP), %s", alpha)
	a.f("\tVBROADCASTSS beta+44(FP), %s", beta)
	for r := 0; r < g.mr; r++ {
		for v := 0; v < g.vecs; v++ {
			a.f("\tVMULPS %s, %s, %[2]s", alpha, g.acc(r, v))
		}
	}
	a.f("\tMOVL beta+44(FP), R8")
	a.f("\tANDL $0x7fffffff, R8")
	a.f("\tJZ overwrite")
	mask := func(v int) string {
		if !g.masked {
			return ""
		}
		return fmt.Sprintf("K%d, ", v+1)
	}
	rowGuard := func(r int, label string) {
		if g.masked && r > 0 {
			a.f("\tCMPQ R9, $%d", r)
			a.f("\tJLE %s", label)
		}
	}
	for r := 0; r < g.mr; r++ {
		rowGuard(r, "done")
		for v := 0; v < g.vecs; v++ {
			a.f("\tVFMADD231PS %d(DX), %s, %s%s", v*vb, beta, mask(v), g.acc(r, v))
			a.f("\tVMOVUPS %s, %s%d(DX)", g.acc(r, v), mask(v), v*vb)
		}
		if r < g.mr-1 {
			a.f("\tADDQ SI, DX")
		}
	}
	a.f("\tJMP done")
	a.f("overwrite:")
	for r := 0; r < g.mr; r++ {
		rowGuard(r, "done")
		for v := 0; v < g.vecs; v++ {
			a.f("\tVMOVUPS %s, %s%d(DX)", g.acc(r, v), mask(v), v*vb)
		}
		if r < g.mr-1 {
			a.f("\tADDQ SI, DX")
		}
	}
	a.f("done:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
