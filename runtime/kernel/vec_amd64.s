//go:build amd64 && !purego

#include "textflag.h"

// Elementwise dst[i] = op(a[i], b[i]) for i < n, 16 lanes at a time with a
// masked tail; dst may alias a or b.

// func maxAVX512(dst, a, b *float32, n int)
TEXT ·maxAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
max_loop64:
	CMPQ CX, $64
	JL max_loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VMAXPS (DX), Z0, Z0
	VMAXPS 64(DX), Z1, Z1
	VMAXPS 128(DX), Z2, Z2
	VMAXPS 192(DX), Z3, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DX
	ADDQ $256, DI
	SUBQ $64, CX
	JMP max_loop64
max_loop16:
	CMPQ CX, $16
	JL max_tail
	VMOVUPS (SI), Z0
	VMAXPS (DX), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP max_loop16
max_tail:
	TESTQ CX, CX
	JZ max_done
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	VMAXPS Z1, Z0, Z0
	VMOVUPS Z0, K1, (DI)
max_done:
	VZEROUPPER
	RET

// func addAVX512(dst, a, b *float32, n int)
TEXT ·addAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
add_loop64:
	CMPQ CX, $64
	JL add_loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VADDPS (DX), Z0, Z0
	VADDPS 64(DX), Z1, Z1
	VADDPS 128(DX), Z2, Z2
	VADDPS 192(DX), Z3, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DX
	ADDQ $256, DI
	SUBQ $64, CX
	JMP add_loop64
add_loop16:
	CMPQ CX, $16
	JL add_tail
	VMOVUPS (SI), Z0
	VADDPS (DX), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP add_loop16
add_tail:
	TESTQ CX, CX
	JZ add_done
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	VADDPS Z1, Z0, Z0
	VMOVUPS Z0, K1, (DI)
add_done:
	VZEROUPPER
	RET

// func addReluAVX512(dst, a, b *float32, n int)
// dst[i] = max(a[i] + b[i], 0); dst may alias a or b.
TEXT ·addReluAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ n+24(FP), CX
	VPXORD Z31, Z31, Z31
addrelu_loop32:
	CMPQ CX, $32
	JL addrelu_loop16
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VADDPS (DX), Z0, Z0
	VADDPS 64(DX), Z1, Z1
	VMAXPS Z31, Z0, Z0
	VMAXPS Z31, Z1, Z1
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $32, CX
	JMP addrelu_loop32
addrelu_loop16:
	CMPQ CX, $16
	JL addrelu_tail
	VMOVUPS (SI), Z0
	VADDPS (DX), Z0, Z0
	VMAXPS Z31, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	SUBQ $16, CX
	JMP addrelu_loop16
addrelu_tail:
	TESTQ CX, CX
	JZ addrelu_done
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	VADDPS Z1, Z0, Z0
	VMAXPS Z31, Z0, Z0
	VMOVUPS Z0, K1, (DI)
addrelu_done:
	VZEROUPPER
	RET

// func reluAVX512(x *float32, n int)
TEXT ·reluAVX512(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), CX
	VPXORD Z31, Z31, Z31
relu_loop16:
	CMPQ CX, $16
	JL relu_tail
	VMAXPS (DI), Z31, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, DI
	SUBQ $16, CX
	JMP relu_loop16
relu_tail:
	TESTQ CX, CX
	JZ relu_done
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	VMOVUPS.Z (DI), K1, Z0
	VMAXPS Z31, Z0, Z0
	VMOVUPS Z0, K1, (DI)
relu_done:
	VZEROUPPER
	RET
