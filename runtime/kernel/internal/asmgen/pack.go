package asmgen

// Strided and table gathers for im2col packing (pack_amd64.s), where a
// scalar Go loop costs as much as the GEMM itself when Cout is small (the
// 7x7 stem).

import "fmt"

func packFile(f *file) {
	// Even lanes of two vectors, and 0, 1, 2, ... for strided indices.
	var vals []string
	for i := 0; i < 16; i++ {
		vals = append(vals, fmt.Sprintf("$%d", 2*i))
	}
	for i := 0; i < 16; i++ {
		vals = append(vals, fmt.Sprintf("$%d", i))
	}
	f.data("packidx", vals...)
	f.packS2()
	f.packS()
	f.packTab()
	f.packTabRow()
	f.packRun()
}

// mask sets K to the low min(reg, 16) bits (reg >= 0), clobbering CX, AX.
func (f *file) mask(reg, k string) {
	f.p("MOVQ %s, CX", reg)
	f.p("CMPQ CX, $16")
	f.p("JLE 2(PC)")
	f.p("MOVQ $16, CX")
	f.p("MOVQ $1, AX")
	f.p("SHLQ CX, AX")
	f.p("DECQ AX")
	f.p("KMOVW AX, %s", k)
}

// packS2 emits func gatherS2AVX512(dst, src *float32, n int)
// dst[t] = src[2t] for t < n, reading no further than src[2n-2].
func (f *file) packS2() {
	f.text("gatherS2AVX512", "func gatherS2AVX512(dst, src *float32, n int)", 0, 24)
	f.p("MOVQ dst+0(FP), DI")
	f.p("MOVQ src+8(FP), SI")
	f.p("MOVQ n+16(FP), DX")
	f.p("VMOVDQU32 packidx<>(SB), Z2")
	f.label("s2_loop")
	f.p("CMPQ DX, $16")
	f.p("JLT s2_tail")
	f.p("CMPQ DX, $17") // a full block reads src[0..31]: safe when 2n-2 >= 31
	f.p("JLT s2_tail")
	f.p("VMOVUPS (SI), Z0")
	f.p("VMOVUPS 64(SI), Z1")
	f.p("VPERMT2PS Z1, Z2, Z0")
	f.p("VMOVUPS Z0, (DI)")
	f.p("ADDQ $128, SI")
	f.p("ADDQ $64, DI")
	f.p("SUBQ $16, DX")
	f.p("JMP s2_loop")
	f.label("s2_tail")
	f.p("TESTQ DX, DX")
	f.p("JZ s2_done")
	// Masked loads that miss the cache are slow on Zen 5 (they wait to
	// retire, it seems): start the misses with plain prefetches.
	f.p("PREFETCHT0 (SI)")
	f.p("PREFETCHT0 64(SI)")
	// in = 2n-1 floats: lanes of the low and high input vectors.
	f.p("LEAQ -1(DX)(DX*1), BX")
	f.mask("BX", "K1")
	f.p("SUBQ $16, BX")
	f.p("JGE 2(PC)")
	f.p("XORQ BX, BX")
	f.mask("BX", "K2")
	f.mask("DX", "K3")
	f.p("VMOVUPS.Z (SI), K1, Z0")
	f.p("VMOVUPS.Z 64(SI), K2, Z1")
	f.p("VPERMT2PS Z1, Z2, Z0")
	f.p("VMOVUPS Z0, K3, (DI)")
	f.p("SUBQ $16, DX")
	f.p("JLE s2_done")
	f.p("ADDQ $128, SI")
	f.p("ADDQ $64, DI")
	f.p("JMP s2_tail")
	f.label("s2_done")
	f.end()
}

// packS emits func gatherSAVX512(dst, src *float32, n, stride int)
// dst[t] = src[t*stride] for t < n.
func (f *file) packS() {
	f.text("gatherSAVX512", "func gatherSAVX512(dst, src *float32, n, stride int)", 0, 32)
	f.p("MOVQ dst+0(FP), DI")
	f.p("MOVQ src+8(FP), SI")
	f.p("MOVQ n+16(FP), DX")
	f.p("MOVQ stride+24(FP), BX")
	f.p("VMOVDQU32 packidx<>+64(SB), Z2")
	f.p("VPBROADCASTD BX, Z3")
	f.p("VPMULLD Z3, Z2, Z2") // lane t: t*stride
	f.p("SHLQ $6, BX")        // 16*stride floats, in bytes
	f.label("s_loop")
	f.p("TESTQ DX, DX")
	f.p("JLE s_done")
	f.mask("DX", "K1")
	f.p("VPXORD Z0, Z0, Z0")
	f.p("KMOVW K1, K2")
	f.p("VGATHERDPS (SI)(Z2*4), K2, Z0")
	f.p("VMOVUPS Z0, K1, (DI)")
	f.p("ADDQ BX, SI")
	f.p("ADDQ $64, DI")
	f.p("SUBQ $16, DX")
	f.p("JMP s_loop")
	f.label("s_done")
	f.end()
}

// tabPrefetch starts the misses of a table gather's first lanes: gathers,
// like masked loads, wait long on lines not in the cache on Zen 5. The
// three lines from lane 0's pixel (R8: the table, SI: the base) hold the
// 16 lanes of a stride-1 or -2 row; a lane in the padding (-1) prefetches
// the float before the base, which is harmless.
func (f *file) tabPrefetch() {
	f.p("MOVLQSX (R8), AX")
	f.p("PREFETCHT0 (SI)(AX*4)")
	f.p("PREFETCHT0 64(SI)(AX*4)")
	f.p("PREFETCHT0 128(SI)(AX*4)")
}

// packTab emits func gatherTabAVX512(dst, base *float32, tab *int32, n int)
// dst[t] = base[tab[t]] where tab[t] >= 0, else 0, for t < n.
func (f *file) packTab() {
	f.text("gatherTabAVX512", "func gatherTabAVX512(dst, base *float32, tab *int32, n int)", 0, 32)
	f.p("MOVQ dst+0(FP), DI")
	f.p("MOVQ base+8(FP), SI")
	f.p("MOVQ tab+16(FP), R8")
	f.p("MOVQ n+24(FP), DX")
	f.p("VPTERNLOGD $0xff, Z3, Z3, Z3") // all ones: -1
	f.label("t_loop")
	f.p("TESTQ DX, DX")
	f.p("JLE t_done")
	f.tabPrefetch()
	f.mask("DX", "K1")
	f.p("VMOVDQU32.Z (R8), K1, Z2")
	f.p("VPCMPGTD Z3, Z2, K1, K2") // lanes in range with tab > -1
	f.p("VPXORD Z0, Z0, Z0")
	f.p("VGATHERDPS (SI)(Z2*4), K2, Z0")
	f.p("VMOVUPS Z0, K1, (DI)")
	f.p("ADDQ $64, R8")
	f.p("ADDQ $64, DI")
	f.p("SUBQ $16, DX")
	f.p("JMP t_loop")
	f.label("t_done")
	f.end()
}

// packTabRow emits func packTabRowAVX512(dst, base *float32, tab *int32, n, lane, pstride int)
//
// One row of a packed B block through an im2col table: column j < n goes to
// lane (lane+j)%32 of panel (lane+j)/32, panels pstride bytes apart, from
// base[tab[j]] (0 where tab[j] < 0). lane must be a multiple of 16.
func (f *file) packTabRow() {
	f.text("packTabRowAVX512", "func packTabRowAVX512(dst, base *float32, tab *int32, n, lane, pstride int)", 0, 48)
	f.p("MOVQ dst+0(FP), DI")
	f.p("MOVQ base+8(FP), SI")
	f.p("MOVQ tab+16(FP), R8")
	f.p("MOVQ n+24(FP), DX")
	f.p("MOVQ lane+32(FP), BX")
	f.p("MOVQ pstride+40(FP), R9")
	// DI += (lane/32)*pstride + (lane%32)*4; R10 = half (0 or 1).
	f.p("MOVQ BX, AX")
	f.p("SHRQ $5, AX")
	f.p("IMULQ R9, AX")
	f.p("ADDQ AX, DI")
	f.p("MOVQ BX, R10")
	f.p("ANDQ $31, R10")
	f.p("LEAQ (DI)(R10*4), DI")
	f.p("SHRQ $4, R10")
	f.p("VPTERNLOGD $0xff, Z3, Z3, Z3")
	f.label("r_loop")
	f.p("TESTQ DX, DX")
	f.p("JLE r_done")
	f.tabPrefetch()
	f.mask("DX", "K1")
	f.p("VMOVDQU32.Z (R8), K1, Z2")
	f.p("VPCMPGTD Z3, Z2, K1, K2")
	f.p("VPXORD Z0, Z0, Z0")
	f.p("VGATHERDPS (SI)(Z2*4), K2, Z0")
	f.p("VMOVUPS Z0, K1, (DI)")
	f.p("ADDQ $64, R8")
	f.p("SUBQ $16, DX")
	f.p("XORQ $1, R10")
	f.p("JZ r_next_panel")
	f.p("ADDQ $64, DI")
	f.p("JMP r_loop")
	f.label("r_next_panel")
	f.p("ADDQ R9, DI")
	f.p("SUBQ $64, DI")
	f.p("JMP r_loop")
	f.label("r_done")
	f.end()
}

// packRun emits func packRunAVX512(dst, src *float32, n, lane, pstride, step, pf int)
//
// One run of an im2col row into a packed B block: column j < n, which is
// src[j*step] (step 1 or 2), goes to lane (lane+j)%32 of panel
// (lane+j)/32, panels pstride bytes apart. Pieces of up to 16 columns never
// cross a panel edge; masks keep loads within the run. pf, if non-zero, is
// the byte distance of a row to prefetch alongside (the next rows of a
// channel-strided matrix, which the hardware prefetcher does not foresee).
func (f *file) packRun() {
	f.text("packRunAVX512", "func packRunAVX512(dst, src *float32, n, lane, pstride, step, pf int)", 0, 56)
	f.p("MOVQ dst+0(FP), DI")
	f.p("MOVQ src+8(FP), SI")
	f.p("MOVQ n+16(FP), DX")
	f.p("MOVQ lane+24(FP), BX")
	f.p("MOVQ pstride+32(FP), R9")
	f.p("MOVQ step+40(FP), R11")
	f.p("MOVQ pf+48(FP), R14")
	f.p("MOVQ BX, AX")
	f.p("SHRQ $5, AX")
	f.p("IMULQ R9, AX")
	f.p("ADDQ AX, DI")
	f.p("ANDQ $31, BX") // lane within the panel
	f.p("VMOVDQU32 packidx<>(SB), Z2")
	f.label("run_loop")
	f.p("TESTQ DX, DX")
	f.p("JLE run_done")
	f.p("TESTQ R14, R14")
	f.p("JZ 2(PC)")
	f.p("PREFETCHT0 (SI)(R14*1)")
	// m = min(n, 16, 32 - lane) in R10
	f.p("MOVQ DX, R10")
	f.p("CMPQ R10, $16")
	f.p("JLE 2(PC)")
	f.p("MOVQ $16, R10")
	f.p("MOVQ $32, AX")
	f.p("SUBQ BX, AX")
	f.p("CMPQ R10, AX")
	f.p("JLE 2(PC)")
	f.p("MOVQ AX, R10")
	f.mask("R10", "K3") // store mask
	f.p("LEAQ (DI)(BX*4), R12")
	f.p("CMPQ R11, $1")
	f.p("JNE run_s2")
	f.p("VMOVUPS.Z (SI), K3, Z0")
	f.p("VMOVUPS Z0, K3, (R12)")
	f.p("LEAQ (SI)(R10*4), SI")
	f.p("JMP run_next")
	f.label("run_s2")
	// 2m-1 source floats: low and high vector masks.
	f.p("LEAQ -1(R10)(R10*1), R13")
	f.mask("R13", "K1")
	f.p("SUBQ $16, R13")
	f.p("JGE 2(PC)")
	f.p("XORQ R13, R13")
	f.mask("R13", "K2")
	f.p("VMOVUPS.Z (SI), K1, Z0")
	f.p("VMOVUPS.Z 64(SI), K2, Z1")
	f.p("VPERMT2PS Z1, Z2, Z0")
	f.p("VMOVUPS Z0, K3, (R12)")
	f.p("LEAQ (SI)(R10*8), SI")
	f.label("run_next")
	f.p("SUBQ R10, DX")
	f.p("ADDQ R10, BX")
	f.p("CMPQ BX, $32")
	f.p("JLT run_loop")
	f.p("XORQ BX, BX")
	f.p("ADDQ R9, DI")
	f.p("JMP run_loop")
	f.label("run_done")
	f.end()
}
