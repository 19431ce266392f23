package asmgen

// The AVX-512 kernels of batch-1..8 dense layers (gemv_amd64.s): 4
// weight rows against nv input vectors, streaming the rows once.

import "fmt"

func gemvFile(f *file) {
	f.gemv(1)
	f.gemv(4)
}

// gemv emits func gemvAVX512x<nv>(a *gemvArgs): y[v][r] = row_r · x_v for
// 4 rows r of w and nv vectors v.
//
// Registers: SI = w, R9 = row bytes, R10 = 3 * row bytes, DX = x,
// R11 = x stride bytes, R12 = 3 * x stride, CX = full vectors, BX = tail
// mask; accumulators Z0.. (r*nv+v), rows Z16..Z19, vectors Z20..Z23.
func (f *file) gemv(nv int) {
	name := fmt.Sprintf("gemvAVX512x%d", nv)
	f.text(name, "func "+name+"(a *gemvArgs)", 0, 8)
	f.p("MOVQ a+0(FP), R8")
	f.p("MOVQ gemvArgs_w(R8), SI")
	f.p("MOVQ gemvArgs_ldw(R8), R9")
	f.p("LEAQ (R9)(R9*2), R10")
	f.p("MOVQ gemvArgs_x(R8), DX")
	f.p("MOVQ gemvArgs_ldx(R8), R11")
	f.p("LEAQ (R11)(R11*2), R12")
	f.p("MOVQ gemvArgs_full(R8), CX")
	f.p("MOVQ gemvArgs_mask(R8), BX")
	acc := func(r, v int) string { return fmt.Sprintf("Z%d", r*nv+v) }
	for r := 0; r < 4; r++ {
		for v := 0; v < nv; v++ {
			f.p("VPXORD %s, %s, %s", acc(r, v), acc(r, v), acc(r, v))
		}
	}
	row := []string{"(SI)", "(SI)(R9*1)", "(SI)(R9*2)", "(SI)(R10*1)"}
	vec := []string{"(DX)", "(DX)(R11*1)", "(DX)(R11*2)", "(DX)(R12*1)"}
	body := func(mask string) {
		for r := 0; r < 4; r++ {
			if mask == "" {
				f.p("VMOVUPS %s, Z%d", row[r], 16+r)
			} else {
				f.p("VMOVUPS.Z %s, %s, Z%d", row[r], mask, 16+r)
			}
		}
		for v := 0; v < nv; v++ {
			if mask == "" {
				f.p("VMOVUPS %s, Z%d", vec[v], 20+v)
			} else {
				f.p("VMOVUPS.Z %s, %s, Z%d", vec[v], mask, 20+v)
			}
		}
		for r := 0; r < 4; r++ {
			for v := 0; v < nv; v++ {
				f.p("VFMADD231PS Z%d, Z%d, %s", 16+r, 20+v, acc(r, v))
			}
		}
	}
	f.p("TESTQ CX, CX")
	f.p("JZ %s_tail", name)
	f.label(name + "_loop")
	body("")
	f.p("ADDQ $64, SI")
	f.p("ADDQ $64, DX")
	f.p("DECQ CX")
	f.p("JNZ %s_loop", name)
	f.label(name + "_tail")
	f.p("TESTQ BX, BX")
	f.p("JZ %s_sum", name)
	f.p("KMOVW BX, K1")
	body("K1")
	f.label(name + "_sum")
	// y[v*ystride + r] = horizontal sum of acc(r, v).
	f.p("MOVQ gemvArgs_y(R8), DI")
	f.p("MOVQ gemvArgs_ldy(R8), R13")
	for v := 0; v < nv; v++ {
		for r := 0; r < 4; r++ {
			a := acc(r, v)
			y := "Y" + a[1:]
			x := "X" + a[1:]
			f.p("VEXTRACTF64X4 $1, %s, Y24", a)
			f.p("VADDPS Y24, %s, %s", y, y)
			f.p("VEXTRACTF32X4 $1, %s, X24", y)
			f.p("VADDPS X24, %s, %s", x, x)
			f.p("VHADDPS %s, %s, %s", x, x, x)
			f.p("VHADDPS %s, %s, %s", x, x, x)
			f.p("VMOVSS %s, %d(DI)", x, 4*r)
		}
		if v < nv-1 {
			f.p("ADDQ R13, DI")
		}
	}
	f.end()
}
