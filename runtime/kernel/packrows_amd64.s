//go:build amd64 && !purego

#include "textflag.h"
#include "go_asm.h"

// func packRowsAVX512(a *packRowsArgs)
//
// Packs one row of an im2col block from phase planes (see im2col_planes.go):
// n columns starting at column j, taken from runs of contiguous source
// floats (the first run has a.run floats left, the next ones a.ow), a.jump
// bytes apart; column c lands in panel c/32 (a.pstride bytes apart) at
// lane c%32. Chunks of up to 16 floats, split at panel edges.
TEXT ·packRowsAVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), R8
	MOVQ packRowsArgs_dst(R8), DI // dst: the row in panel 0
	MOVQ packRowsArgs_src(R8), SI
	MOVQ packRowsArgs_n(R8), R9
	MOVQ packRowsArgs_j(R8), R10
	MOVQ packRowsArgs_run(R8), R11 // run: floats left in this run
	MOVQ packRowsArgs_ow(R8), R12
	MOVQ packRowsArgs_jump(R8), R13
	MOVQ packRowsArgs_pstride(R8), R14
chunk:
	TESTQ R9, R9
	JLE done
	TESTQ R11, R11
	JG inrun
	ADDQ R13, SI // next output row
	MOVQ R12, R11
inrun:
	// c = min(16, run, n, 32 - j%32)
	MOVQ $16, CX
	CMPQ R11, CX
	CMOVQLT R11, CX
	CMPQ R9, CX
	CMOVQLT R9, CX
	MOVQ R10, AX
	ANDQ $31, AX
	MOVQ $32, BX
	SUBQ AX, BX
	CMPQ BX, CX
	CMOVQLT BX, CX
	MOVQ $1, DX
	SHLQ CX, DX
	DECQ DX
	KMOVW DX, K1
	VMOVUPS.Z (SI), K1, Z0
	// dst + (j/32)*pstride + (j%32)*4
	MOVQ R10, DX
	SHRQ $5, DX
	IMULQ R14, DX
	LEAQ (DX)(AX*4), DX
	VMOVUPS Z0, K1, (DI)(DX*1)
	LEAQ (SI)(CX*4), SI
	ADDQ CX, R10
	SUBQ CX, R9
	SUBQ CX, R11
	JMP chunk
done:
	VZEROUPPER
	RET
