//go:build amd64 && !purego

#include "textflag.h"
#include "go_asm.h"

// 0, 2, 4, ..., 30: the even lanes of two vectors (VPERMT2PS).
DATA mpeven<>+0(SB)/4, $0
DATA mpeven<>+4(SB)/4, $2
DATA mpeven<>+8(SB)/4, $4
DATA mpeven<>+12(SB)/4, $6
DATA mpeven<>+16(SB)/4, $8
DATA mpeven<>+20(SB)/4, $10
DATA mpeven<>+24(SB)/4, $12
DATA mpeven<>+28(SB)/4, $14
DATA mpeven<>+32(SB)/4, $16
DATA mpeven<>+36(SB)/4, $18
DATA mpeven<>+40(SB)/4, $20
DATA mpeven<>+44(SB)/4, $22
DATA mpeven<>+48(SB)/4, $24
DATA mpeven<>+52(SB)/4, $26
DATA mpeven<>+56(SB)/4, $28
DATA mpeven<>+60(SB)/4, $30
GLOBL mpeven<>(SB), RODATA|NOPTR, $64

// 1, 3, 5, ..., 31: the odd lanes of two vectors.
DATA mpodd<>+0(SB)/4, $1
DATA mpodd<>+4(SB)/4, $3
DATA mpodd<>+8(SB)/4, $5
DATA mpodd<>+12(SB)/4, $7
DATA mpodd<>+16(SB)/4, $9
DATA mpodd<>+20(SB)/4, $11
DATA mpodd<>+24(SB)/4, $13
DATA mpodd<>+28(SB)/4, $15
DATA mpodd<>+32(SB)/4, $17
DATA mpodd<>+36(SB)/4, $19
DATA mpodd<>+40(SB)/4, $21
DATA mpodd<>+44(SB)/4, $23
DATA mpodd<>+48(SB)/4, $25
DATA mpodd<>+52(SB)/4, $27
DATA mpodd<>+56(SB)/4, $29
DATA mpodd<>+60(SB)/4, $31
GLOBL mpodd<>(SB), RODATA|NOPTR, $64

// func maxPoolAVX512(a *maxPoolArgs)
//
// For each output row: the vertical maximum of its window's input rows
// into tmp (at column pw; tmp holds -Inf around it), then the horizontal
// maximum of kw columns at stride 1 or 2 into dst. See maxPoolArgs.
TEXT ·maxPoolAVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ maxPoolArgs_src(DI), SI
	MOVQ maxPoolArgs_dst(DI), DX
	MOVQ maxPoolArgs_tmp(DI), R8
	MOVQ maxPoolArgs_rows(DI), R9
	MOVQ maxPoolArgs_oh(DI), R10
	MOVQ maxPoolArgs_w(DI), R11
	MOVQ maxPoolArgs_pw(DI), R12
	LEAQ (R8)(R12*4), R12 // tmp + pw
	VMOVDQU32 mpeven<>(SB), Z31
	// K2: the lanes of the last partial vector of an input row (all if w%16 == 0).
	MOVQ R11, CX
	ANDQ $15, CX
	MOVQ $0xffff, AX
	JZ wfull
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
wfull:
	KMOVW AX, K2
	// K3: the same for an output row.
	MOVQ maxPoolArgs_ow(DI), CX
	ANDQ $15, CX
	MOVQ $0xffff, AX
	JZ owfull
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
owfull:
	KMOVW AX, K3
row:
	TESTQ R10, R10
	JZ done
	MOVLQSX 0(R9), AX // first input row, in floats from src
	MOVLQSX 4(R9), BX // input rows in the window
	LEAQ (SI)(AX*4), AX
	// Prefetch the rows after the window (the next output row's new rows):
	// from cache-cold maps the pool waits on memory, not arithmetic.
	MOVQ BX, R13
	IMULQ R11, R13
	LEAQ (AX)(R13*4), R13 // the row after the window
	MOVQ R11, R14
	SHLQ $3, R14 // two rows, in bytes
pf:
	PREFETCHT0 (R13)
	ADDQ $64, R13
	SUBQ $64, R14
	JG pf
	// Vertical pass: x in vectors of 16.
	XORQ CX, CX // x
vloop:
	MOVQ R11, R13
	SUBQ CX, R13
	JLE vdone
	KMOVW K2, K1
	CMPQ R13, $16
	JL vpart
	KXNORW K1, K1, K1
vpart:
	LEAQ (AX)(CX*4), R13
	VMOVUPS.Z (R13), K1, Z0
	MOVQ BX, R14
	DECQ R14
vrows:
	TESTQ R14, R14
	JZ vstore
	LEAQ (R13)(R11*4), R13
	VMOVUPS.Z (R13), K1, Z1
	VMAXPS Z1, Z0, Z0
	DECQ R14
	JMP vrows
vstore:
	VMOVUPS Z0, K1, (R12)(CX*4)
	ADDQ $16, CX
	JMP vloop
vdone:
	// Horizontal pass: i in vectors of 16 outputs.
	XORQ CX, CX // i
	MOVQ maxPoolArgs_kw(DI), BX
hloop:
	MOVQ maxPoolArgs_ow(DI), R13
	SUBQ CX, R13
	JLE hdone
	KMOVW K3, K1
	CMPQ R13, $16
	JL hpart
	KXNORW K1, K1, K1
hpart:
	CMPQ maxPoolArgs_sw(DI), $1
	JNE hs2
	LEAQ (R8)(CX*4), R13
	VMOVUPS (R13), Z0
	MOVQ BX, R14
	DECQ R14
hk1:
	TESTQ R14, R14
	JZ hstore
	ADDQ $4, R13
	VMOVUPS (R13), Z1
	VMAXPS Z1, Z0, Z0
	DECQ R14
	JMP hk1
hs2:
	LEAQ (R8)(CX*8), R13
	VMOVUPS (R13), Z0
	VPERMT2PS 64(R13), Z31, Z0
	MOVQ BX, R14
	DECQ R14
hk2:
	TESTQ R14, R14
	JZ hstore
	ADDQ $4, R13
	VMOVUPS (R13), Z1
	VPERMT2PS 64(R13), Z31, Z1
	VMAXPS Z1, Z0, Z0
	DECQ R14
	JMP hk2
hstore:
	VMOVUPS Z0, K1, (DX)(CX*4)
	ADDQ $16, CX
	JMP hloop
hdone:
	MOVQ maxPoolArgs_ow(DI), CX
	LEAQ (DX)(CX*4), DX
	ADDQ $8, R9
	DECQ R10
	JMP row
done:
	VZEROUPPER
	RET

// func maxPoolS1AVX512(a *maxPoolS1Args)
//
// Stride-1 windows over a.n planes, each vector of 16 outputs straight from
// the input rows: for each of kw taps a masked maximum over the window's
// rows (lanes outside the row keep -Inf), then the maximum of the taps.
// Nothing goes through tmp as in maxPoolAVX512. See maxPoolS1Args.
TEXT ·maxPoolS1AVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ maxPoolS1Args_src(DI), SI
	MOVQ maxPoolS1Args_dst(DI), DX
	MOVQ maxPoolS1Args_w(DI), R11
	SHLQ $2, R11     // bytes per input row
	MOVL $0xff800000, AX
	VPBROADCASTD AX, Z31 // -Inf
	MOVQ maxPoolS1Args_n(DI), BX // planes
	MOVQ BX, maxPoolS1Args_left(DI) // left to do
s1plane:
	MOVQ maxPoolS1Args_rows(DI), R9
	MOVQ maxPoolS1Args_oh(DI), R10
s1row:
	TESTQ R10, R10
	JZ s1next
	MOVLQSX 0(R9), AX // first input row, in floats from src
	MOVLQSX 4(R9), BX // input rows in the window
	SUBQ maxPoolS1Args_pw(DI), AX // minus pw: column x0 - pw of that row
	LEAQ (SI)(AX*4), AX
	// Prefetch the row after the window, the next output row's new one.
	MOVQ BX, R13
	IMULQ R11, R13
	ADDQ AX, R13
	MOVQ R11, R14
s1pf:
	PREFETCHT0 (R13)
	ADDQ $64, R13
	SUBQ $64, R14
	JG s1pf
	MOVQ maxPoolS1Args_masks(DI), R8
	XORQ CX, CX       // x0
s1chunk:
	VMOVAPS Z31, Z0
	LEAQ (AX)(CX*4), R13
	MOVQ maxPoolS1Args_kw(DI), R12
s1tap:
	KMOVW (R8), K1
	ADDQ $2, R8
	MOVQ R13, R15
	MOVQ BX, R14
	VMOVAPS Z31, Z1
s1vrow:
	VMAXPS (R15), Z1, K1, Z1
	ADDQ R11, R15
	DECQ R14
	JNZ s1vrow
	VMAXPS Z1, Z0, Z0
	ADDQ $4, R13
	DECQ R12
	JNZ s1tap
	KMOVW (R8), K2
	ADDQ $2, R8
	VMOVUPS Z0, K2, (DX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, maxPoolS1Args_ow(DI)
	JLT s1chunk
	MOVQ maxPoolS1Args_ow(DI), CX
	LEAQ (DX)(CX*4), DX
	ADDQ $8, R9
	DECQ R10
	JMP s1row
s1next:
	ADDQ maxPoolS1Args_plane(DI), SI
	DECQ maxPoolS1Args_left(DI)
	JNZ s1plane
	VZEROUPPER
	RET

// func maxPoolS2AVX512(a *maxPoolS1Args)
//
// maxPoolS1AVX512 for stride-2 columns: each tap's 32 input columns for 16
// outputs, two masked vectors per row, their even lanes gathered by
// VPERMT2PS after the rows' maximum. masks holds 2*kw+1 entries per
// vector: each tap's low and high halves, then the output lanes.
TEXT ·maxPoolS2AVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ maxPoolS1Args_src(DI), SI
	MOVQ maxPoolS1Args_dst(DI), DX
	MOVQ maxPoolS1Args_w(DI), R11
	SHLQ $2, R11     // bytes per input row
	MOVL $0xff800000, AX
	VPBROADCASTD AX, Z31 // -Inf
	VMOVDQU32 mpeven<>(SB), Z30
	MOVQ maxPoolS1Args_n(DI), BX // planes
	MOVQ BX, maxPoolS1Args_left(DI) // left to do
s2plane:
	MOVQ maxPoolS1Args_rows(DI), R9
	MOVQ maxPoolS1Args_oh(DI), R10
s2row:
	TESTQ R10, R10
	JZ s2next
	MOVLQSX 0(R9), AX // first input row, in floats from src
	MOVLQSX 4(R9), BX // input rows in the window
	SUBQ maxPoolS1Args_pw(DI), AX // minus pw
	LEAQ (SI)(AX*4), AX
	// Prefetch the two rows after the window.
	MOVQ BX, R13
	IMULQ R11, R13
	ADDQ AX, R13
	MOVQ R11, R14
	SHLQ $1, R14
s2pf:
	PREFETCHT0 (R13)
	ADDQ $64, R13
	SUBQ $64, R14
	JG s2pf
	MOVQ maxPoolS1Args_masks(DI), R8
	XORQ CX, CX       // x0
s2chunk:
	VMOVAPS Z31, Z0
	LEAQ (AX)(CX*8), R13 // input column 2*x0 - pw
	MOVQ maxPoolS1Args_kw(DI), R12
s2tap:
	KMOVW (R8), K1
	KMOVW 2(R8), K2
	ADDQ $4, R8
	MOVQ R13, R15
	MOVQ BX, R14
	VMOVAPS Z31, Z1
	VMOVAPS Z31, Z2
s2vrow:
	VMAXPS (R15), Z1, K1, Z1
	VMAXPS 64(R15), Z2, K2, Z2
	ADDQ R11, R15
	DECQ R14
	JNZ s2vrow
	VPERMT2PS Z2, Z30, Z1
	VMAXPS Z1, Z0, Z0
	ADDQ $4, R13
	DECQ R12
	JNZ s2tap
	KMOVW (R8), K3
	ADDQ $2, R8
	VMOVUPS Z0, K3, (DX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, maxPoolS1Args_ow(DI)
	JLT s2chunk
	MOVQ maxPoolS1Args_ow(DI), CX
	LEAQ (DX)(CX*4), DX
	ADDQ $8, R9
	DECQ R10
	JMP s2row
s2next:
	ADDQ maxPoolS1Args_plane(DI), SI
	DECQ maxPoolS1Args_left(DI)
	JNZ s2plane
	VZEROUPPER
	RET

// func maxPoolS2K3AVX512(a *maxPoolS1Args)
//
// maxPoolS2AVX512 for windows 3 wide: the rows' maximum of input columns
// [c0, c0+33), c0 = 2*x0 - pw, in three masked vectors, then taps 0, 1
// and 2 as their even lanes, odd lanes and even lanes one further.
// masks holds 4 entries per vector: the three input vectors', then the
// output lanes.
TEXT ·maxPoolS2K3AVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ maxPoolS1Args_src(DI), SI
	MOVQ maxPoolS1Args_dst(DI), DX
	MOVQ maxPoolS1Args_w(DI), R11
	SHLQ $2, R11     // bytes per input row
	MOVL $0xff800000, AX
	VPBROADCASTD AX, Z31 // -Inf
	VMOVDQU32 mpeven<>(SB), Z30
	VMOVDQU32 mpodd<>(SB), Z29
	MOVQ maxPoolS1Args_n(DI), BX // planes
	MOVQ BX, maxPoolS1Args_left(DI) // left to do
k3plane:
	MOVQ maxPoolS1Args_rows(DI), R9
	MOVQ maxPoolS1Args_oh(DI), R10
k3row:
	TESTQ R10, R10
	JZ k3next
	MOVLQSX 0(R9), AX // first input row, in floats from src
	MOVLQSX 4(R9), BX // input rows in the window
	SUBQ maxPoolS1Args_pw(DI), AX // minus pw
	LEAQ (SI)(AX*4), AX
	// Prefetch the two rows after the window.
	MOVQ BX, R13
	IMULQ R11, R13
	ADDQ AX, R13
	MOVQ R11, R14
	SHLQ $1, R14
k3pf:
	PREFETCHT0 (R13)
	ADDQ $64, R13
	SUBQ $64, R14
	JG k3pf
	MOVQ maxPoolS1Args_masks(DI), R8
	XORQ CX, CX       // x0
k3chunk:
	KMOVW (R8), K1
	KMOVW 2(R8), K2
	KMOVW 4(R8), K3
	KMOVW 6(R8), K4
	ADDQ $8, R8
	VMOVAPS Z31, Z1
	VMOVAPS Z31, Z2
	VMOVAPS Z31, Z3
	LEAQ (AX)(CX*8), R15 // input column 2*x0 - pw
	MOVQ BX, R14
k3vrow:
	VMAXPS (R15), Z1, K1, Z1
	VMAXPS 64(R15), Z2, K2, Z2
	VMAXPS 128(R15), Z3, K3, Z3
	ADDQ R11, R15
	DECQ R14
	JNZ k3vrow
	VMOVAPS Z1, Z4
	VPERMT2PS Z2, Z30, Z4 // columns c0 + 2i: tap 0
	VPERMT2PS Z2, Z29, Z1 // c0 + 2i + 1: tap 1
	VALIGND $1, Z4, Z3, Z5 // c0 + 2i + 2: tap 2
	VMAXPS Z1, Z4, Z0
	VMAXPS Z5, Z0, Z0
	VMOVUPS Z0, K4, (DX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, maxPoolS1Args_ow(DI)
	JLT k3chunk
	MOVQ maxPoolS1Args_ow(DI), CX
	LEAQ (DX)(CX*4), DX
	ADDQ $8, R9
	DECQ R10
	JMP k3row
k3next:
	ADDQ maxPoolS1Args_plane(DI), SI
	DECQ maxPoolS1Args_left(DI)
	JNZ k3plane
	VZEROUPPER
	RET

// func maxPoolS1K3AVX512(a *maxPoolS1Args)
//
// maxPoolS1AVX512 for windows 3 wide: the rows' maximum of input columns
// [c0, c0+18), c0 = x0 - pw, in two masked vectors, then taps 0, 1 and 2
// as that shifted by 0, 1 and 2 lanes (VALIGND). masks holds 3 entries
// per vector: the two input vectors', then the output lanes.
TEXT ·maxPoolS1K3AVX512(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), DI
	MOVQ maxPoolS1Args_src(DI), SI
	MOVQ maxPoolS1Args_dst(DI), DX
	MOVQ maxPoolS1Args_w(DI), R11
	SHLQ $2, R11     // bytes per input row
	MOVL $0xff800000, AX
	VPBROADCASTD AX, Z31 // -Inf
	MOVQ maxPoolS1Args_n(DI), BX // planes
	MOVQ BX, maxPoolS1Args_left(DI) // left to do
j3plane:
	MOVQ maxPoolS1Args_rows(DI), R9
	MOVQ maxPoolS1Args_oh(DI), R10
j3row:
	TESTQ R10, R10
	JZ j3next
	MOVLQSX 0(R9), AX // first input row, in floats from src
	MOVLQSX 4(R9), BX // input rows in the window
	SUBQ maxPoolS1Args_pw(DI), AX // minus pw
	LEAQ (SI)(AX*4), AX
	// Prefetch the row after the window.
	MOVQ BX, R13
	IMULQ R11, R13
	ADDQ AX, R13
	MOVQ R11, R14
j3pf:
	PREFETCHT0 (R13)
	ADDQ $64, R13
	SUBQ $64, R14
	JG j3pf
	MOVQ maxPoolS1Args_masks(DI), R8
	XORQ CX, CX       // x0
j3chunk:
	KMOVW (R8), K1
	KMOVW 2(R8), K2
	KMOVW 4(R8), K3
	ADDQ $6, R8
	VMOVAPS Z31, Z1
	VMOVAPS Z31, Z2
	LEAQ (AX)(CX*4), R15 // input column x0 - pw
	MOVQ BX, R14
j3vrow:
	VMAXPS (R15), Z1, K1, Z1
	VMAXPS 64(R15), Z2, K2, Z2
	ADDQ R11, R15
	DECQ R14
	JNZ j3vrow
	VALIGND $1, Z1, Z2, Z4 // columns c0 + i + 1: tap 1
	VALIGND $2, Z1, Z2, Z5 // c0 + i + 2: tap 2
	VMAXPS Z4, Z1, Z0
	VMAXPS Z5, Z0, Z0
	VMOVUPS Z0, K3, (DX)(CX*4)
	ADDQ $16, CX
	CMPQ CX, maxPoolS1Args_ow(DI)
	JLT j3chunk
	MOVQ maxPoolS1Args_ow(DI), CX
	LEAQ (DX)(CX*4), DX
	ADDQ $8, R9
	DECQ R10
	JMP j3row
j3next:
	ADDQ maxPoolS1Args_plane(DI), SI
	DECQ maxPoolS1Args_left(DI)
	JNZ j3plane
	VZEROUPPER
	RET
