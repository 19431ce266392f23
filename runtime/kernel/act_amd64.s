//go:build amd64 && !purego

#include "textflag.h"

// Sigmoid and tanh on 16 lanes, from one float32 exp: n = round(x log2 e),
// r = x - n ln 2 (in two parts, Cephes' expf), a degree-5 polynomial for
// exp(r) on [-ln2/2, ln2/2] and VSCALEFPS for the 2^n, which saturates to
// 0 and +Inf without a range check. Relative error of exp about 2 ulp.
// x is clamped to [-100, 100] first (NaN kept: it is VMINPS's second
// operand), where sigmoid and tanh are already 0, 1 or +-1 in float32.

DATA actc<>+0(SB)/4, $100.0
DATA actc<>+4(SB)/4, $-100.0
DATA actc<>+8(SB)/4, $1.44269504088896341 // log2 e
DATA actc<>+12(SB)/4, $0.693359375        // ln 2, high part
DATA actc<>+16(SB)/4, $-2.12194440e-4     // ln 2, low part (subtracted)
DATA actc<>+20(SB)/4, $1.9875691500e-4
DATA actc<>+24(SB)/4, $1.3981999507e-3
DATA actc<>+28(SB)/4, $8.3334519073e-3
DATA actc<>+32(SB)/4, $4.1665795894e-2
DATA actc<>+36(SB)/4, $1.6666665459e-1
DATA actc<>+40(SB)/4, $5.0000001201e-1
DATA actc<>+44(SB)/4, $1.0
DATA actc<>+48(SB)/4, $2.0
GLOBL actc<>(SB), RODATA|NOPTR, $52

// EXP sets Z0 = exp(Z0), using Z1-Z3.
#define EXP \
	VMINPS Z0, Z20, Z0 \
	VMAXPS Z0, Z21, Z0 \
	VMULPS Z22, Z0, Z1 \
	VRNDSCALEPS $8, Z1, Z1 \
	VFNMADD231PS Z23, Z1, Z0 \
	VFNMADD231PS Z24, Z1, Z0 \
	VMOVAPS Z25, Z2 \
	VFMADD213PS Z26, Z0, Z2 \
	VFMADD213PS Z27, Z0, Z2 \
	VFMADD213PS Z28, Z0, Z2 \
	VFMADD213PS Z29, Z0, Z2 \
	VFMADD213PS Z30, Z0, Z2 \
	VMULPS Z0, Z0, Z3 \
	VFMADD213PS Z0, Z3, Z2 \
	VADDPS Z31, Z2, Z2 \
	VSCALEFPS Z1, Z2, Z0

#define LOADC \
	VBROADCASTSS actc<>+0(SB), Z20 \
	VBROADCASTSS actc<>+4(SB), Z21 \
	VBROADCASTSS actc<>+8(SB), Z22 \
	VBROADCASTSS actc<>+12(SB), Z23 \
	VBROADCASTSS actc<>+16(SB), Z24 \
	VBROADCASTSS actc<>+20(SB), Z25 \
	VBROADCASTSS actc<>+24(SB), Z26 \
	VBROADCASTSS actc<>+28(SB), Z27 \
	VBROADCASTSS actc<>+32(SB), Z28 \
	VBROADCASTSS actc<>+36(SB), Z29 \
	VBROADCASTSS actc<>+40(SB), Z30 \
	VBROADCASTSS actc<>+44(SB), Z31 \
	VBROADCASTSS actc<>+48(SB), Z19

// func sigmoidAVX512(dst, src *float32, n int)
// dst[i] = 1 / (1 + exp(-src[i])); dst may be src.
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	LOADC
	VXORPS Z18, Z18, Z18
sig_loop:
	CMPQ CX, $16
	JL sig_tail
	VMOVUPS (SI), Z0
	VSUBPS Z0, Z18, Z0
	EXP
	VADDPS Z31, Z0, Z0
	VDIVPS Z0, Z31, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP sig_loop
sig_tail:
	TESTQ CX, CX
	JZ sig_done
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VSUBPS Z0, Z18, Z0
	EXP
	VADDPS Z31, Z0, Z0
	VDIVPS Z0, Z31, Z0
	VMOVUPS Z0, K1, (DI)
sig_done:
	VZEROUPPER
	RET

// func tanhAVX512(dst, src *float32, n int)
// dst[i] = 1 - 2 / (1 + exp(2 src[i])); dst may be src.
TEXT ·tanhAVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	LOADC
tanh_loop:
	CMPQ CX, $16
	JL tanh_tail
	VMOVUPS (SI), Z0
	VADDPS Z0, Z0, Z0
	EXP
	VADDPS Z31, Z0, Z0
	VDIVPS Z0, Z19, Z0
	VSUBPS Z0, Z31, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP tanh_loop
tanh_tail:
	TESTQ CX, CX
	JZ tanh_done
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VADDPS Z0, Z0, Z0
	EXP
	VADDPS Z31, Z0, Z0
	VDIVPS Z0, Z19, Z0
	VSUBPS Z0, Z31, Z0
	VMOVUPS Z0, K1, (DI)
tanh_done:
	VZEROUPPER
	RET
