package kernel

import (
	"unsafe"

	"github.com/cnnc/cnnc/internal/hugepage"
)

// Winograd F(4x4,3x3) computes each 4x4 output tile from a 6x6 input patch
// with 36 multiplies per (input, output) channel pair instead of 144
// (Lavin & Gray, arXiv 1509.09308): V = B^T d B per input tile and channel,
// U = G g G^T per weight (once, at load), then for each of the 36 elements
// a GEMM M_e = U_e · V_e over channels, and Y = A^T M A per output tile.
//
// Tiles are processed in chunks of nb (several images' tiles side by side),
// so each chunk's V and M stay near the cache and the 36 GEMMs get a wide
// N even for small maps; each chunk is one task, split by output channels
// too when there are fewer chunks than workers.
type winograd struct {
	p      ConvParams
	oh, ow int
	tx, ty int // tiles across and down
	u      [36]*PackedA
	u16    [36]*PackedA // the same weights for the 8x16 kernel, or nil
	nb     int          // tiles per chunk, a multiple of 32
	asm    bool
}

// useWinograd reports whether p is a convolution Winograd F(4x4,3x3) can
// compute, with channels enough to amortise the transforms.
func useWinograd(p ConvParams) bool {
	return p.KH == 3 && p.KW == 3 && p.SH == 1 && p.SW == 1 && p.DH == 1 && p.DW == 1 &&
		p.Groups == 1 && p.C >= 16 && p.Cout >= 16
}

// winoMinTiles is the batch's tile count below which the 36 GEMMs are too
// narrow for the 32-wide register tile and im2col wins.
const winoMinTiles = 16

// The transform matrices of F(4x4,3x3); B^T and A^T are in bt and at.
var winoG = [6][3]float64{
	{1.0 / 4, 0, 0},
	{-1.0 / 6, -1.0 / 6, -1.0 / 6},
	{-1.0 / 6, 1.0 / 6, -1.0 / 6},
	{1.0 / 24, 1.0 / 12, 1.0 / 6},
	{1.0 / 24, -1.0 / 12, 1.0 / 6},
	{0, 0, 1},
}

func newWinograd(p ConvParams, weight []float32) *winograd {
	w := &winograd{p: p, oh: p.OutH(), ow: p.OutW(), asm: isa == AVX512}
	w.tx, w.ty = (w.ow+3)/4, (w.oh+3)/4
	w.nb = winoChunk(p)
	// U = G g G^T, in float64, written straight into the 36 packed
	// matrices: a plain [e][o][c] copy first would be as large as they are.
	kern := pickKernel(isa, p.Cout)
	for e := range w.u {
		w.u[e] = newPackedA(kern, p.Cout, p.C, hugepage.Keep)
	}
	col, kc := w.u[0].offsets()
	mr := w.u[0].mr
	for o := 0; o < p.Cout; o++ {
		for c := 0; c < p.C; c++ {
			g := weight[(o*p.C+c)*9:][:9]
			var gg [6][3]float64
			for i := 0; i < 6; i++ {
				for j := 0; j < 3; j++ {
					for k := 0; k < 3; k++ {
						gg[i][j] += winoG[i][k] * float64(g[k*3+j])
					}
				}
			}
			at := col[c] + o/mr*mr*kc[c] + o%mr
			for i := 0; i < 6; i++ {
				for j := 0; j < 6; j++ {
					var s float64
					for k := 0; k < 3; k++ {
						s += gg[i][k] * winoG[j][k]
					}
					w.u[i*6+j].data[at] = float32(s)
				}
			}
		}
	}
	for e, a := range w.u {
		if a.kern == kAVX512x8x32 {
			// Packed A does not depend on the kernel's width: share it.
			w.u16[e] = &PackedA{M: a.M, K: a.K, isa: a.isa, kern: kAVX512x8x16, mr: 8, nr: 16, kc: a.kc, data: a.data}
		}
	}
	return w
}

// tiles reports the tile count of n images.
func (w *winograd) tiles(n int) int { return n * w.tx * w.ty }

// winoChunk is the tiles per chunk, nb: it keeps a chunk's V and M
// (36 * (C + Cout) * nb floats) near 1.5 MB.
func winoChunk(p ConvParams) int {
	return max(32, min(256, (512<<10)/(144*(p.C+p.Cout))/32*32))
}

// Per-slot scratch: V (36 x C x nb), M (36 x Cout x nb) and an edge tile.
func (w *winograd) slotSize() int { return winoSlotSize(w.p) }

func winoSlotSize(p ConvParams) int {
	nb := winoChunk(p)
	nbp := (nb + 31) / 32 * 32
	return 36*(p.C*nbp+ePad) + 36*(p.Cout*nb+ePad) + 12*32
}

// ePad pads the stride between the 36 element matrices of V and M by one
// cache line: unpadded, it is a multiple of 4 KB, and the 36 vectors a
// transform loads or stores for one tile group all fall in one L1 set
// (12 ways), which halved the transforms' speed.
const ePad = 16

// winoSlot is one worker's transform state.
type winoSlot struct {
	in    winoInArgs
	out   winoOutArgs
	idx   [16]int32
	oidx  [16]int32
	ridx  [16]int32
	imask [36]uint16
	omask [16]uint16
	tmp   [36 * 16]float32
}

func (w *winograd) run(pool *Pool, c *Conv, t *convTask, scratch []float32) {
	slots := slotsFor(pool, scratch, 0, w.slotSize())
	t.scratch, t.per = scratch, w.slotSize()
	for len(t.wslots) < slots {
		t.wslots = append(t.wslots, new(winoSlot))
	}
	par := slots
	if c.p.MACs()*int64(t.n) < minParallelWork {
		par = 1
	}
	// Chunks of at most nb tiles, as many as a multiple of the workers and
	// of equal size, so no worker waits on a last short chunk.
	tiles := w.tiles(t.n)
	chunks := (tiles + w.nb - 1) / w.nb
	if chunks >= par {
		chunks = (chunks + par - 1) / par * par
	}
	t.wchunk = (tiles + chunks - 1) / chunks
	chunks = (tiles + t.wchunk - 1) / t.wchunk
	t.wparts = 1
	if chunks < 2*par {
		t.wparts = min(par, (c.p.Cout+w.u[0].mr-1)/w.u[0].mr)
	}
	pool.run(chunks*t.wparts, par, t)
	t.post.run(pool, t.rest, t.dst, t.n, t.ds, c.p.Cout*w.oh*w.ow)
}

func (w *winograd) do(t *convTask, slot, i int) {
	p := &w.p
	chunk, part := i/t.wparts, i%t.wparts
	mr := w.u[0].mr // parts split at register-tile rows
	mp := (p.Cout + mr - 1) / mr
	m0, m1 := min(p.Cout, mp*part/t.wparts*mr), min(p.Cout, mp*(part+1)/t.wparts*mr)
	t0 := chunk * t.wchunk
	cnt := min(t.wchunk, w.tiles(t.n)-t0)
	nbp := (w.nb + 31) / 32 * 32
	buf := t.scratch[slot*t.per : (slot+1)*t.per]
	vsize, msize := 36*(p.C*nbp+ePad), 36*(p.Cout*w.nb+ePad)
	v := buf[:vsize]
	mbuf := buf[vsize : vsize+msize]
	tile := buf[vsize+msize:]
	st := t.wslots[slot]
	us := &w.u
	if w.u16[0] != nil && (cnt+15)/16*16 < (cnt+31)/32*32 {
		// 16-wide panels waste fewer columns (16 tiles: a 14x14 map).
		us = &w.u16
	}
	nr := us[0].nr
	panels := (cnt + nr - 1) / nr
	vstride := panels*p.C*nr + ePad // floats between V's element matrices
	mstride := p.Cout*w.nb + ePad   // and M's

	for g := 0; g < cnt; g += 16 {
		w.inputGroup(t, st, t0+g, min(16, cnt-g), v[(g/nr)*p.C*nr+g%nr:], vstride, nr)
	}
	for e := 0; e < 36; e++ {
		a := us[e]
		out := gemmOut{c: mbuf[e*mstride:], ldc: w.nb}
		ve := v[e*vstride:]
		for k0 := 0; k0 < a.K; k0 += a.kc {
			kc := min(a.kc, a.K-k0)
			gemmPanels(a, k0, kc, ve[k0*nr:], p.C*nr, &out, m0, m1, 0, cnt, false, tile)
		}
	}
	for g := 0; g < cnt; g += 16 {
		w.outputGroup(t, st, t0+g, min(16, cnt-g), mbuf[m0*w.nb+g:], m0, m1)
	}
}

// inputGroup transforms tiles [t0, t0+cnt) (cnt <= 16) of every channel
// into v, whose 36 element matrices are estride floats apart.
func (w *winograd) inputGroup(t *convTask, st *winoSlot, t0, cnt int, v []float32, estride, nr int) {
	p := &w.p
	per := w.tx * w.ty
	st.imask = [36]uint16{}
	for l := 0; l < 16; l++ {
		st.idx[l] = 0
		if l >= cnt {
			continue
		}
		img, r := (t0+l)/per, (t0+l)%per
		y0, x0 := r/w.tx*4-p.PH, r%w.tx*4-p.PW
		st.idx[l] = int32(img*p.C*p.H*p.W + y0*p.W + x0)
		for i := 0; i < 6; i++ {
			if y := y0 + i; y < 0 || y >= p.H {
				continue
			}
			for j := 0; j < 6; j++ {
				if x := x0 + j; x >= 0 && x < p.W {
					st.imask[i*6+j] |= 1 << l
				}
			}
		}
	}
	st.in = winoInArgs{
		src: unsafe.Pointer(&t.src[0]), idx: &st.idx, masks: &st.imask,
		dst: unsafe.Pointer(&v[0]), plane: 4 * p.H * p.W, estride: 4 * estride,
		cstride: 4 * nr, rowb: 4 * p.W, nc: p.C, tmp: &st.tmp,
	}
	if w.asm {
		winoInAVX512(&st.in)
	} else {
		winoInGo(&st.in)
	}
}

// outputGroup turns M (m: element 0 of output channel m0 at the group's
// first tile) into output pixels of channels [m0, m1) for tiles
// [t0, t0+cnt).
func (w *winograd) outputGroup(t *convTask, st *winoSlot, t0, cnt int, m []float32, m0, m1 int) {
	p := &w.p
	per := w.tx * w.ty
	st.omask = [16]uint16{}
	for l := 0; l < 16; l++ {
		st.oidx[l], st.ridx[l] = 0, 0
		if l >= cnt {
			continue
		}
		img, r := (t0+l)/per, (t0+l)%per
		y0, x0 := r/w.tx*4, r%w.tx*4
		st.oidx[l] = int32(img*t.ds + y0*w.ow + x0)
		st.ridx[l] = int32(img*t.rs + y0*w.ow + x0)
		for i := 0; i < 4 && y0+i < w.oh; i++ {
			for j := 0; j < 4 && x0+j < w.ow; j++ {
				st.omask[i*4+j] |= 1 << l
			}
		}
	}
	hw := w.oh * w.ow
	flags := t.cl.flags
	if t.c.bias != nil {
		flags |= fBias
	}
	st.out = winoOutArgs{
		m: unsafe.Pointer(&m[0]), estride: 4 * (p.Cout*w.nb + ePad), mrow: 4 * w.nb,
		dst: unsafe.Pointer(&t.dst[m0*hw]), idx: &st.oidx, ridx: &st.ridx, masks: &st.omask,
		plane: 4 * hw, roww: 4 * w.ow, nc: m1 - m0, tmp: &st.tmp,
		lo: t.cl.lo, hi: t.cl.hi, slope: t.cl.slope,
	}
	if flags&fBias != 0 {
		st.out.bias = unsafe.Pointer(&t.c.bias[m0])
	}
	if t.ep.Residual != nil {
		flags |= fRes
		st.out.res = unsafe.Pointer(&t.ep.Residual[m0*hw])
	}
	st.out.flags = flags
	if w.asm {
		winoOutAVX512(&st.out)
	} else {
		winoOutGo(&st.out)
	}
}
