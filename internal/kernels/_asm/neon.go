package main

import "fmt"

// arm64 NEON helpers. Go's arm64 assembler has VFMLA, VLD1, VST1, VTRN1/2,
// VBSL and friends, but not the float arithmetic on vectors (FADD, FMUL,
// FMAX, FCMGT, FADDP) nor FMLA by element; those are written as WORDs
// with the instruction in a comment (encodings from the Arm ARM, "Advanced
// SIMD three same" and "vector x indexed element", single precision, Q=1).

// v3 emits a three-register single-precision vector instruction
// Vd.4S = op(Vn.4S, Vm.4S) from its encoding with the registers zero.
func v3(a *asm, name string, base uint32, d, n, m int) {
	w := base | uint32(m)<<16 | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // %s V%d.4S, V%d.4S, V%d.4S", w, name, d, n, m)
}

func fadd(a *asm, d, n, m int) { v3(a, "FADD", 0x4E20D400, d, n, m) }
func fsub(a *asm, d, n, m int) { v3(a, "FSUB", 0x4EA0D400, d, n, m) }
func fmul(a *asm, d, n, m int) { v3(a, "FMUL", 0x6E20DC00, d, n, m) }

// fcmgt sets each lane of Vd to all ones where Vn > Vm, else zero.
func fcmgt(a *asm, d, n, m int) { v3(a, "FCMGT", 0x6EA0E400, d, n, m) }

// faddp adds adjacent pairs: Vd = [n0+n1, n2+n3, m0+m1, m2+m3].
func faddp(a *asm, d, n, m int) { v3(a, "FADDP", 0x6E20D400, d, n, m) }

// fneg: Vd = −Vn.
func fneg(a *asm, d, n int) {
	w := uint32(0x6EA0F800) | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // FNEG V%d.4S, V%d.4S", w, d, n)
}

// fcmgtz sets each lane of Vd to all ones where Vn > 0 (false for NaN).
func fcmgtz(a *asm, d, n int) {
	w := uint32(0x4EA0C800) | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // FCMGT V%d.4S, V%d.4S, #0.0", w, d, n)
}

// faddpS adds the two low lanes of Vn into the scalar Sd.
func faddpS(a *asm, d, n int) {
	w := uint32(0x7E30D800) | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // FADDP S%d, V%d.2S", w, d, n)
}

// byElem emits a single-precision vector-by-element instruction
// Vd.4S op= Vn.4S × Vm.S[idx].
func byElem(a *asm, name string, base uint32, d, n, m, idx int) {
	w := base | uint32(idx&1)<<21 | uint32(m)<<16 | uint32(idx>>1)<<11 | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // %s V%d.4S, V%d.4S, V%d.S[%d]", w, name, d, n, m, idx)
}

// fmlaElem: Vd += Vn × Vm.S[idx].
func fmlaElem(a *asm, d, n, m, idx int) { byElem(a, "FMLA", 0x4F801000, d, n, m, idx) }

// fmulElem: Vd = Vn × Vm.S[idx].
func fmulElem(a *asm, d, n, m, idx int) { byElem(a, "FMUL", 0x4F809000, d, n, m, idx) }

// vfmla: Vd += Vn × Vm (the assembler's own VFMLA, operands reversed).
func vfmla(a *asm, d, n, m int) { a.f("\tVFMLA V%d.S4, V%d.S4, V%d.S4", m, n, d) }

// vzero clears Vd.
func vzero(a *asm, d int) { a.f("\tVEOR V%d.B16, V%[1]d.B16, V%[1]d.B16", d) }

// vlist names consecutive vector registers V(first)…V(first+n−1) as a VLD1
// or VST1 register list.
func vlist(first, n int) string {
	s := "["
	for i := 0; i < n; i++ {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("V%d.S4", first+i)
	}
	return s + "]"
}
