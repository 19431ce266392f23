package asmgen

// The SGEMM micro-kernels (sgemm_amd64.s): the same
// load-broadcast-FMA loop for every register tile.

import "fmt"

// aDist is how many unrolled steps ahead the kernels prefetch A.
const aDist = 8

// A tile describes one kernel: mr rows of nv vectors of width vw floats.
type tile struct {
	name   string
	mr, nv int
	reg    string // "Z" or "Y"
	vw     int    // floats per vector
	unroll int
	// strideA: A is read as rows lda bytes apart (kparams.lda)
	// instead of a packed panel: the transposed small-map GEMM reads the
	// im2col block's rows in place.
	strideA bool
	// indB: row k of B is at b + 4*boff[k] (kparams.boff, int32
	// offsets in floats) instead of a packed panel: the direct convolution
	// reads its (phase-split, padded) input in place.
	indB bool
	// indA (with strideA): row k of A is at a + 4*offs[k] (kparams.boff):
	// the transposed GEMM reads pixels from phase planes in place.
	indA bool
}

func (t tile) acc(i, v int) string { return fmt.Sprintf("%s%d", t.reg, i*t.nv+v) }

func sgemmFile(f *file) {
	f.sgemm(tile{"sgemmAVX512x8", 8, 2, "Z", 16, 4, false, false, false})
	f.sgemm(tile{"sgemmAVX512x12", 12, 2, "Z", 16, 4, false, false, false})
	f.sgemm(tile{"sgemmAVX512x7", 7, 2, "Z", 16, 4, true, false, false})
	f.sgemm(tile{"sgemmAVX512x8x16", 8, 1, "Z", 16, 4, false, false, false})
	f.sgemm(tile{"sgemmAVX2x6", 6, 2, "Y", 8, 4, false, false, false})
	f.sgemm(tile{"sgemmAVX512x8i", 8, 2, "Z", 16, 4, false, true, false})
	f.sgemm(tile{"sgemmAVX512x8x16i", 8, 1, "Z", 16, 4, false, true, false})
	f.sgemm(tile{"sgemmAVX512x7i", 7, 2, "Z", 16, 4, true, false, true})
}

// prefetchW emits PREFETCHW off(AX), which the Go assembler lacks:
// 0F 0D /1, fetching the line for writing.
func (f *file) prefetchW(off int) {
	if off == 0 {
		f.p("BYTE $0x0F; BYTE $0x0D; BYTE $0x08 // PREFETCHW (AX)")
		return
	}
	f.p("BYTE $0x0F; BYTE $0x0D; BYTE $0x48; BYTE $0x%02X // PREFETCHW %d(AX)", off, off)
}

// rowGuard, for kernels with a row count (kparams.rows in R15), skips the
// rest of a section from row i on when i >= rows.
func (f *file) rowGuard(t tile, i int, end string) {
	if t.indB && i > 0 {
		f.p("CMPQ R15, $%d", i)
		f.p("JLE %s", end)
	}
}

// sgemm emits func name(a, b, c unsafe.Pointer, p *kparams).
//
// Registers: SI = A panel, DX = B panel, DI = C, R8 = params, CX = k,
// R9 = ldc, R10 = flags; accumulators first, then the B vectors, then
// broadcast temporaries.
func (f *file) sgemm(t tile) {
	nacc := t.mr * t.nv
	b0 := nacc
	bc := []int{}
	nregs := 32
	if t.reg == "Y" {
		nregs = 16
	}
	for r := b0 + t.nv; r < nregs; r++ {
		bc = append(bc, r)
	}
	reg := func(i int) string { return fmt.Sprintf("%s%d", t.reg, i) }
	vb := t.vw * 4 // bytes per vector
	rowA := t.mr * 4
	rowB := t.nv * vb

	f.text(t.name, "func "+t.name+"(a, b, c unsafe.Pointer, p *kparams)", 0, 32)
	f.p("MOVQ a+0(FP), SI")
	f.p("MOVQ b+8(FP), DX")
	f.p("MOVQ c+16(FP), DI")
	f.p("MOVQ p+24(FP), R8")
	f.p("MOVQ kparams_k(R8), CX")
	f.p("MOVQ kparams_ldc(R8), R9")
	f.p("MOVQ kparams_flags(R8), R10")
	if t.strideA {
		f.p("MOVQ kparams_lda(R8), R12")
		// kparams.pf: bytes from B to where to prefetch (a share of the
		// next panel, while this one is served from L1), advancing
		// kparams.pfstep bytes a step.
		f.p("MOVQ kparams_pf(R8), R14")
		f.p("ADDQ DX, R14")
		f.p("MOVQ kparams_pfstep(R8), BX")
	}
	if t.indB || t.indA {
		f.p("MOVQ kparams_boff(R8), R13")
	}
	if t.reg == "Z" && !t.strideA {
		// Fetch the C tile and the residual now: the K loop hides their
		// latency. Tiles go to as many channel planes as there are rows
		// of A, too many streams for the hardware prefetchers, so without
		// this every tile waited on memory in its epilogue (1x1 layers
		// with a residual at 56x56: 2x).
		f.p("MOVQ DI, AX")
		for i := 0; i < t.mr; i++ {
			f.prefetchW(0)
			if t.nv == 2 {
				f.prefetchW(64)
			}
			f.p("ADDQ R9, AX")
		}
		f.p("TESTQ $const_fRes, R10")
		f.p("JZ %s_nopf", t.name)
		f.p("MOVQ kparams_res(R8), AX")
		f.p("MOVQ kparams_ldr(R8), BX")
		for i := 0; i < t.mr; i++ {
			f.p("PREFETCHT0 0(AX)")
			if t.nv == 2 {
				f.p("PREFETCHT0 64(AX)")
			}
			f.p("ADDQ BX, AX")
		}
		f.label(t.name + "_nopf")
	}
	if t.indB {
		// kparams.pf: bytes from B to the columns to prefetch (the next
		// stripe of a 1x1 layer's rows, read in place).
		f.p("MOVQ kparams_pf(R8), BX")
		f.p("ADDQ DX, BX")
	}
	for i := 0; i < nacc; i++ {
		if t.reg == "Z" {
			f.p("VPXORD %s, %s, %s", reg(i), reg(i), reg(i))
		} else {
			f.p("VXORPS %s, %s, %s", reg(i), reg(i), reg(i))
		}
	}
	step := func(off int) {
		// B vectors of step off.
		if t.indB {
			f.p("MOVLQSX %d(R13), R11", 4*off)
			for v := 0; v < t.nv; v++ {
				f.p("VMOVUPS %d(DX)(R11*4), %s", v*vb, reg(b0+v))
			}
			for v := 0; v < t.nv; v++ {
				f.p("PREFETCHT0 %d(BX)(R11*4)", v*64)
			}
		} else {
			for v := 0; v < t.nv; v++ {
				f.p("VMOVUPS %d(DX), %s", off*rowB+v*vb, reg(b0+v))
			}
		}
		aoff := off * rowA
		if t.strideA {
			aoff = 0
		}
		abase := "(SI)"
		if t.indA {
			f.p("MOVLQSX %d(R13), R11", 4*off)
			abase = "(SI)(R11*4)"
		}
		for i := 0; i < t.mr; i++ {
			r := reg(bc[i%len(bc)])
			f.p("VBROADCASTSS %d%s, %s", aoff+4*i, abase, r)
			for v := 0; v < t.nv; v++ {
				f.p("VFMADD231PS %s, %s, %s", reg(b0+v), r, t.acc(i, v))
			}
		}
		if t.strideA {
			if !t.indA {
				f.p("ADDQ R12, SI")
			}
			f.p("PREFETCHT0 (R14)")
			f.p("ADDQ BX, R14")
		}
	}
	f.p("CMPQ CX, $%d", t.unroll)
	f.p("JLT %s_tail", t.name)
	f.label(t.name + "_loop")
	if t.reg == "Z" && !t.strideA {
		// A streams from L2 or L3 while B sits in L1: fetch A a few
		// steps ahead (measured ~5-20% on 512-channel 7x7 layers).
		for off := 0; off < t.unroll*rowA; off += 64 {
			f.p("PREFETCHT0 %d(SI)", aDist*t.unroll*rowA+off)
		}
	}
	for u := 0; u < t.unroll; u++ {
		step(u)
	}
	if !t.strideA {
		f.p("ADDQ $%d, SI", t.unroll*rowA)
	}
	if t.indB || t.indA {
		f.p("ADDQ $%d, R13", 4*t.unroll)
	}
	if !t.indB {
		f.p("ADDQ $%d, DX", t.unroll*rowB)
	}
	f.p("SUBQ $%d, CX", t.unroll)
	f.p("CMPQ CX, $%d", t.unroll)
	f.p("JGE %s_loop", t.name)
	f.label(t.name + "_tail")
	f.p("TESTQ CX, CX")
	f.p("JZ %s_epi", t.name)
	step(0)
	if !t.strideA {
		f.p("ADDQ $%d, SI", rowA)
	}
	if t.indB || t.indA {
		f.p("ADDQ $4, R13")
	}
	if !t.indB {
		f.p("ADDQ $%d, DX", rowB)
	}
	f.p("DECQ CX")
	f.p("JMP %s_tail", t.name)

	f.label(t.name + "_epi")
	if t.indB {
		// kparams.rows: the rows of C that exist (0: all); the rest of
		// the tile is neither loaded nor stored.
		f.p("MOVQ kparams_rows(R8), R15")
		f.p("TESTQ R15, R15")
		f.p("JNZ 2(PC)")
		f.p("MOVQ $%d, R15", t.mr)
	}
	masked := t.reg == "Z"
	mk := func(v int) string { return fmt.Sprintf("K%d", v+1) }
	if masked {
		// Column masks: a tile at the right edge of C stores only its
		// columns, loads of C and the residual likewise.
		f.p("MOVQ kparams_nmask(R8), AX")
		f.p("KMOVW AX, K1")
		f.p("SHRQ $16, AX")
		f.p("KMOVW AX, K2")
	}
	// fAccum: add the partial sums already in C.
	f.p("TESTQ $const_fAccum, R10")
	f.p("JZ %s_noacc", t.name)
	f.p("MOVQ DI, AX")
	for i := 0; i < t.mr; i++ {
		f.rowGuard(t, i, t.name+"_noacc")
		for v := 0; v < t.nv; v++ {
			if masked {
				f.p("VADDPS.Z %d(AX), %s, %s, %s", v*vb, t.acc(i, v), mk(v), t.acc(i, v))
			} else {
				f.p("VADDPS %d(AX), %s, %s", v*vb, t.acc(i, v), t.acc(i, v))
			}
		}
		f.p("ADDQ R9, AX")
	}
	f.label(t.name + "_noacc")
	// fBias: a per-row constant.
	f.p("TESTQ $const_fBias, R10")
	f.p("JZ %s_nobias", t.name)
	f.p("MOVQ kparams_bias(R8), AX")
	for i := 0; i < t.mr; i++ {
		f.rowGuard(t, i, t.name+"_nobias")
		r := reg(bc[i%len(bc)])
		f.p("VBROADCASTSS %d(AX), %s", 4*i, r)
		for v := 0; v < t.nv; v++ {
			f.p("VADDPS %s, %s, %s", r, t.acc(i, v), t.acc(i, v))
		}
	}
	f.label(t.name + "_nobias")
	// fRes: the residual tile, row stride kparams.ldr.
	f.p("TESTQ $const_fRes, R10")
	f.p("JZ %s_nores", t.name)
	f.p("MOVQ kparams_res(R8), AX")
	f.p("MOVQ kparams_ldr(R8), BX")
	for i := 0; i < t.mr; i++ {
		f.rowGuard(t, i, t.name+"_nores")
		for v := 0; v < t.nv; v++ {
			if masked {
				f.p("VADDPS.Z %d(AX), %s, %s, %s", v*vb, t.acc(i, v), mk(v), t.acc(i, v))
			} else {
				f.p("VADDPS %d(AX), %s, %s", v*vb, t.acc(i, v), t.acc(i, v))
			}
		}
		f.p("ADDQ BX, AX")
	}
	f.label(t.name + "_nores")
	// The activation's clamp, in free registers: the B vectors' and the
	// broadcasts'.
	accs := make([]string, nacc)
	for i := range accs {
		accs[i] = reg(i)
	}
	tmp := []string{}
	for r := b0; r < nregs && len(tmp) < 4; r++ {
		tmp = append(tmp, reg(r))
	}
	f.clamp(accs, "R10", "R8", "kparams", tmp, "K3", t.name)
	f.p("MOVQ DI, AX")
	for i := 0; i < t.mr; i++ {
		f.rowGuard(t, i, t.name+"_done")
		for v := 0; v < t.nv; v++ {
			if masked {
				f.p("VMOVUPS %s, %s, %d(AX)", t.acc(i, v), mk(v), v*vb)
			} else {
				f.p("VMOVUPS %s, %d(AX)", t.acc(i, v), v*vb)
			}
		}
		f.p("ADDQ R9, AX")
	}
	f.label(t.name + "_done")
	f.end()
}
