package main

// planeOps writes the AVX-512 per-plane loops of plane.go (batch-norm
// statistics, normalisation and its backward, PReLU/ReLU, and the fused
// normalise-then-activate passes). They are written out as text: each is a
// short 64/32/16-float loop with a masked tail, sharing the TAILMASK,
// HSUM and NORMACT macros.
func planeOps(a *asm) { a.WriteString(planeOpsText) }

const planeOpsText = `// AVX-512 loops of plane.go over one channel plane (n ≥ 1 floats): 64
// floats per iteration, then 16, then a masked tail. Sums run in float32
// vector lanes.

// TAILMASK sets K1 to the low CX bits (1 ≤ CX < 16).
#define TAILMASK \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
	KMOVW AX, K1

// PF4, PF2 and PF1 prefetch the input lines one 64-, 32- or 16-float
// iteration reads, 1 KB ahead of r; every loop prefetches each input it
// streams (not its output: that was slower). Without it the hardware
// prefetcher did not keep the 16-float loops fed when the tensor is not in
// cache (kernels BenchmarkChanOpsCold; docs/kernels.md). Past the plane
// they touch the next one; PREFETCHT0 never faults.
#define PF4(r) \
	PREFETCHT0 1024(r) \
	PREFETCHT0 1088(r) \
	PREFETCHT0 1152(r) \
	PREFETCHT0 1216(r)
#define PF2(r) \
	PREFETCHT0 1024(r) \
	PREFETCHT0 1088(r)
#define PF1(r) \
	PREFETCHT0 1024(r)

// HSUM leaves the sum of the 16 lanes of Z0 in X0 (clobbers Y1).
#define HSUM \
	VEXTRACTF32X8 $1, Z0, Y1 \
	VADDPS Y1, Y0, Y0 \
	VEXTRACTF128 $1, Y0, X1 \
	VADDPS X1, X0, X0 \
	VHADDPS X0, X0, X0 \
	VHADDPS X0, X0, X0

// func planeSumAVX512(x unsafe.Pointer, n int) float32
// Σ x[i].
TEXT ·planeSumAVX512(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	CMPQ CX, $64
	JLT s16
s64:
	PF4(SI)
	VADDPS 0(SI), Z0, Z0
	VADDPS 64(SI), Z1, Z1
	VADDPS 128(SI), Z2, Z2
	VADDPS 192(SI), Z3, Z3
	ADDQ $256, SI
	SUBQ $64, CX
	CMPQ CX, $64
	JGE s64
s16:
	CMPQ CX, $16
	JLT stail
	VADDPS 0(SI), Z0, Z0
	ADDQ $64, SI
	SUBQ $16, CX
	JMP s16
stail:
	TESTQ CX, CX
	JZ sdone
	TAILMASK
	VMOVUPS.Z 0(SI), K1, Z4
	VADDPS Z4, Z1, Z1
sdone:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	HSUM
	VMOVSS X0, ret+16(FP)
	VZEROUPPER
	RET

// func planeSqDevAVX512(x unsafe.Pointer, n int, mu float32) float32
// Σ (x[i] − mu)².
TEXT ·planeSqDevAVX512(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSS mu+16(FP), Z5
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	CMPQ CX, $64
	JLT q16
q64:
	PF4(SI)
	VMOVUPS 0(SI), Z6
	VSUBPS Z5, Z6, Z6
	VFMADD231PS Z6, Z6, Z0
	VMOVUPS 64(SI), Z7
	VSUBPS Z5, Z7, Z7
	VFMADD231PS Z7, Z7, Z1
	VMOVUPS 128(SI), Z8
	VSUBPS Z5, Z8, Z8
	VFMADD231PS Z8, Z8, Z2
	VMOVUPS 192(SI), Z9
	VSUBPS Z5, Z9, Z9
	VFMADD231PS Z9, Z9, Z3
	ADDQ $256, SI
	SUBQ $64, CX
	CMPQ CX, $64
	JGE q64
q16:
	CMPQ CX, $16
	JLT qtail
	VMOVUPS 0(SI), Z6
	VSUBPS Z5, Z6, Z6
	VFMADD231PS Z6, Z6, Z0
	ADDQ $64, SI
	SUBQ $16, CX
	JMP q16
qtail:
	TESTQ CX, CX
	JZ qdone
	TAILMASK
	VMOVUPS.Z 0(SI), K1, Z6
	VSUBPS.Z Z5, Z6, K1, Z6
	VFMADD231PS Z6, Z6, Z1
qdone:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	HSUM
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func planeNormAVX512(out, in unsafe.Pointer, n int, mu, scale, shift float32)
// out[i] = (in[i] − mu)·scale + shift.
TEXT ·planeNormAVX512(SB), NOSPLIT, $0-36
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS mu+24(FP), Z5
	VBROADCASTSS scale+28(FP), Z10
	VBROADCASTSS shift+32(FP), Z11
	CMPQ CX, $64
	JLT n16
n64:
	PF4(SI)
	VMOVUPS 0(SI), Z6
	VMOVUPS 64(SI), Z7
	VMOVUPS 128(SI), Z8
	VMOVUPS 192(SI), Z9
	VSUBPS Z5, Z6, Z6
	VSUBPS Z5, Z7, Z7
	VSUBPS Z5, Z8, Z8
	VSUBPS Z5, Z9, Z9
	VFMADD213PS Z11, Z10, Z6
	VFMADD213PS Z11, Z10, Z7
	VFMADD213PS Z11, Z10, Z8
	VFMADD213PS Z11, Z10, Z9
	VMOVUPS Z6, 0(DI)
	VMOVUPS Z7, 64(DI)
	VMOVUPS Z8, 128(DI)
	VMOVUPS Z9, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	CMPQ CX, $64
	JGE n64
n16:
	CMPQ CX, $16
	JLT ntail
	VMOVUPS 0(SI), Z6
	VSUBPS Z5, Z6, Z6
	VFMADD213PS Z11, Z10, Z6
	VMOVUPS Z6, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP n16
ntail:
	TESTQ CX, CX
	JZ ndone
	TAILMASK
	VMOVUPS.Z 0(SI), K1, Z6
	VSUBPS Z5, Z6, Z6
	VFMADD213PS Z11, Z10, Z6
	VMOVUPS Z6, K1, 0(DI)
ndone:
	VZEROUPPER
	RET

// func planeGradStatsAVX512(dy, x unsafe.Pointer, n int, mu float32) (sdy, sdyx float32)
// Σ dy[i] and Σ dy[i]·(x[i] − mu).
TEXT ·planeGradStatsAVX512(SB), NOSPLIT, $0-40
	MOVQ dy+0(FP), SI
	MOVQ x+8(FP), DX
	MOVQ n+16(FP), CX
	VBROADCASTSS mu+24(FP), Z5
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	CMPQ CX, $32
	JLT g16
g32:
	PF2(SI)
	PF2(DX)
	VMOVUPS 0(SI), Z6
	VMOVUPS 64(SI), Z7
	VMOVUPS 0(DX), Z8
	VMOVUPS 64(DX), Z9
	VADDPS Z6, Z0, Z0
	VADDPS Z7, Z1, Z1
	VSUBPS Z5, Z8, Z8
	VSUBPS Z5, Z9, Z9
	VFMADD231PS Z8, Z6, Z2
	VFMADD231PS Z9, Z7, Z3
	ADDQ $128, SI
	ADDQ $128, DX
	SUBQ $32, CX
	CMPQ CX, $32
	JGE g32
g16:
	CMPQ CX, $16
	JLT gtail
	VMOVUPS 0(SI), Z6
	VMOVUPS 0(DX), Z8
	VADDPS Z6, Z0, Z0
	VSUBPS Z5, Z8, Z8
	VFMADD231PS Z8, Z6, Z2
	ADDQ $64, SI
	ADDQ $64, DX
	SUBQ $16, CX
	JMP g16
gtail:
	TESTQ CX, CX
	JZ gdone
	TAILMASK
	VMOVUPS.Z 0(SI), K1, Z6
	VMOVUPS.Z 0(DX), K1, Z8
	VADDPS Z6, Z1, Z1
	VSUBPS Z5, Z8, Z8
	VFMADD231PS Z8, Z6, Z3
gdone:
	VADDPS Z3, Z2, Z2
	VADDPS Z1, Z0, Z0
	HSUM
	VMOVSS X0, sdy+32(FP)
	VMOVAPS Z2, Z0
	HSUM
	VMOVSS X0, sdyx+36(FP)
	VZEROUPPER
	RET

// func planeNormBackwardAVX512(dx, dy, x unsafe.Pointer, n int, mu, k, b, c float32)
// dx[i] = dy[i]·k + (x[i] − mu)·b + c.
TEXT ·planeNormBackwardAVX512(SB), NOSPLIT, $0-48
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS mu+32(FP), Z5
	VBROADCASTSS k+36(FP), Z10
	VBROADCASTSS b+40(FP), Z11
	VBROADCASTSS c+44(FP), Z12
	CMPQ CX, $32
	JLT b16
b32:
	PF2(DX)
	PF2(SI)
	VMOVUPS 0(DX), Z6
	VMOVUPS 64(DX), Z7
	VSUBPS Z5, Z6, Z6
	VSUBPS Z5, Z7, Z7
	VFMADD213PS Z12, Z11, Z6
	VFMADD213PS Z12, Z11, Z7
	VFMADD231PS 0(SI), Z10, Z6
	VFMADD231PS 64(SI), Z10, Z7
	VMOVUPS Z6, 0(DI)
	VMOVUPS Z7, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE b32
b16:
	CMPQ CX, $16
	JLT btail
	VMOVUPS 0(DX), Z6
	VSUBPS Z5, Z6, Z6
	VFMADD213PS Z12, Z11, Z6
	VFMADD231PS 0(SI), Z10, Z6
	VMOVUPS Z6, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP b16
btail:
	TESTQ CX, CX
	JZ bdone
	TAILMASK
	VMOVUPS.Z 0(DX), K1, Z6
	VMOVUPS.Z 0(SI), K1, Z7
	VSUBPS Z5, Z6, Z6
	VFMADD213PS Z12, Z11, Z6
	VFMADD231PS Z7, Z10, Z6
	VMOVUPS Z6, K1, 0(DI)
bdone:
	VZEROUPPER
	RET

// func preluPlaneAVX512(out, in unsafe.Pointer, n int, a float32)
// out[i] = in[i] if in[i] > 0, else a·in[i].
TEXT ·preluPlaneAVX512(SB), NOSPLIT, $0-28
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS a+24(FP), Z10
	VPXORD Z0, Z0, Z0
	CMPQ CX, $32
	JLT p16
p32:
	PF2(SI)
	VMOVUPS 0(SI), Z6
	VMOVUPS 64(SI), Z7
	VCMPPS $0x1e, Z0, Z6, K2
	VCMPPS $0x1e, Z0, Z7, K3
	VMULPS Z10, Z6, Z8
	VMULPS Z10, Z7, Z9
	VMOVAPS Z6, K2, Z8
	VMOVAPS Z7, K3, Z9
	VMOVUPS Z8, 0(DI)
	VMOVUPS Z9, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE p32
p16:
	CMPQ CX, $16
	JLT ptail
	VMOVUPS 0(SI), Z6
	VCMPPS $0x1e, Z0, Z6, K2
	VMULPS Z10, Z6, Z8
	VMOVAPS Z6, K2, Z8
	VMOVUPS Z8, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP p16
ptail:
	TESTQ CX, CX
	JZ pdone
	TAILMASK
	VMOVUPS.Z 0(SI), K1, Z6
	VCMPPS $0x1e, Z0, Z6, K2
	VMULPS Z10, Z6, Z8
	VMOVAPS Z6, K2, Z8
	VMOVUPS Z8, K1, 0(DI)
pdone:
	VZEROUPPER
	RET

// func preluPlaneBackwardAVX512(dx, dy, x unsafe.Pointer, n int, a float32) float32
// dx[i] = dy[i] if x[i] > 0, else a·dy[i]; returns Σ dy[i]·x[i] over x[i] ≤ 0.
TEXT ·preluPlaneBackwardAVX512(SB), NOSPLIT, $0-44
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS a+32(FP), Z10
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	CMPQ CX, $32
	JLT r16
r32:
	PF2(DX)
	PF2(SI)
	VMOVUPS 0(DX), Z6
	VMOVUPS 64(DX), Z7
	VMOVUPS 0(SI), Z8
	VMOVUPS 64(SI), Z9
	VCMPPS $0x1e, Z0, Z6, K2
	VCMPPS $0x1e, Z0, Z7, K3
	VCMPPS $0x12, Z0, Z6, K4
	VCMPPS $0x12, Z0, Z7, K5
	VFMADD231PS Z6, Z8, K4, Z1
	VFMADD231PS Z7, Z9, K5, Z2
	VMULPS Z10, Z8, Z13
	VMULPS Z10, Z9, Z14
	VMOVAPS Z8, K2, Z13
	VMOVAPS Z9, K3, Z14
	VMOVUPS Z13, 0(DI)
	VMOVUPS Z14, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE r32
r16:
	CMPQ CX, $16
	JLT rtail
	VMOVUPS 0(DX), Z6
	VMOVUPS 0(SI), Z8
	VCMPPS $0x1e, Z0, Z6, K2
	VCMPPS $0x12, Z0, Z6, K4
	VFMADD231PS Z6, Z8, K4, Z1
	VMULPS Z10, Z8, Z13
	VMOVAPS Z8, K2, Z13
	VMOVUPS Z13, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP r16
rtail:
	TESTQ CX, CX
	JZ rdone
	TAILMASK
	VMOVUPS.Z 0(DX), K1, Z6
	VMOVUPS.Z 0(SI), K1, Z8
	VCMPPS $0x1e, Z0, Z6, K2
	VCMPPS $0x12, Z0, Z6, K4
	KANDW K1, K4, K4
	VFMADD231PS Z6, Z8, K4, Z1
	VMULPS Z10, Z8, Z13
	VMOVAPS Z8, K2, Z13
	VMOVUPS Z13, K1, 0(DI)
rdone:
	VADDPS Z2, Z1, Z0
	HSUM
	VMOVSS X0, ret+40(FP)
	VZEROUPPER
	RET

// func reluBackwardAVX512(dx, dy, x unsafe.Pointer, n int)
// dx[i] = dy[i] if x[i] > 0, else 0.
TEXT ·reluBackwardAVX512(SB), NOSPLIT, $0-32
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ n+24(FP), CX
	VPXORD Z0, Z0, Z0
	CMPQ CX, $32
	JLT u16
u32:
	PF2(DX)
	PF2(SI)
	VMOVUPS 0(DX), Z6
	VMOVUPS 64(DX), Z7
	VCMPPS $0x1e, Z0, Z6, K2
	VCMPPS $0x1e, Z0, Z7, K3
	VMOVUPS.Z 0(SI), K2, Z8
	VMOVUPS.Z 64(SI), K3, Z9
	VMOVUPS Z8, 0(DI)
	VMOVUPS Z9, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	CMPQ CX, $32
	JGE u32
u16:
	CMPQ CX, $16
	JLT utail
	VMOVUPS 0(DX), Z6
	VCMPPS $0x1e, Z0, Z6, K2
	VMOVUPS.Z 0(SI), K2, Z8
	VMOVUPS Z8, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP u16
utail:
	TESTQ CX, CX
	JZ udone
	TAILMASK
	VMOVUPS.Z 0(DX), K1, Z6
	VCMPPS $0x1e, Z0, Z6, K2
	KANDW K1, K2, K2
	VMOVUPS.Z 0(SI), K2, Z8
	VMOVUPS Z8, K1, 0(DI)
udone:
	VZEROUPPER
	RET

// NORMACT loads 16 floats of x from (DX) under mask K1 (zeroing), leaves
// d = x − mu in Z6 and v = d·s + t in Z7, and sets K2 to v > 0.
// Z5 = mu, Z10 = s, Z11 = t, Z0 = 0.
#define NORMACT \
	VMOVUPS.Z 0(DX), K1, Z6 \
	VSUBPS Z5, Z6, Z6 \
	VMOVAPS Z6, Z7 \
	VFMADD213PS Z11, Z10, Z7 \
	VCMPPS $0x1e, Z0, Z7, K2

// func planeNormActAVX512(out, in unsafe.Pointer, n int, mu, s, t, a float32)
// v = (in[i] − mu)·s + t; out[i] = v if v > 0, else a·v.
TEXT ·planeNormActAVX512(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ in+8(FP), DX
	MOVQ n+16(FP), CX
	VBROADCASTSS mu+24(FP), Z5
	VBROADCASTSS s+28(FP), Z10
	VBROADCASTSS t+32(FP), Z11
	VBROADCASTSS a+36(FP), Z12
	VPXORD Z0, Z0, Z0
	MOVQ $0xffff, AX
	KMOVW AX, K1
a16:
	CMPQ CX, $16
	JLT atail
	PF1(DX)
	NORMACT
	VMULPS Z12, Z7, Z8
	VMOVAPS Z7, K2, Z8
	VMOVUPS Z8, 0(DI)
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP a16
atail:
	TESTQ CX, CX
	JZ adone
	TAILMASK
	NORMACT
	VMULPS Z12, Z7, Z8
	VMOVAPS Z7, K2, Z8
	VMOVUPS Z8, K1, 0(DI)
adone:
	VZEROUPPER
	RET

// func planeNormActGradStatsAVX512(dy, x unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)
// With v = (x[i] − mu)·s + t and g = dy[i] if v > 0, else a·dy[i]: returns
// Σ g, Σ g·(x[i] − mu) and Σ dy[i]·v over v ≤ 0 (an ordered compare: a
// NaN v is left out of the last sum, as in the Go reference).
TEXT ·planeNormActGradStatsAVX512(SB), NOSPLIT, $0-52
	MOVQ dy+0(FP), SI
	MOVQ x+8(FP), DX
	MOVQ n+16(FP), CX
	VBROADCASTSS mu+24(FP), Z5
	VBROADCASTSS s+28(FP), Z10
	VBROADCASTSS t+32(FP), Z11
	VBROADCASTSS a+36(FP), Z12
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	MOVQ $0xffff, AX
	KMOVW AX, K1
t16:
	CMPQ CX, $16
	JLT ttail
	PF1(DX)
	PF1(SI)
	NORMACT
	VMOVUPS 0(SI), Z8
	VCMPPS $0x12, Z0, Z7, K3
	VFMADD231PS Z7, Z8, K3, Z3
	VMULPS Z12, Z8, Z9
	VMOVAPS Z8, K2, Z9
	VADDPS Z9, Z1, Z1
	VFMADD231PS Z6, Z9, Z2
	ADDQ $64, DX
	ADDQ $64, SI
	SUBQ $16, CX
	JMP t16
ttail:
	TESTQ CX, CX
	JZ tdone
	TAILMASK
	NORMACT
	VMOVUPS.Z 0(SI), K1, Z8
	VCMPPS $0x12, Z0, Z7, K3
	KANDW K1, K3, K3
	VFMADD231PS Z7, Z8, K3, Z3
	VMULPS Z12, Z8, Z9
	VMOVAPS Z8, K2, Z9
	VADDPS Z9, Z1, Z1
	VFMADD231PS Z6, Z9, Z2
tdone:
	VMOVAPS Z1, Z0
	HSUM
	VMOVSS X0, sg+40(FP)
	VMOVAPS Z2, Z0
	HSUM
	VMOVSS X0, sgd+44(FP)
	VMOVAPS Z3, Z0
	HSUM
	VMOVSS X0, sda+48(FP)
	VZEROUPPER
	RET

// func planeNormActBackwardAVX512(dx, dy, x unsafe.Pointer, n int, mu, s, t, a, k, kb, kc float32)
// With v and g as in planeNormActGradStatsAVX512:
// dx[i] = g·k + (x[i] − mu)·kb + kc.
TEXT ·planeNormActBackwardAVX512(SB), NOSPLIT, $0-60
	MOVQ dx+0(FP), DI
	MOVQ dy+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSS mu+32(FP), Z5
	VBROADCASTSS s+36(FP), Z10
	VBROADCASTSS t+40(FP), Z11
	VBROADCASTSS a+44(FP), Z12
	VBROADCASTSS k+48(FP), Z13
	VBROADCASTSS kb+52(FP), Z14
	VBROADCASTSS kc+56(FP), Z15
	VPXORD Z0, Z0, Z0
	MOVQ $0xffff, AX
	KMOVW AX, K1
w16:
	CMPQ CX, $16
	JLT wtail
	PF1(DX)
	PF1(SI)
	NORMACT
	VMOVUPS 0(SI), Z8
	VMULPS Z12, Z8, Z9
	VMOVAPS Z8, K2, Z9
	VFMADD213PS Z15, Z14, Z6
	VFMADD231PS Z9, Z13, Z6
	VMOVUPS Z6, 0(DI)
	ADDQ $64, DX
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP w16
wtail:
	TESTQ CX, CX
	JZ wdone
	TAILMASK
	NORMACT
	VMOVUPS.Z 0(SI), K1, Z8
	VMULPS Z12, Z8, Z9
	VMOVAPS Z8, K2, Z9
	VFMADD213PS Z15, Z14, Z6
	VFMADD231PS Z9, Z13, Z6
	VMOVUPS Z6, K1, 0(DI)
wdone:
	VZEROUPPER
	RET
`
