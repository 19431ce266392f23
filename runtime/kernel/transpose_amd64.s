//go:build amd64 && !purego

#include "textflag.h"
#include "go_asm.h"

// func snStoreAVX512(a *snStoreArgs)
//
// One output channel of the transposed GEMM: dst[px] = clamp(src[px*ld] +
// bias + res[px]) for px < n, gathering 16 pixels of the channel's column
// of C^T at a time (see snStoreArgs; the clamp's steps as in the SGEMM
// kernels, internal/asmgen/clamp.go).
TEXT ·snStoreAVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ snStoreArgs_src(DI), SI // src: C^T at (first pixel, channel)
	MOVQ snStoreArgs_dst(DI), DX
	MOVQ snStoreArgs_res(DI), R8 // res, or nil
	MOVQ snStoreArgs_n(DI), CX
	VMOVDQU32 snStoreArgs_idx(DI), Z30 // gather indices: i*ld, i < 16
	VBROADCASTSS snStoreArgs_bias(DI), Z29
	MOVQ snStoreArgs_step(DI), R9 // 16*ld*4: bytes from one group of 16 pixels to the next
	MOVQ snStoreArgs_flags(DI), R10 // the clamp's: fLeaky, fLo, fHi
	VPXORD Z28, Z28, Z28
	VBROADCASTSS snStoreArgs_slope(DI), Z27
	VBROADCASTSS snStoreArgs_lo(DI), Z26
	VBROADCASTSS snStoreArgs_hi(DI), Z25
loop:
	TESTQ CX, CX
	JLE done
	KXNORW K1, K1, K1
	CMPQ CX, $16
	JGE full
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
full:
	KMOVW K1, K2
	VXORPS Z0, Z0, Z0
	VGATHERDPS (SI)(Z30*4), K2, Z0
	VADDPS Z29, Z0, Z0
	TESTQ R8, R8
	JZ nores
	VMOVUPS.Z (R8), K1, Z1
	VADDPS Z1, Z0, Z0
	ADDQ $64, R8
nores:
	TESTQ $const_fLeaky, R10
	JZ noleaky
	VCMPPS $2, Z28, Z0, K3 // x <= 0
	VMULPS Z27, Z0, K3, Z0
noleaky:
	TESTQ $const_fLo, R10
	JZ nolo
	VMAXPS Z26, Z0, Z0
nolo:
	TESTQ $const_fHi, R10
	JZ nohi
	VMINPS Z25, Z0, Z0
nohi:
	VMOVUPS Z0, K1, (DX)
	ADDQ $64, DX
	ADDQ R9, SI
	SUBQ $16, CX
	JMP loop
done:
	VZEROUPPER
	RET
