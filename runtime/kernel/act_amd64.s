//go:build amd64 && !purego

#include "textflag.h"

// The activations of Activate on 16 lanes (AVX-512F): one loop (ACTLOOP)
// around one body per kind, each taking x in Z0 and leaving f(x) there.
// The Go meaning of every function is in its comment and in
// activate_amd64.go; act.Func.Eval, in float64, is the reference they are
// tested against (activate_test.go gives each kind's error bound).
//
// The transcendental kinds share one float32 exp, Cephes' expf: x is
// clamped to [-110, 100] (NaN kept: it is VMINPS's and VMAXPS's second
// operand), n = round(x log2 e), r = x - n ln 2 (in two parts), exp(r) =
// 1 + r + r^2 P(r) with P of degree 5 on [-ln2/2, ln2/2], and VSCALEFPS
// for the 2^n, which saturates to +Inf above 88.7 and rounds to 0 below
// -103.9 (and to exactly 0 at -110) without a range check. Relative error
// about 2 ulp. expm1 reuses r + r^2 P(r): 2^n (r + r^2 P(r)) + (2^n - 1),
// which keeps its relative precision near 0.
//
// Registers: Z0 the value, Z1-Z11 temporaries, Z12-Z17 a kind's
// constants and parameters, Z18 = 0, Z19 = 2, Z20-Z31 exp's constants
// (Z31 = 1). K1 is the tail's mask; the bodies use K2-K4.

DATA actc<>+0(SB)/4, $100.0
DATA actc<>+4(SB)/4, $-110.0
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
DATA actc<>+52(SB)/4, $0.5
DATA actc<>+56(SB)/4, $-0.5
DATA actc<>+60(SB)/4, $3.0
DATA actc<>+64(SB)/4, $6.0
DATA actc<>+68(SB)/4, $0.166666672 // 1/6
DATA actc<>+72(SB)/4, $20.0
DATA actc<>+76(SB)/4, $0x7fffffff  // |x| mask
DATA actc<>+80(SB)/4, $0x80000000  // sign bit
DATA actc<>+84(SB)/4, $15.0
DATA actc<>+88(SB)/4, $1.41421354  // sqrt 2
DATA actc<>+92(SB)/4, $2.82842708  // 2 sqrt 2
DATA actc<>+96(SB)/4, $-1.59576917   // -2 sqrt(2/pi)
DATA actc<>+100(SB)/4, $-0.0713548139 // -2 sqrt(2/pi) 0.044715

// log1p(e) = 2 atanh(s), s = e/(2+e), for e in [0, 1]: s Q(s^2) with
// Q's coefficients 2/13, 2/11, ..., 2/1 (the series, truncated where
// the next term is under 2e-8 relative, s <= 1/3).
DATA actc<>+104(SB)/4, $0.15384616
DATA actc<>+108(SB)/4, $0.181818187
DATA actc<>+112(SB)/4, $0.222222224
DATA actc<>+116(SB)/4, $0.285714298
DATA actc<>+120(SB)/4, $0.400000006
DATA actc<>+124(SB)/4, $0.666666687
DATA actc<>+128(SB)/4, $2.0

// The normal distribution Phi for GELU, from Cephes' erff and erfcf
// (ndtrf.c) rewritten in x = sqrt2 t, highest power first: for a = |x|
// >= sqrt 2, Phi(-a) = exp(-a^2/2) / a * P(1/a^2), P below 2 sqrt 2 (t <
// 2), R above; for a < sqrt 2, Phi(x) = 1/2 + x T(x^2). P_k is Cephes'
// coefficient times 2^k / sqrt 2, T_k times 2^-k / (2 sqrt 2).
DATA actc<>+132(SB)/4, $4.21199417 // P8
DATA actc<>+136(SB)/4, $-12.5540476
DATA actc<>+140(SB)/4, $16.6873798
DATA actc<>+144(SB)/4, $-13.1798658
DATA actc<>+148(SB)/4, $7.02581835
DATA actc<>+152(SB)/4, $-2.79704022
DATA actc<>+156(SB)/4, $0.963045478
DATA actc<>+160(SB)/4, $-0.387653887
DATA actc<>+164(SB)/4, $0.398685157 // P0
DATA actc<>+168(SB)/4, $-948.329895 // R7
DATA actc<>+172(SB)/4, $587.281006
DATA actc<>+176(SB)/4, $-169.604233
DATA actc<>+180(SB)/4, $33.0475578
DATA actc<>+184(SB)/4, $-5.74320793
DATA actc<>+188(SB)/4, $1.19316161
DATA actc<>+192(SB)/4, $-0.398916751
DATA actc<>+196(SB)/4, $0.398942232 // R0
DATA actc<>+200(SB)/4, $4.33868649e-07 // T6
DATA actc<>+204(SB)/4, $-8.8500974e-06
DATA actc<>+208(SB)/4, $0.000114646929
DATA actc<>+212(SB)/4, $-0.00118678203
DATA actc<>+216(SB)/4, $0.0099733742
DATA actc<>+220(SB)/4, $-0.0664903596
DATA actc<>+224(SB)/4, $0.398942292 // T0

// tanh(x) = x + x^3 P(x^2) for |x| < 0.625 (Cephes' tanhf), highest first.
DATA actc<>+228(SB)/4, $-5.70498872745e-3
DATA actc<>+232(SB)/4, $2.06390887954e-2
DATA actc<>+236(SB)/4, $-5.37397155531e-2
DATA actc<>+240(SB)/4, $1.33314422036e-1
DATA actc<>+244(SB)/4, $-3.33332819422e-1
DATA actc<>+248(SB)/4, $0.625
GLOBL actc<>(SB), RODATA|NOPTR, $252

#define C_ONE actc<>+44(SB)
#define C_TWO actc<>+48(SB)
#define C_HALF actc<>+52(SB)
#define C_MHALF actc<>+56(SB)
#define C_THREE actc<>+60(SB)
#define C_SIX actc<>+64(SB)
#define C_SIXTH actc<>+68(SB)
#define C_TWENTY actc<>+72(SB)
#define C_ABS actc<>+76(SB)
#define C_SIGN actc<>+80(SB)
#define C_FIFTEEN actc<>+84(SB)
#define C_SQRT2 actc<>+88(SB)
#define C_2SQRT2 actc<>+92(SB)
#define C_GT1 actc<>+96(SB)
#define C_GT3 actc<>+100(SB)
#define C_TANHCUT actc<>+248(SB)

// LOADEXP loads exp's constants, 0 and 2 (Z18-Z31).
#define LOADEXP \
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
	VBROADCASTSS C_ONE, Z31 \
	VBROADCASTSS C_TWO, Z19 \
	VXORPS Z18, Z18, Z18

// EXPR reduces x (clamped) to r, leaving r in x, n in n and
// expm1(r) = r + r^2 P(r) in p; t is clobbered.
#define EXPR(x, n, p, t) \
	VMINPS x, Z20, x \
	VMAXPS x, Z21, x \
	VMULPS Z22, x, n \
	VRNDSCALEPS $8, n, n \
	VFNMADD231PS Z23, n, x \
	VFNMADD231PS Z24, n, x \
	VMOVAPS Z25, p \
	VFMADD213PS Z26, x, p \
	VFMADD213PS Z27, x, p \
	VFMADD213PS Z28, x, p \
	VFMADD213PS Z29, x, p \
	VFMADD213PS Z30, x, p \
	VMULPS x, x, t \
	VFMADD213PS x, t, p

// EXP sets x = exp(x), clobbering n, p and t.
#define EXP(x, n, p, t) \
	EXPR(x, n, p, t) \
	VADDPS Z31, p, p \
	VSCALEFPS n, p, x

// EXPM1 sets x = exp(x) - 1 = 2^n expm1(r) + (2^n - 1), clobbering n, p
// and t; for x <= 0 (elu), where 2^n - 1 is exact or -1.
#define EXPM1(x, n, p, t) \
	EXPR(x, n, p, t) \
	VSCALEFPS n, Z31, t \
	VSUBPS Z31, t, x \
	VFMADD231PS p, t, x

// ACTLOOP runs BODY over CX floats from SI to DI, 16 at a time, the last
// under the mask K1, and returns.
#define ACTLOOP(BODY) \
loop: \
	CMPQ CX, $16 \
	JL tail \
	VMOVUPS (SI), Z0 \
	BODY \
	VMOVUPS Z0, (DI) \
	ADDQ $64, SI \
	ADDQ $64, DI \
	SUBQ $16, CX \
	JMP loop \
tail: \
	TESTQ CX, CX \
	JZ done \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
	KMOVW AX, K1 \
	VMOVUPS.Z (SI), K1, Z0 \
	BODY \
	VMOVUPS Z0, K1, (DI) \
done: \
	VZEROUPPER \
	RET

#define ARGS \
	MOVQ dst+0(FP), DI \
	MOVQ src+8(FP), SI \
	MOVQ n+16(FP), CX

// CLAMP: Z15 slope, Z16 lo, Z17 hi.
#define CLAMP \
	VCMPPS $0x12, Z18, Z0, K2 \
	VMULPS Z15, Z0, K2, Z0 \
	VMAXPS Z0, Z16, Z0 \
	VMINPS Z0, Z17, Z0

// func clampAVX512(dst, src *float32, n int, lo, hi, slope float32)
//
//	for i := range n {
//		x := src[i]
//		if x <= 0 {
//			x *= slope
//		}
//		dst[i] = min(max(x, lo), hi) // NaN kept
//	}
TEXT ·clampAVX512(SB), NOSPLIT, $0-36
	ARGS
	VBROADCASTSS lo+24(FP), Z16
	VBROADCASTSS hi+28(FP), Z17
	VBROADCASTSS slope+32(FP), Z15
	VXORPS Z18, Z18, Z18
	ACTLOOP(CLAMP)

// HARDSIG: Z0 = min(max(x+3, 0), 6) (x in Z0, Z1 clobbered), not yet /6.
#define HARDSIG \
	VADDPS Z16, Z0, Z1 \
	VMAXPS Z1, Z18, Z1 \
	VMINPS Z1, Z17, Z1

#define LOADHARD \
	VXORPS Z18, Z18, Z18 \
	VBROADCASTSS C_THREE, Z16 \
	VBROADCASTSS C_SIX, Z17 \
	VBROADCASTSS C_SIXTH, Z15

#define HARDSIGMOID \
	HARDSIG \
	VMULPS Z15, Z1, Z0

// func hardSigmoidAVX512(dst, src *float32, n int)
//
//	dst[i] = min(max(src[i]+3, 0), 6) * (1/6)
TEXT ·hardSigmoidAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADHARD
	ACTLOOP(HARDSIGMOID)

#define HARDSWISH \
	HARDSIG \
	VMULPS Z15, Z1, Z1 \
	VMULPS Z1, Z0, Z0

// func hardSwishAVX512(dst, src *float32, n int)
//
//	dst[i] = src[i] * (min(max(src[i]+3, 0), 6) * (1/6)) // never overflows
TEXT ·hardSwishAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADHARD
	ACTLOOP(HARDSWISH)

#define SIGMOID \
	VSUBPS Z0, Z18, Z0 \
	EXP(Z0, Z1, Z2, Z3) \
	VADDPS Z31, Z0, Z0 \
	VDIVPS Z0, Z31, Z0

// func sigmoidAVX512(dst, src *float32, n int)
//
//	dst[i] = 1 / (1 + exp(-src[i]))
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADEXP
	ACTLOOP(SIGMOID)

// TANH: Cephes' tanhf, x + x^3 P(x^2) below 0.625 (P's coefficients at
// actc+228), else 1 - 2/(1 + exp(2x)), which cancels near 0. Z16 = 0.625,
// Z17 the |x| mask.
#define TANH \
	VMULPS Z0, Z0, Z4 \
	VBROADCASTSS actc<>+228(SB), Z5 \
	VFMADD213PS.BCST actc<>+232(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+236(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+240(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+244(SB), Z4, Z5 \
	VMULPS Z4, Z5, Z5 \
	VFMADD213PS Z0, Z0, Z5 \
	VADDPS Z0, Z0, Z1 \
	EXP(Z1, Z2, Z3, Z4) \
	VADDPS Z31, Z1, Z1 \
	VDIVPS Z1, Z19, Z1 \
	VSUBPS Z1, Z31, Z1 \
	VPANDD Z17, Z0, Z6 \
	VCMPPS $0x11, Z16, Z6, K2 \
	VMOVAPS Z5, K2, Z1 \
	VMOVAPS Z1, Z0

// func tanhAVX512(dst, src *float32, n int)
//
//	x := src[i]
//	if abs(x) < 0.625 {
//		dst[i] = x + x*x*x*P(x*x)
//	} else {
//		dst[i] = 1 - 2/(1+exp(2*x))
//	}
TEXT ·tanhAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADEXP
	VBROADCASTSS C_TANHCUT, Z16
	VPBROADCASTD C_ABS, Z17
	ACTLOOP(TANH)

// XSIGMOID sets Z0 = x / (1 + exp(Z1)), x in Z0, clobbering Z1-Z4.
#define XSIGMOID \
	EXP(Z1, Z2, Z3, Z4) \
	VADDPS Z31, Z1, Z1 \
	VDIVPS Z1, Z0, Z0

#define SILU \
	VPXORD Z17, Z0, Z1 \
	XSIGMOID

// func siluAVX512(dst, src *float32, n int)
//
//	dst[i] = src[i] / (1 + exp(-src[i]))
TEXT ·siluAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADEXP
	VPBROADCASTD C_SIGN, Z17
	ACTLOOP(SILU)

#define GELUTANH \
	VMULPS Z0, Z0, Z1 \
	VFMADD213PS Z16, Z17, Z1 \
	VMULPS Z0, Z1, Z1 \
	XSIGMOID

// func geluTanhAVX512(dst, src *float32, n int)
//
//	x := src[i]
//	dst[i] = x / (1 + exp(-2*sqrt(2/pi)*x*(1+0.044715*x*x)))
//
// the same as 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3))) without its
// cancellation at negative x.
TEXT ·geluTanhAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADEXP
	VBROADCASTSS C_GT1, Z16
	VBROADCASTSS C_GT3, Z17
	ACTLOOP(GELUTANH)

#define GELU \
	VPANDD Z12, Z0, Z1 \
	VMINPS Z1, Z17, Z1 \
	VMULPS Z1, Z1, Z2 \
	VMOVAPS Z2, Z3 \
	VFMSUB231PS Z1, Z1, Z3 \
	VMULPS Z16, Z2, Z4 \
	EXP(Z4, Z5, Z6, Z7) \
	VMULPS Z16, Z3, Z3 \
	VFMADD231PS Z3, Z4, Z4 \
	VDIVPS Z1, Z31, Z5 \
	VMULPS Z5, Z5, Z6 \
	VBROADCASTSS actc<>+132(SB), Z7 \
	VFMADD213PS.BCST actc<>+136(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+140(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+144(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+148(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+152(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+156(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+160(SB), Z6, Z7 \
	VFMADD213PS.BCST actc<>+164(SB), Z6, Z7 \
	VBROADCASTSS actc<>+168(SB), Z8 \
	VFMADD213PS.BCST actc<>+172(SB), Z6, Z8 \
	VFMADD213PS.BCST actc<>+176(SB), Z6, Z8 \
	VFMADD213PS.BCST actc<>+180(SB), Z6, Z8 \
	VFMADD213PS.BCST actc<>+184(SB), Z6, Z8 \
	VFMADD213PS.BCST actc<>+188(SB), Z6, Z8 \
	VFMADD213PS.BCST actc<>+192(SB), Z6, Z8 \
	VFMADD213PS.BCST actc<>+196(SB), Z6, Z8 \
	VCMPPS $0x11, Z13, Z1, K2 \
	VMOVAPS Z7, K2, Z8 \
	VMULPS Z5, Z4, Z4 \
	VMULPS Z8, Z4, Z4 \
	VSUBPS Z4, Z31, Z9 \
	VCMPPS $0x11, Z18, Z0, K3 \
	VMOVAPS Z4, K3, Z9 \
	VBROADCASTSS actc<>+200(SB), Z10 \
	VFMADD213PS.BCST actc<>+204(SB), Z2, Z10 \
	VFMADD213PS.BCST actc<>+208(SB), Z2, Z10 \
	VFMADD213PS.BCST actc<>+212(SB), Z2, Z10 \
	VFMADD213PS.BCST actc<>+216(SB), Z2, Z10 \
	VFMADD213PS.BCST actc<>+220(SB), Z2, Z10 \
	VFMADD213PS.BCST actc<>+224(SB), Z2, Z10 \
	VFMADD213PS Z15, Z0, Z10 \
	VCMPPS $0x11, Z14, Z1, K4 \
	VMOVAPS Z10, K4, Z9 \
	VMULPS Z9, Z0, Z0

// func geluAVX512(dst, src *float32, n int)
//
//	x := src[i]
//	a := min(abs(x), 15) // Phi(-15) is 0 in float32
//	var phi float32      // Phi(x), the normal distribution
//	switch {
//	case a < sqrt2:
//		phi = 0.5 + x*T(x*x)
//	case a < 2*sqrt2:
//		phi = exp(-a*a/2) / a * P(1/(a*a))
//	default:
//		phi = exp(-a*a/2) / a * R(1/(a*a))
//	}
//	if a >= sqrt2 && !(x < 0) {
//		phi = 1 - phi
//	}
//	dst[i] = x * phi
//
// with a*a/2 carried in two parts (the product and its FMA rounding
// error), so that exp's argument adds no error at large a.
TEXT ·geluAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADEXP
	VPBROADCASTD C_ABS, Z12
	VBROADCASTSS C_2SQRT2, Z13
	VBROADCASTSS C_SQRT2, Z14
	VBROADCASTSS C_HALF, Z15
	VBROADCASTSS C_MHALF, Z16
	VBROADCASTSS C_FIFTEEN, Z17
	ACTLOOP(GELU)

// ELU: Z16 the scale of negative values (alpha), Z17 of positive ones.
#define ELU \
	VMINPS Z0, Z18, Z1 \
	EXPM1(Z1, Z2, Z3, Z4) \
	VMULPS Z16, Z1, Z1 \
	VCMPPS $0x1e, Z18, Z0, K2 \
	VMULPS Z17, Z0, K2, Z1 \
	VMOVAPS Z1, Z0

// func eluAVX512(dst, src *float32, n int, neg, pos float32)
//
//	x := src[i]
//	if x > 0 {
//		dst[i] = pos * x
//	} else {
//		dst[i] = neg * expm1(x)
//	}
TEXT ·eluAVX512(SB), NOSPLIT, $0-32
	ARGS
	LOADEXP
	VBROADCASTSS neg+24(FP), Z16
	VBROADCASTSS pos+28(FP), Z17
	ACTLOOP(ELU)

// SOFTPLUS: Z12 beta, Z13 1/beta, [Z14, Z15] the inputs passed through,
// Z16 the sign bit.
#define SOFTPLUS \
	VMULPS Z12, Z0, Z1 \
	VPORD Z16, Z1, Z2 \
	EXP(Z2, Z3, Z4, Z5) \
	VADDPS Z19, Z2, Z3 \
	VDIVPS Z3, Z2, Z3 \
	VMULPS Z3, Z3, Z4 \
	VBROADCASTSS actc<>+104(SB), Z5 \
	VFMADD213PS.BCST actc<>+108(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+112(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+116(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+120(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+124(SB), Z4, Z5 \
	VFMADD213PS.BCST actc<>+128(SB), Z4, Z5 \
	VMULPS Z5, Z3, Z3 \
	VMAXPS Z1, Z18, Z1 \
	VADDPS Z3, Z1, Z1 \
	VMULPS Z13, Z1, Z1 \
	VCMPPS $0x1d, Z14, Z0, K2 \
	VCMPPS $0x12, Z15, Z0, K2, K2 \
	VMOVAPS Z0, K2, Z1 \
	VMOVAPS Z1, Z0

// func softplusAVX512(dst, src *float32, n int, beta, invBeta, lo, hi float32)
//
//	x := src[i]
//	if lo <= x && x <= hi {
//		dst[i] = x
//	} else {
//		v := beta * x
//		dst[i] = (max(v, 0) + log1p(exp(-abs(v)))) * invBeta
//	}
TEXT ·softplusAVX512(SB), NOSPLIT, $0-40
	ARGS
	LOADEXP
	VBROADCASTSS beta+24(FP), Z12
	VBROADCASTSS invBeta+28(FP), Z13
	VBROADCASTSS lo+32(FP), Z14
	VBROADCASTSS hi+36(FP), Z15
	VPBROADCASTD C_SIGN, Z16
	ACTLOOP(SOFTPLUS)

// MISH: Z17 = 20.
#define MISH \
	VMINPS Z0, Z17, Z1 \
	EXP(Z1, Z2, Z3, Z4) \
	VADDPS Z19, Z1, Z2 \
	VMULPS Z2, Z1, Z1 \
	VADDPS Z19, Z1, Z2 \
	VDIVPS Z2, Z1, Z1 \
	VMULPS Z1, Z0, Z0

// func mishAVX512(dst, src *float32, n int)
//
//	x := src[i]
//	e := exp(min(x, 20)) // past 20 the ratio is 1 in float32
//	m := e * (e + 2)     // (1+e)^2 - 1
//	dst[i] = x * (m / (m + 2)) // x * tanh(log1p(e))
TEXT ·mishAVX512(SB), NOSPLIT, $0-24
	ARGS
	LOADEXP
	VBROADCASTSS C_TWENTY, Z17
	ACTLOOP(MISH)
