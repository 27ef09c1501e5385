package main

import "strings"

// normActPoolOps writes the AVX-512 loops of pool.go: batch
// normalisation, PReLU/ReLU and 2×2 stride-2 max pooling fused over one
// channel plane (forward), and the two passes of its backward. Each
// iteration covers 16 pooled outputs of one output row: 32 input columns
// of two input rows, split into the four window positions by VPERMT2PS.
// The index tables are the constant vectors they permute with.
func normActPoolOps(a *asm) {
	table := func(name string, idx func(j int) int) {
		for j := 0; j < 16; j++ {
			a.f("DATA %s<>+%d(SB)/4, $%d", name, 4*j, idx(j))
		}
		a.f("GLOBL %s<>(SB), RODATA|NOPTR, $64", name)
		a.f("")
	}
	table("poolEven", func(j int) int { return 2 * j })
	table("poolOdd", func(j int) int { return 2*j + 1 })
	table("poolInterLo", func(j int) int { return j/2 + 16*(j%2) })
	table("poolInterHi", func(j int) int { return 8 + j/2 + 16*(j%2) })
	// Every macro ahead of the first TEXT (go vet reads what follows a
	// TEXT as part of that function).
	const f1, f2 = "// func normActPoolAVX512(", "// func normActPoolFlatAVX512("
	i, j := strings.Index(normActPoolText, f1), strings.Index(normActPoolFlatText, f2)
	text := normActPoolText[:i] + normActPoolFlatText[:j] + normActPoolText[i:] + normActPoolFlatText[j:]
	for _, p := range []string{"f", "s", "b"} {
		text = strings.ReplaceAll(text, "\tPOOLMASKS("+p+")\n", poolMasks(p))
		text = strings.ReplaceAll(text, "\tFLATMASKS("+p+")\n", flatMasks(p))
	}
	a.WriteString(text)
}

// flatMasks sets K4 to the outputs of an iteration of the flat loops
// (min(CX, 16)) and K1, K3, K6, K7 to the 4·min(CX, 16) input floats they
// read, 16 per register (clobbers AX, R12); p prefixes its label.
func flatMasks(p string) string {
	return `	MOVQ $0xffff, AX
	KMOVW AX, K1
	KMOVW AX, K3
	KMOVW AX, K6
	KMOVW AX, K7
	KMOVW AX, K4
	CMPQ CX, $16
	JGE ` + p + `flatmasked
	MOVQ CX, R12
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K4
	SHLQ $2, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $16, AX
	KMOVW AX, K3
	SHRQ $16, AX
	KMOVW AX, K6
	SHRQ $16, AX
	KMOVW AX, K7
	MOVQ R12, CX
` + p + `flatmasked:
`
}

// poolMasks sets K4 to the outputs of an iteration (min(CX, 16)) and K1,
// K3 to the input columns 0–15 and 16–31 they read (clobbers AX, R12);
// p prefixes its label.
func poolMasks(p string) string {
	return `	MOVQ $0xffff, AX
	KMOVW AX, K1
	KMOVW AX, K3
	KMOVW AX, K4
	CMPQ CX, $16
	JGE ` + p + `masked
	MOVQ CX, R12
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K4
	SHLQ $1, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $16, AX
	KMOVW AX, K3
	MOVQ R12, CX
` + p + `masked:
`
}

const normActPoolText = `// The loops walk the OH output rows (BX counts them down); in each, CX
// counts the outputs left, DX/DI/R11/R13 point at the input, output,
// window-index and gradient columns. R10 is the input row stride W·4.

// POOLLOAD loads the two input rows' 32 columns at DX into Z1, Z2 (top)
// and Z3, Z4 (bottom), zeroing the columns outside K1, K3.
#define POOLLOAD \
	VMOVUPS.Z 0(DX), K1, Z1 \
	VMOVUPS.Z 64(DX), K3, Z2 \
	VMOVUPS.Z 0(DX)(R10*1), K1, Z3 \
	VMOVUPS.Z 64(DX)(R10*1), K3, Z4

// POOLPREFETCH prefetches the input 1 KB ahead of the two rows at DX, the
// 128 bytes of each that an iteration reads. The hardware prefetcher does
// not keep these loops (masked loads from two rows) fed: without it a
// tensor not in cache was read 3–4× slower (kernels BenchmarkNormActPoolCold).
#define POOLPREFETCH \
	PREFETCHT0 1024(DX) \
	PREFETCHT0 1088(DX) \
	PREFETCHT0 1024(DX)(R10*1) \
	PREFETCHT0 1088(DX)(R10*1)

// GRADPREFETCH prefetches the pooled gradient at DI and the window indices
// at R11 as far ahead as POOLPREFETCH the input (256 and 64 bytes).
#define GRADPREFETCH \
	PREFETCHT0 256(DI) \
	PREFETCHT0 64(R11)

// DXPREFETCH prefetches the input gradient's two rows at R13 as far ahead
// as POOLPREFETCH the input, for the stores that follow (a store to a
// line not in cache waits for it).
#define DXPREFETCH \
	PREFETCHT0 1024(R13) \
	PREFETCHT0 1088(R13) \
	PREFETCHT0 1024(R13)(R10*1) \
	PREFETCHT0 1088(R13)(R10*1)

// SPLIT leaves the window positions of the 16 outputs in Z6 (top left), Z7
// (top right), Z8 (bottom left) and Z9 (bottom right) from Z1–Z4.
#define SPLIT \
	VMOVAPS Z1, Z6 \
	VPERMT2PS Z2, Z20, Z6 \
	VMOVAPS Z1, Z7 \
	VPERMT2PS Z2, Z21, Z7 \
	VMOVAPS Z3, Z8 \
	VPERMT2PS Z4, Z20, Z8 \
	VMOVAPS Z3, Z9 \
	VPERMT2PS Z4, Z21, Z9

// NORMACTREG maps register r in place to v = (r − mu)·s + t, then to a·v
// where !(v > 0) (Z5 = mu, Z10 = s, Z11 = t, Z12 = a, Z0 = 0; clobbers K2).
#define NORMACTREG(r) \
	VSUBPS Z5, r, r \
	VFMADD213PS Z11, Z10, r \
	VCMPPS $0x1a, Z0, r, K2 \
	VMULPS Z12, r, K2, r

// POOLMAX stores under K4 to (DI) each window's maximum of the activated
// Z6–Z9, with MaxPool2d's semantics, and leaves it in Z13 (Z0 = 0, Z25 =
// the sign bit; clobbers Z14, Z15, K5–K7). VMAXPS is exact but for zeros
// and NaNs: a zero maximum is +0 unless all four sign bits are set (the
// others are negative), and a NaN in the window gives the NaN sum of the
// four.
#define POOLMAX \
	VMAXPS Z7, Z6, Z13 \
	VMAXPS Z9, Z8, Z14 \
	VMAXPS Z14, Z13, Z13 \
	VCMPPS $0x00, Z0, Z13, K5 \
	VMOVAPS Z6, Z14 \
	VPTERNLOGD $0x80, Z8, Z7, Z14 \
	VPANDD Z9, Z14, Z14 \
	VPANDD Z25, Z14, K5, Z13 \
	VCMPPS $0x03, Z7, Z6, K6 \
	VCMPPS $0x03, Z9, Z8, K7 \
	KORW K7, K6, K6 \
	VADDPS Z7, Z6, Z14 \
	VADDPS Z9, Z8, Z15 \
	VADDPS Z15, Z14, K6, Z13 \
	VMOVUPS Z13, K4, 0(DI)

// POOLARG stores under K4 to (R11) each window's index, the first position
// of Z6–Z9 equal to the maximum in Z13, as bytes (Z22, Z23, Z24 = 1, 2, 3;
// clobbers Z16, K5).
#define POOLARG \
	VMOVAPS Z24, Z16 \
	VCMPPS $0x00, Z13, Z8, K5 \
	VMOVDQA32 Z23, K5, Z16 \
	VCMPPS $0x00, Z13, Z7, K5 \
	VMOVDQA32 Z22, K5, Z16 \
	VCMPPS $0x00, Z13, Z6, K5 \
	VMOVDQA32 Z0, K5, Z16 \
	VPMOVDB Z16, K4, 0(R11)

// SELECT leaves in Z18 the input at each output's maximum: Z6–Z9 picked
// by the window indices in Z16 (Z22, Z23, Z24 = 1, 2, 3; clobbers K5).
#define SELECT \
	VMOVAPS Z6, Z18 \
	VPCMPEQD Z22, Z16, K5 \
	VMOVAPS Z7, K5, Z18 \
	VPCMPEQD Z23, Z16, K5 \
	VMOVAPS Z8, K5, Z18 \
	VPCMPEQD Z24, Z16, K5 \
	VMOVAPS Z9, K5, Z18

// HSUM leaves the sum of the 16 lanes of Z0 in X0 (clobbers Y1).
#define HSUM \
	VEXTRACTF32X8 $1, Z0, Y1 \
	VADDPS Y1, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VHADDPS X0, X0, X0 \
	VHADDPS X0, X0, X0

// POOLSETUP loads the row loop's registers and constants (for the frame
// layout dst+0, arg+8, src+16, W+24, OH+32, OW+40, mu+48, s+52, t+56, a+60).
#define POOLSETUP \
	MOVQ W+24(FP), R10 \
	SHLQ $2, R10 \
	MOVQ OH+32(FP), BX \
	VBROADCASTSS mu+48(FP), Z5 \
	VBROADCASTSS s+52(FP), Z10 \
	VBROADCASTSS t+56(FP), Z11 \
	VBROADCASTSS a+60(FP), Z12 \
	VPXORD Z0, Z0, Z0 \
	VMOVUPS poolEven<>(SB), Z20 \
	VMOVUPS poolOdd<>(SB), Z21 \
	MOVL $1, AX \
	VPBROADCASTD AX, Z22 \
	MOVL $2, AX \
	VPBROADCASTD AX, Z23 \
	MOVL $3, AX \
	VPBROADCASTD AX, Z24

// func normActPoolAVX512(out, arg, in unsafe.Pointer, W, OH, OW int, mu, s, t, a float32)
// For each output (oy, ox): the four v = (in − mu)·s + t of its window
// (rows 2oy, 2oy+1, columns 2ox, 2ox+1), each activated (v if v > 0, else
// a·v); out = their maximum as Go's max (NaN if any is, +0 over −0); arg
// (skipped when nil) = the index 0–3 of the first holding it, 3 if none.
TEXT ·normActPoolAVX512(SB), NOSPLIT, $0-64
	MOVQ out+0(FP), R8
	MOVQ arg+8(FP), R9
	MOVQ in+16(FP), SI
	POOLSETUP
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z25
frow:
	MOVQ SI, DX
	MOVQ R8, DI
	MOVQ R9, R11
	MOVQ OW+40(FP), CX
fcol:
	POOLMASKS(f)
	POOLPREFETCH
	POOLLOAD
	NORMACTREG(Z1)
	NORMACTREG(Z2)
	NORMACTREG(Z3)
	NORMACTREG(Z4)
	SPLIT
	POOLMAX
	CMPQ arg+8(FP), $0
	JEQ fnext
	POOLARG
fnext:
	ADDQ $128, DX
	ADDQ $64, DI
	ADDQ $16, R11
	SUBQ $16, CX
	JGT fcol
	LEAQ (SI)(R10*2), SI
	MOVQ OW+40(FP), AX
	LEAQ (R8)(AX*4), R8
	ADDQ AX, R9
	DECQ BX
	JNZ frow
	VZEROUPPER
	RET

// func normActPoolStatsAVX512(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32) (sg, sgd, sda float32)
// With x̃ the input at each output's maximum (window index arg), v =
// (x̃ − mu)·s + t and g = dy if v > 0, else a·dy: returns Σ g,
// Σ g·(x̃ − mu) and Σ dy·v over v ≤ 0.
TEXT ·normActPoolStatsAVX512(SB), NOSPLIT, $0-76
	MOVQ dy+0(FP), R8
	MOVQ arg+8(FP), R9
	MOVQ x+16(FP), SI
	POOLSETUP
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	VPXORD Z28, Z28, Z28
srow:
	MOVQ SI, DX
	MOVQ R8, DI
	MOVQ R9, R11
	MOVQ OW+40(FP), CX
scol:
	POOLMASKS(s)
	POOLPREFETCH
	GRADPREFETCH
	POOLLOAD
	SPLIT
	VPMOVZXBD.Z 0(R11), K4, Z16
	SELECT
	VMOVUPS.Z 0(DI), K4, Z17
	VSUBPS Z5, Z18, Z18
	VMOVAPS Z18, Z19
	VFMADD213PS Z11, Z10, Z19
	VCMPPS $0x12, Z0, Z19, K4, K6
	VFMADD231PS Z19, Z17, K6, Z28
	VCMPPS $0x1a, Z0, Z19, K2
	VMULPS Z12, Z17, K2, Z17
	VADDPS Z17, Z26, Z26
	VFMADD231PS Z18, Z17, Z27
	ADDQ $128, DX
	ADDQ $64, DI
	ADDQ $16, R11
	SUBQ $16, CX
	JGT scol
	LEAQ (SI)(R10*2), SI
	MOVQ OW+40(FP), AX
	LEAQ (R8)(AX*4), R8
	ADDQ AX, R9
	DECQ BX
	JNZ srow
	VMOVAPS Z26, Z0
	HSUM
	VMOVSS X0, sg+64(FP)
	VMOVAPS Z27, Z0
	HSUM
	VMOVSS X0, sgd+68(FP)
	VMOVAPS Z28, Z0
	HSUM
	VMOVSS X0, sda+72(FP)
	VZEROUPPER
	RET

// func normActPoolBackwardAVX512(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)
// Over the 2·OH rows and 2·OW columns the windows cover:
// dx = g·k + (x − mu)·kb + kc, g as in normActPoolStatsAVX512 at each
// output's maximum and 0 elsewhere.
TEXT ·normActPoolBackwardAVX512(SB), NOSPLIT, $0-84
	MOVQ dy+0(FP), R8
	MOVQ arg+8(FP), R9
	MOVQ x+16(FP), SI
	MOVQ dx+64(FP), R14
	POOLSETUP
	VBROADCASTSS k+72(FP), Z13
	VBROADCASTSS kb+76(FP), Z14
	VBROADCASTSS kc+80(FP), Z15
	VMOVUPS poolInterLo<>(SB), Z26
	VMOVUPS poolInterHi<>(SB), Z27
brow:
	MOVQ SI, DX
	MOVQ R8, DI
	MOVQ R9, R11
	MOVQ R14, R13
	MOVQ OW+40(FP), CX
bcol:
	POOLMASKS(b)
	POOLPREFETCH
	GRADPREFETCH
	DXPREFETCH
	POOLLOAD
	SPLIT
	VPMOVZXBD.Z 0(R11), K4, Z16
	SELECT
	VMOVUPS.Z 0(DI), K4, Z17
	VSUBPS Z5, Z18, Z18
	VFMADD213PS Z11, Z10, Z18
	VCMPPS $0x1a, Z0, Z18, K2
	VMULPS Z12, Z17, K2, Z17
	// g at each window position (0 away from the maximum), interleaved
	// back into the rows' columns: Z28, Z29 top, Z30, Z31 bottom.
	VPCMPEQD Z0, Z16, K5
	VMOVAPS.Z Z17, K5, Z6
	VPCMPEQD Z22, Z16, K5
	VMOVAPS.Z Z17, K5, Z7
	VPCMPEQD Z23, Z16, K5
	VMOVAPS.Z Z17, K5, Z8
	VPCMPEQD Z24, Z16, K5
	VMOVAPS.Z Z17, K5, Z9
	VMOVAPS Z26, Z28
	VPERMI2PS Z7, Z6, Z28
	VMOVAPS Z27, Z29
	VPERMI2PS Z7, Z6, Z29
	VMOVAPS Z26, Z30
	VPERMI2PS Z9, Z8, Z30
	VMOVAPS Z27, Z31
	VPERMI2PS Z9, Z8, Z31
	VSUBPS Z5, Z1, Z1
	VFMADD213PS Z15, Z14, Z1
	VFMADD231PS Z28, Z13, Z1
	VSUBPS Z5, Z2, Z2
	VFMADD213PS Z15, Z14, Z2
	VFMADD231PS Z29, Z13, Z2
	VSUBPS Z5, Z3, Z3
	VFMADD213PS Z15, Z14, Z3
	VFMADD231PS Z30, Z13, Z3
	VSUBPS Z5, Z4, Z4
	VFMADD213PS Z15, Z14, Z4
	VFMADD231PS Z31, Z13, Z4
	VMOVUPS Z1, K1, 0(R13)
	VMOVUPS Z2, K3, 64(R13)
	VMOVUPS Z3, K1, 0(R13)(R10*1)
	VMOVUPS Z4, K3, 64(R13)(R10*1)
	ADDQ $128, DX
	ADDQ $128, R13
	ADDQ $64, DI
	ADDQ $16, R11
	SUBQ $16, CX
	JGT bcol
	LEAQ (SI)(R10*2), SI
	LEAQ (R14)(R10*2), R14
	MOVQ OW+40(FP), AX
	LEAQ (R8)(AX*4), R8
	ADDQ AX, R9
	DECQ BX
	JNZ brow
	VZEROUPPER
	RET
`

const normActPoolFlatText = `
// The flat loops: planes of W ≤ 16 columns (W = 2·OW, H = 2·OH) read as
// one run of H·W floats, 64 per iteration (Z1–Z4) for 16 outputs, so that
// narrow planes fill the vectors. CX counts the outputs left; R14 points
// at the tables of poolFlatTables for W: split (4×16 dwords: the index in
// the 64-float run of window position q of output lane j, used mod 32),
// then gidx and gq (4×16 dwords each: for float p of register R, its
// output lane and window index).

// FLATLOAD loads the 64 floats at DX into Z1–Z4 under K1, K3, K6, K7.
#define FLATLOAD \
	VMOVUPS.Z 0(DX), K1, Z1 \
	VMOVUPS.Z 64(DX), K3, Z2 \
	VMOVUPS.Z 128(DX), K6, Z3 \
	VMOVUPS.Z 192(DX), K7, Z4

// FLATPREFETCH prefetches the 256 bytes 1 KB ahead of DX (see
// POOLPREFETCH).
#define FLATPREFETCH \
	PREFETCHT0 1024(DX) \
	PREFETCHT0 1088(DX) \
	PREFETCHT0 1152(DX) \
	PREFETCHT0 1216(DX)

// FLATDXPREFETCH prefetches the 256 bytes 1 KB ahead of R13 (see
// DXPREFETCH).
#define FLATDXPREFETCH \
	PREFETCHT0 1024(R13) \
	PREFETCHT0 1088(R13) \
	PREFETCHT0 1152(R13) \
	PREFETCHT0 1216(R13)

// FLATSPLIT1 leaves window position q (index table iq) in v: lanes 0–7
// from Z1:Z2, lanes 8–15 (mask kh = 0xff00) from Z3:Z4 (clobbers Z19).
#define FLATSPLIT1(iq, v, kh) \
	VMOVAPS Z1, v \
	VPERMT2PS Z2, iq, v \
	VMOVAPS Z3, Z19 \
	VPERMT2PS Z4, iq, Z19 \
	VMOVAPS Z19, kh, v

// FLATSPLIT is SPLIT for the flat loops (Z20, Z21, Z26, Z27 = split).
#define FLATSPLIT(kh) \
	FLATSPLIT1(Z20, Z6, kh) \
	FLATSPLIT1(Z21, Z7, kh) \
	FLATSPLIT1(Z26, Z8, kh) \
	FLATSPLIT1(Z27, Z9, kh)

// FLATSETUP is POOLSETUP for the flat loops (frame: dst+0, arg+8, src+16,
// tab+24, n+32, mu+40, s+44, t+48, a+52).
#define FLATSETUP \
	MOVQ tab+24(FP), R14 \
	MOVQ n+32(FP), CX \
	VBROADCASTSS mu+40(FP), Z5 \
	VBROADCASTSS s+44(FP), Z10 \
	VBROADCASTSS t+48(FP), Z11 \
	VBROADCASTSS a+52(FP), Z12 \
	VPXORD Z0, Z0, Z0 \
	VMOVDQU32 0(R14), Z20 \
	VMOVDQU32 64(R14), Z21 \
	VMOVDQU32 128(R14), Z26 \
	VMOVDQU32 192(R14), Z27 \
	MOVL $1, AX \
	VPBROADCASTD AX, Z22 \
	MOVL $2, AX \
	VPBROADCASTD AX, Z23 \
	MOVL $3, AX \
	VPBROADCASTD AX, Z24

// KHALF sets mask register k to 0xff00 (clobbers AX).
#define KHALF(k) \
	MOVL $0xff00, AX \
	KMOVW AX, k

// FLATG leaves in Z30 the g of the floats of one register of the 64-float
// run (its gidx and gq tables at offsets gi, gq of R14): g (Z17) of its
// output where that output's window index (Z16) is the float's own
// position, else 0 (clobbers Z28, Z29, K5).
#define FLATG(gi, gq) \
	VMOVDQU32 gi(R14), Z28 \
	VPERMPS Z17, Z28, Z30 \
	VPERMD Z16, Z28, Z29 \
	VPCMPEQD gq(R14), Z29, K5 \
	VMOVAPS.Z Z30, K5, Z30

// FLATDX writes dx = g·k + (x − mu)·kb + kc for register zx (the input)
// at offset off of R13 under mask km (FLATG(gi, gq) gives its g).
#define FLATDX(gi, gq, zx, off, km) \
	FLATG(gi, gq) \
	VSUBPS Z5, zx, zx \
	VFMADD213PS Z15, Z14, zx \
	VFMADD231PS Z30, Z13, zx \
	VMOVUPS zx, km, off(R13)

// func normActPoolFlatAVX512(out, arg, in, tab unsafe.Pointer, n int, mu, s, t, a float32)
// normActPoolAVX512 over a whole plane of n outputs in the flat layout.
TEXT ·normActPoolFlatAVX512(SB), NOSPLIT, $0-56
	MOVQ out+0(FP), DI
	MOVQ arg+8(FP), R11
	MOVQ in+16(FP), DX
	FLATSETUP
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z25
flatf:
	FLATMASKS(f)
	FLATPREFETCH
	FLATLOAD
	KHALF(K1)
	NORMACTREG(Z1)
	NORMACTREG(Z2)
	NORMACTREG(Z3)
	NORMACTREG(Z4)
	FLATSPLIT(K1)
	POOLMAX
	CMPQ arg+8(FP), $0
	JEQ flatfnext
	POOLARG
flatfnext:
	ADDQ $256, DX
	ADDQ $64, DI
	ADDQ $16, R11
	SUBQ $16, CX
	JGT flatf
	VZEROUPPER
	RET

// func normActPoolFlatStatsAVX512(dy, arg, x, tab unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)
// normActPoolStatsAVX512 over a whole plane of n outputs in the flat layout.
TEXT ·normActPoolFlatStatsAVX512(SB), NOSPLIT, $0-68
	MOVQ dy+0(FP), DI
	MOVQ arg+8(FP), R11
	MOVQ x+16(FP), DX
	FLATSETUP
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31
flats:
	FLATMASKS(s)
	FLATPREFETCH
	GRADPREFETCH
	FLATLOAD
	KHALF(K1)
	FLATSPLIT(K1)
	VPMOVZXBD.Z 0(R11), K4, Z16
	SELECT
	VMOVUPS.Z 0(DI), K4, Z17
	VSUBPS Z5, Z18, Z18
	VMOVAPS Z18, Z19
	VFMADD213PS Z11, Z10, Z19
	VCMPPS $0x12, Z0, Z19, K4, K6
	VFMADD231PS Z19, Z17, K6, Z31
	VCMPPS $0x1a, Z0, Z19, K2
	VMULPS Z12, Z17, K2, Z17
	VADDPS Z17, Z29, Z29
	VFMADD231PS Z18, Z17, Z30
	ADDQ $256, DX
	ADDQ $64, DI
	ADDQ $16, R11
	SUBQ $16, CX
	JGT flats
	VMOVAPS Z29, Z0
	HSUM
	VMOVSS X0, sg+56(FP)
	VMOVAPS Z30, Z0
	HSUM
	VMOVSS X0, sgd+60(FP)
	VMOVAPS Z31, Z0
	HSUM
	VMOVSS X0, sda+64(FP)
	VZEROUPPER
	RET

// func normActPoolFlatBackwardAVX512(dy, arg, x, tab unsafe.Pointer, n int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)
// normActPoolBackwardAVX512 over a whole plane of n outputs in the flat
// layout.
TEXT ·normActPoolFlatBackwardAVX512(SB), NOSPLIT, $0-76
	MOVQ dy+0(FP), DI
	MOVQ arg+8(FP), R11
	MOVQ x+16(FP), DX
	MOVQ dx+56(FP), R13
	FLATSETUP
	VBROADCASTSS k+64(FP), Z13
	VBROADCASTSS kb+68(FP), Z14
	VBROADCASTSS kc+72(FP), Z15
flatb:
	FLATMASKS(b)
	FLATPREFETCH
	GRADPREFETCH
	FLATDXPREFETCH
	FLATLOAD
	VPMOVZXBD.Z 0(R11), K4, Z16
	VMOVUPS.Z 0(DI), K4, Z17
	KHALF(K4)
	FLATSPLIT(K4)
	SELECT
	VSUBPS Z5, Z18, Z18
	VFMADD213PS Z11, Z10, Z18
	VCMPPS $0x1a, Z0, Z18, K2
	VMULPS Z12, Z17, K2, Z17
	FLATDX(256, 512, Z1, 0, K1)
	FLATDX(320, 576, Z2, 64, K3)
	FLATDX(384, 640, Z3, 128, K6)
	FLATDX(448, 704, Z4, 192, K7)
	ADDQ $256, DX
	ADDQ $256, R13
	ADDQ $64, DI
	ADDQ $16, R11
	SUBQ $16, CX
	JGT flatb
	VZEROUPPER
	RET
`
