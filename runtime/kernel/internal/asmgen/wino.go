package asmgen

// The AVX-512 Winograd F(4x4,3x3) input and output transforms
// (winograd_amd64.s). Lanes are 16 tiles; their pixels are gathered and
// scattered through per-tile offsets, so tiles of any map size (and of
// several images) share one vector, and k-masks do the zero padding and
// the clipping at the map's edges.

import "fmt"

func winoFile(f *file) {
	vals := []string{"$4.0", "$5.0", "$2.0", "$8.0"}
	// Lanes 0..7 pick every fourth float of two vectors.
	for i := 0; i < 16; i++ {
		vals = append(vals, fmt.Sprintf("$%d", 4*(i%8)))
	}
	f.data("wconst", vals...)
	f.winoIn()
	f.winoOut()
}

func z(i int) string { return fmt.Sprintf("Z%d", i) }

// Constant registers.
const (
	c4   = "Z28"
	c5   = "Z29"
	c2   = "Z30"
	c8   = "Z27"
	vidx = "Z31"
	ridx = "Z26"
)

// winoBT applies B^T to d[0..5] (register numbers), writing t[0..5]; s are 2
// scratch registers.
func (f *file) winoBT(d, t []int, s0, s1 int) {
	a, b := z(s0), z(s1)
	// t1 = (d4 - 4d2) + (d3 - 4d1), t2 = (d4 - 4d2) - (d3 - 4d1)
	f.p("VMOVAPS %s, %s", z(d[4]), a)
	f.p("VFNMADD231PS %s, %s, %s", c4, z(d[2]), a)
	f.p("VMOVAPS %s, %s", z(d[3]), b)
	f.p("VFNMADD231PS %s, %s, %s", c4, z(d[1]), b)
	f.p("VADDPS %s, %s, %s", b, a, z(t[1]))
	f.p("VSUBPS %s, %s, %s", b, a, z(t[2]))
	// t3 = (d4 - d2) + 2(d3 - d1), t4 = (d4 - d2) - 2(d3 - d1)
	f.p("VSUBPS %s, %s, %s", z(d[2]), z(d[4]), a)
	f.p("VSUBPS %s, %s, %s", z(d[1]), z(d[3]), b)
	f.p("VMOVAPS %s, %s", a, z(t[3]))
	f.p("VFMADD231PS %s, %s, %s", c2, b, z(t[3]))
	f.p("VMOVAPS %s, %s", a, z(t[4]))
	f.p("VFNMADD231PS %s, %s, %s", c2, b, z(t[4]))
	// t0 = 4d0 - 5d2 + d4, t5 = 4d1 - 5d3 + d5
	f.p("VMOVAPS %s, %s", z(d[4]), z(t[0]))
	f.p("VFNMADD231PS %s, %s, %s", c5, z(d[2]), z(t[0]))
	f.p("VFMADD231PS %s, %s, %s", c4, z(d[0]), z(t[0]))
	f.p("VMOVAPS %s, %s", z(d[5]), z(t[5]))
	f.p("VFNMADD231PS %s, %s, %s", c5, z(d[3]), z(t[5]))
	f.p("VFMADD231PS %s, %s, %s", c4, z(d[1]), z(t[5]))
}

// winoAT applies A^T to m[0..5], writing y[0..3]; s are 4 scratch registers.
func (f *file) winoAT(m, y []int, s []int) {
	a, b, c, d := z(s[0]), z(s[1]), z(s[2]), z(s[3])
	f.p("VADDPS %s, %s, %s", z(m[2]), z(m[1]), a)
	f.p("VSUBPS %s, %s, %s", z(m[2]), z(m[1]), b)
	f.p("VADDPS %s, %s, %s", z(m[4]), z(m[3]), c)
	f.p("VSUBPS %s, %s, %s", z(m[4]), z(m[3]), d)
	f.p("VADDPS %s, %s, %s", a, z(m[0]), z(y[0]))
	f.p("VADDPS %s, %s, %s", c, z(y[0]), z(y[0]))
	f.p("VMOVAPS %s, %s", b, z(y[1]))
	f.p("VFMADD231PS %s, %s, %s", c2, d, z(y[1]))
	f.p("VMOVAPS %s, %s", a, z(y[2]))
	f.p("VFMADD231PS %s, %s, %s", c4, c, z(y[2]))
	f.p("VADDPS %s, %s, %s", b, z(m[5]), z(y[3]))
	f.p("VFMADD231PS %s, %s, %s", c8, d, z(y[3]))
}

// winoConsts loads the transforms' constants into their registers.
func (f *file) winoConsts() {
	f.p("LEAQ wconst<>(SB), AX")
	f.p("VBROADCASTSS 0(AX), %s", c4)
	f.p("VBROADCASTSS 4(AX), %s", c5)
	f.p("VBROADCASTSS 8(AX), %s", c2)
	f.p("VBROADCASTSS 12(AX), %s", c8)
}

// winoIn emits func winoInAVX512(a *winoInArgs)
//
// For each of a.nc channels: gather the 6x6 patch of 16 tiles (masked
// lanes read as zero), V = B^T d B, store V's 36 vectors a.estride apart.
func (f *file) winoIn() {
	f.text("winoInAVX512", "func winoInAVX512(a *winoInArgs)", 0, 8)
	f.p("MOVQ a+0(FP), R8")
	f.p("MOVQ winoInArgs_src(R8), SI") // src channel base
	f.p("MOVQ winoInArgs_idx(R8), AX")
	f.p("VMOVDQU32 (AX), %s", vidx)
	f.p("MOVQ winoInArgs_masks(R8), R9")
	f.p("MOVQ winoInArgs_dst(R8), DI")
	f.p("MOVQ winoInArgs_plane(R8), R10") // plane bytes
	f.p("MOVQ winoInArgs_estride(R8), R11")
	f.p("MOVQ winoInArgs_cstride(R8), R12")
	f.p("MOVQ winoInArgs_rowb(R8), R13") // row bytes
	f.p("MOVQ winoInArgs_nc(R8), CX")    // channels
	f.p("MOVQ winoInArgs_tmp(R8), BX")
	// Byte offsets of the first and last lane's patch, for prefetching
	// the channel two ahead: gathers expose the full memory latency.
	f.p("MOVQ winoInArgs_idx(R8), AX")
	f.p("MOVLQSX 0(AX), R14")
	f.p("SHLQ $2, R14")
	f.p("MOVLQSX 60(AX), R15")
	f.p("SHLQ $2, R15")
	f.winoConsts()
	f.label("winoIn_chan")
	f.p("LEAQ (SI)(R10*2), DX")
	for r := 0; r < 6; r++ {
		for l := 0; l < 5; l++ {
			f.p("PREFETCHT0 %d(DX)(R14*1)", 64*l)
		}
		f.p("PREFETCHT0 0(DX)(R15*1)")
		f.p("PREFETCHT0 24(DX)(R15*1)")
		f.p("ADDQ R13, DX")
	}
	f.p("MOVQ SI, DX") // row base
	for r := 0; r < 6; r++ {
		for c := 0; c < 6; c++ {
			// Padding lanes stay zero; an all-padding gather is skipped
			// (an all-zero mask costs as much as a full gather here).
			f.p("VPXORD %s, %s, %s", z(c), z(c), z(c))
			f.p("KMOVW %d(R9), K1", 2*(r*6+c))
			f.p("KORTESTW K1, K1")
			f.p("JZ 2(PC)")
			f.p("VGATHERDPS %d(DX)(%s*4), K1, %s", 4*c, vidx, z(c))
		}
		f.winoBT([]int{0, 1, 2, 3, 4, 5}, []int{6, 7, 8, 9, 10, 11}, 12, 13)
		for c := 0; c < 6; c++ {
			f.p("VMOVUPS %s, %d(BX)", z(6+c), 64*(r*6+c))
		}
		if r < 5 {
			f.p("ADDQ R13, DX")
		}
	}
	// Columns: V[i][k] = B^T applied down column k of tmp.
	f.p("MOVQ DI, DX")
	for k := 0; k < 6; k++ {
		for r := 0; r < 6; r++ {
			f.p("VMOVUPS %d(BX), %s", 64*(r*6+k), z(r))
		}
		f.winoBT([]int{0, 1, 2, 3, 4, 5}, []int{6, 7, 8, 9, 10, 11}, 12, 13)
		// element e = i*6 + k lives at dst + e*estride.
		for i := 0; i < 6; i++ {
			e := i*6 + k
			f.p("MOVQ R11, AX")
			f.p("IMULQ $%d, AX", e)
			f.p("VMOVUPS %s, (DI)(AX*1)", z(6+i))
		}
	}
	f.p("ADDQ R10, SI")
	f.p("ADDQ R12, DI")
	f.p("DECQ CX")
	f.p("JNZ winoIn_chan")
	f.end()
}

// winoOut emits func winoOutAVX512(a *winoOutArgs)
//
// For each of a.nc output channels: load the 36 vectors of M, Y = A^T M A,
// add bias and residual, clamp, and scatter the 4x4 pixels of 16 tiles
// (masked to the map).
func (f *file) winoOut() {
	f.text("winoOutAVX512", "func winoOutAVX512(a *winoOutArgs)", 8, 8)
	f.p("MOVQ a+0(FP), R8")
	f.p("MOVQ winoOutArgs_m(R8), SI")
	f.p("MOVQ winoOutArgs_estride(R8), R11")
	f.p("MOVQ winoOutArgs_dst(R8), DI")
	f.p("MOVQ winoOutArgs_idx(R8), AX")
	f.p("VMOVDQU32 (AX), %s", vidx)
	f.p("MOVQ winoOutArgs_res(R8), R12")
	f.p("MOVQ winoOutArgs_ridx(R8), AX")
	f.p("VMOVDQU32 (AX), %s", ridx)
	f.p("MOVQ winoOutArgs_masks(R8), R9")
	f.p("MOVQ winoOutArgs_bias(R8), R10")
	f.p("MOVQ winoOutArgs_nc(R8), CX") // channels
	f.p("MOVQ winoOutArgs_flags(R8), R14")
	f.p("MOVQ winoOutArgs_tmp(R8), BX")
	f.p("MOVQ winoOutArgs_roww(R8), R13") // row bytes
	f.winoConsts()
	f.label("winoOut_chan")
	// Rows of M: t[i][col] = A^T along the row.
	for i := 0; i < 6; i++ {
		for k := 0; k < 6; k++ {
			e := i*6 + k
			f.p("MOVQ R11, AX")
			f.p("IMULQ $%d, AX", e)
			f.p("VMOVUPS (SI)(AX*1), %s", z(k))
		}
		f.winoAT([]int{0, 1, 2, 3, 4, 5}, []int{6, 7, 8, 9}, []int{10, 11, 12, 13})
		for c := 0; c < 4; c++ {
			f.p("VMOVUPS %s, %d(BX)", z(6+c), 64*(i*4+c))
		}
	}
	// The bias, broadcast (zero without fBias).
	f.p("VPXORD Z20, Z20, Z20")
	f.p("TESTQ $const_fBias, R14")
	f.p("JZ winoOut_nobias")
	f.p("VBROADCASTSS (R10), Z20")
	f.label("winoOut_nobias")
	for c := 0; c < 4; c++ {
		for i := 0; i < 6; i++ {
			f.p("VMOVUPS %d(BX), %s", 64*(i*4+c), z(i))
		}
		f.winoAT([]int{0, 1, 2, 3, 4, 5}, []int{6, 7, 8, 9}, []int{10, 11, 12, 13})
		ys := []string{z(6), z(7), z(8), z(9)}
		for r, y := range ys {
			f.p("VADDPS Z20, %s, %s", y, y)
			// Row r of the tile: rows are R13 bytes apart.
			f.p("TESTQ $const_fRes, R14")
			f.p("JZ winoOut_nores_%d_%d", c, r)
			f.p("MOVQ R13, AX")
			f.p("IMULQ $%d, AX", r)
			f.p("LEAQ (R12)(AX*1), DX")
			f.p("VPXORD Z14, Z14, Z14")
			f.p("KMOVW %d(R9), K1", 2*(r*4+c))
			f.p("KORTESTW K1, K1")
			f.p("JZ 2(PC)")
			f.p("VGATHERDPS %d(DX)(%s*4), K1, Z14", 4*c, ridx)
			f.p("VADDPS Z14, %s, %s", y, y)
			f.label(fmt.Sprintf("winoOut_nores_%d_%d", c, r))
		}
		// The activation's clamp, once for the column's four rows.
		f.clamp(ys, "R14", "R8", "winoOutArgs", []string{"Z10", "Z11"}, "K3", fmt.Sprintf("winoOut_%d", c))
		for r, y := range ys {
			f.p("MOVQ R13, AX")
			f.p("IMULQ $%d, AX", r)
			f.p("LEAQ (DI)(AX*1), DX")
			f.p("KMOVW %d(R9), K1", 2*(r*4+c))
			f.p("KORTESTW K1, K1")
			f.p("JZ 2(PC)")
			f.p("VSCATTERDPS %s, K1, %d(DX)(%s*4)", y, 4*c, vidx)
		}
	}
	f.p("ADDQ winoOutArgs_mrow(R8), SI")  // next cout row of M
	f.p("ADDQ winoOutArgs_plane(R8), DI") // next output plane
	f.p("ADDQ winoOutArgs_plane(R8), R12")
	f.p("ADDQ $4, R10")
	f.p("DECQ CX")
	f.p("JNZ winoOut_chan")
	f.end()
}
