package kernel

import "unsafe"

// A bSource produces blocks of the right-hand matrix B (K x N) in the
// micro-kernels' packed layout.
type bSource interface {
	// pack writes rows [k0, k0+kc) x columns [n0, n0+nc) of B into dst as
	// ceil(nc/nr) panels of kc x nr floats, zeroing columns past nc.
	pack(dst []float32, k0, kc, n0, nc, nr int)
}

// gemmOut says where C = A·B goes and what is fused into its store.
type gemmOut struct {
	c    []float32
	ldc  int
	bias []float32 // len M, or nil
	res  []float32 // laid out like c with row stride ldr, or nil
	ldr  int
	cl   clamp // applied by the last K block's store
	// split, if non-nil, sends row i of C to image img of the output
	// holding channel i (row stride ldc, the map size); c is unused.
	split []ConvOutput
	img   int
}

// flags are the micro-kernel's store flags for a K block: accumulate onto
// C's partial sums, and apply the epilogue if it is the last block.
func (o *gemmOut) flags(accum, last bool) int {
	f := 0
	if accum {
		f |= fAccum
	}
	if last {
		if o.bias != nil {
			f |= fBias
		}
		if o.res != nil {
			f |= fRes
		}
		f |= o.cl.flags
	}
	return f
}

// row returns C from row i on.
func (o *gemmOut) row(i int) []float32 {
	if o.split == nil {
		return o.c[i*o.ldc:]
	}
	return splitPlane(o.split, o.img, i, o.ldc)
}

// ncMax bounds the columns of B packed at once: kcMax x ncMax floats
// (256 KB) stay in the 1 MB L2 next to the A panels.
const ncMax = 256

// bufSize is the per-worker scratch gemmBlock needs: one packed B block and
// one edge tile.
func bufSize(kc int) int { return kc*ncMax + 12*32 }

// gemmBlock computes rows [m0, m1) x columns [n0, n1) of C; m0 is a
// multiple of a.mr. buf holds bufSize(a.kc) floats.
func gemmBlock[S bSource](a *PackedA, src S, out *gemmOut, m0, m1, n0, n1 int, buf []float32) {
	bp := buf[:a.kc*ncMax]
	tile := buf[a.kc*ncMax:]
	for jc := n0; jc < n1; jc += ncMax {
		nc := min(ncMax, n1-jc)
		for k0 := 0; k0 < a.K; k0 += a.kc {
			kc := min(a.kc, a.K-k0)
			src.pack(bp, k0, kc, jc, nc, a.nr)
			narrow := a.narrowTail(bp, kc, nc)
			gemmPanels(a, k0, kc, bp, kc*a.nr, out, m0, m1, jc, nc, narrow, tile)
		}
	}
}

// narrowTail repacks the last of the packed B panels in bp as kc x 16 when
// at most 16 of its columns exist, for the 8x16 kernel, and reports
// whether it did. Its columns past 16 are all padding, and the 32-wide
// kernel would spend as long on them as on a whole panel: a 14x14 map's
// 196 columns took 7 panels' time for 6.125 panels' work.
func (a *PackedA) narrowTail(bp []float32, kc, nc int) bool {
	tw := nc % a.nr
	if a.kern != kAVX512x8x32 || tw == 0 || tw > 16 {
		return false
	}
	pan := bp[nc/a.nr*kc*a.nr:][:kc*a.nr]
	for k := 1; k < kc; k++ {
		copy(pan[k*16:k*16+16], pan[k*a.nr:k*a.nr+16])
	}
	return true
}

// gemmPanels multiplies the K block [k0, k0+kc) of A's rows [m0, m1) by
// packed B panels (bp, panels pstride floats apart, each kc x nr) into C's
// columns [j0, j0+nc), applying the epilogue if this is the last K block.
// If narrow, the last panel is kc x 16 (narrowTail).
func gemmPanels(a *PackedA, k0, kc int, bp []float32, pstride int, out *gemmOut, m0, m1, j0, nc int, narrow bool, tile []float32) {
	mr, nr := a.mr, a.nr
	flags := out.flags(k0 > 0, k0+kc == a.K)
	var kp kparams
	kp.k = kc
	kp.setClamp(&out.cl)
	np := (nc + nr - 1) / nr
	if np <= 7 {
		// Few B panels (maps up to 14x14): A panels outer, so each streams
		// in from memory once and serves every B panel (from L2) while it
		// sits in L1. With B outer instead, the first B panel's pass
		// waits on all of A from memory (ResNet-50's 14x14 1x1 layers
		// with a residual, in the model: 4% slower).
		for i := m0; i < m1; i += mr {
			for jr := 0; jr < nc; jr += nr {
				tileCall(a, k0, kc, bp, pstride, out, i, m1, j0, jr, nc, narrow, flags, &kp, tile)
			}
		}
		return
	}
	// Otherwise B panels outer: one stays in L1 while up to mcMax rows of
	// the A block (kept in L2 across the B panels) stream past it.
	for ic := m0; ic < m1; ic += mcMax {
		ie := min(m1, ic+mcMax)
		for jr := 0; jr < nc; jr += nr {
			for i := ic; i < ie; i += mr {
				tileCall(a, k0, kc, bp, pstride, out, i, m1, j0, jr, nc, narrow, flags, &kp, tile)
			}
		}
	}
}

// mcMax bounds the A rows streamed per B panel: 192 x kcMax floats (192 KB)
// stay in L2 next to the packed B block. A multiple of 8, 12 and 6.
const mcMax = 192

// tileCall runs the micro-kernel on the tile at row i, panel column jr: in
// place when the tile is whole, else through tile and edgeStore.
func tileCall(a *PackedA, k0, kc int, bp []float32, pstride int, out *gemmOut, i, m1, j0, jr, nc int, narrow bool, flags int, kp *kparams, tile []float32) {
	mr, nr := a.mr, a.nr
	bpan := unsafe.Pointer(&bp[jr/nr*pstride])
	apan := unsafe.Pointer(&a.panel(k0, kc, i)[0])
	j := j0 + jr
	nw := min(nr, nc-jr)
	mw := min(mr, m1-i)
	kern := a.kern
	if narrow && jr+nr >= nc {
		kern = kAVX512x8x16
	}
	if mw == mr && (nw == nr || kern.hasColumnMasks()) && (out.split == nil || oneOutput(out.split, i, mr)) {
		kp.nmask = 1<<nw - 1
		kp.ldc = 4 * out.ldc
		kp.flags = flags
		if flags&fBias != 0 {
			kp.bias = unsafe.Pointer(&out.bias[i])
		}
		if flags&fRes != 0 {
			kp.res = unsafe.Pointer(&out.res[i*out.ldr+j])
			kp.ldr = 4 * out.ldr
		}
		callKernel(kern, apan, bpan, unsafe.Pointer(&out.row(i)[j]), kp)
		return
	}
	kp.ldc = 4 * nr
	kp.flags = 0
	kp.nmask = 1<<nr - 1
	callKernel(kern, apan, bpan, unsafe.Pointer(&tile[0]), kp)
	edgeStore(out, tile, nr, i, j, mw, nw, flags)
}

// edgeStore finishes a partial tile computed into tile (row stride nr):
// the same epilogue as the kernels, on the mw x nw corner that exists.
func edgeStore(out *gemmOut, tile []float32, nr, i0, j0, mw, nw, flags int) {
	for i := 0; i < mw; i++ {
		t := tile[i*nr : i*nr+nw]
		c := out.row(i0 + i)[j0:][:nw]
		var bias float32
		if flags&fBias != 0 {
			bias = out.bias[i0+i]
		}
		var r []float32
		if flags&fRes != 0 {
			r = out.res[(i0+i)*out.ldr+j0:][:nw]
		}
		for j, v := range t {
			if flags&fAccum != 0 {
				v += c[j]
			}
			v += bias
			if r != nil {
				v += r[j]
			}
			if flags&fClamp != 0 {
				v = out.cl.apply(flags, v)
			}
			c[j] = v
		}
	}
}

// split divides the M x N output among par workers: by column panels when
// there are enough of them, else by row panels (each worker then packs the
// same B, which is cheap next to the M work it saves waiting for). It
// returns the number of parts and part i's ranges via bounds.
type split struct {
	m, n, mr, nr, parts int
	byRows              bool
}

func newSplit(m, n, mr, nr, par int) split {
	s := split{m: m, n: n, mr: mr, nr: nr}
	np := (n + nr - 1) / nr
	mp := (m + mr - 1) / mr
	switch {
	case par <= 1:
		s.parts = 1
	case (np >= 2*par || np >= mp) && !(m >= 256*par && imbalance(np, par) >= 1.1 && imbalance(mp, par) < imbalance(np, par)):
		s.parts = min(par, np)
	default:
		s.parts = min(par, mp)
		s.byRows = true
	}
	return s
}

// imbalance is how much longer the longest of par parts of n units takes
// than an even share: 8/7 for 7 column panels on two workers (a 14x14
// map), where 1024 rows split evenly. Rows win only with 256 rows or more
// per worker, enough to hide every worker packing all of B (with 80, the
// duplicate packing doubled a 1x1 layer's time).
func imbalance(n, par int) float64 {
	return float64((n+par-1)/par*par) / float64(n)
}

// bounds returns part i's rows [m0,m1) and columns [n0,n1).
func (s split) bounds(i int) (m0, m1, n0, n1 int) {
	if s.byRows {
		mp := (s.m + s.mr - 1) / s.mr
		return min(s.m, mp*i/s.parts*s.mr), min(s.m, mp*(i+1)/s.parts*s.mr), 0, s.n
	}
	np := (s.n + s.nr - 1) / s.nr
	return 0, s.m, min(s.n, np*i/s.parts*s.nr), min(s.n, np*(i+1)/s.parts*s.nr)
}
