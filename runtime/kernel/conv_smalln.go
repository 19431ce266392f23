package kernel

import (
	"fmt"
	"unsafe"

	"github.com/cnnc/cnnc/internal/hugepage"
)

// Small maps (7x7, 14x14) leave the 32-wide register tile of the normal
// GEMM partly empty: 49 pixels fill 64 columns, 77%. The transposed GEMM
// C^T = B^T A^T puts pixels on the 7-row side of a 7x32 tile and output
// channels on the 32-wide side instead, and 7 divides every map of the
// ResNets and GoogLeNet (7x7, 14x14, 28x28), so no lane is wasted. The
// weights, now the vector operand, are packed once in 32-channel panels;
// the im2col matrix is packed per K block in 7-pixel panels; C^T lands in
// scratch and is transposed into NCHW with the epilogue, a pass that costs
// little next to K = C*KH*KW multiply-adds per output.
type smallN struct {
	m, k   int
	kc     int
	panels int       // 32-channel panels
	w      []float32 // [K block][panel][kc][32]

	// When the map's rows are whole 7-pixel tiles, the pixels are read in
	// place from phase planes (see im2colPlanes) through kAVX512x7i, row
	// k = (c, kh, kw) of a tile at offs[k] from its first pixel: filling
	// the planes (C x padded map) costs a fifth of packing the im2col
	// matrix (K x pixels) through the offset table.
	pg   phaseGeom
	offs []int32
}

// planes sets up reading the pixels from phase planes.
func (s *smallN) planes(p *ConvParams) {
	s.pg = planesGeom(p)
	s.offs = s.pg.taps(p)
}

// smallNMax is the output column count (pixels times images) up to which
// the transposed GEMM runs.
const smallNMax = 512

const snMR, snNR = 7, 32

func newSmallN(m, k int, weight []float32) *smallN {
	s := &smallN{m: m, k: k, kc: blockK(k), panels: (m + snNR - 1) / snNR}
	s.w = hugepage.Keep(s.panels * snNR * k)
	for k0 := 0; k0 < k; k0 += s.kc {
		kc := min(s.kc, k-k0)
		for o := 0; o < m; o++ {
			pan := s.panel(k0, kc, o/snNR)
			row := weight[o*k+k0:][:kc]
			for kk, v := range row {
				pan[kk*snNR+o%snNR] = v
			}
		}
	}
	return s
}

func (s *smallN) panel(k0, kc, j int) []float32 {
	return s.w[k0*s.panels*snNR+j*kc*snNR:]
}

// ldc is the row stride of C^T in floats: its channels padded to whole
// panels, plus a cache line, so that rows are not a power of two apart.
func (s *smallN) ldc() int { return s.panels*snNR + snPad }

const snPad = 16

// useSmallN reports whether a batch of n runs through the transposed GEMM:
// when the normal GEMM would leave over a tenth of its columns empty, and
// K is deep enough to amortise the transposition.
func (c *Conv) useSmallN(n int) bool {
	hw := c.oh * c.ow
	nn := n * hw
	cols := (nn + 31) / 32 * 32 // the normal GEMM's columns, tiles included
	if !c.merged(n) {
		cols = n * ((hw + 31) / 32 * 32)
	}
	return c.snOK && nn <= smallNMax && !c.useWino(n) && 10*nn < 9*cols
}

// smallNSizes returns the floats of C^T (rows padded to 7, columns to 32)
// and of the whole im2col matrix (K plain rows of the padded width).
// They follow from the layer's shape, as newSmallN and snPlanes lay it out.
func (c *Conv) smallNSizes(n int) (ct, im int) {
	np := snWidth(n * c.oh * c.ow)
	ldc := (c.p.Cout+snNR-1)/snNR*snNR + snPad
	if c.snPlanes() {
		return np * ldc, n * planesGeom(&c.p).size(c.p.C)
	}
	return np * ldc, c.p.C / c.p.Groups * c.p.KH * c.p.KW * np
}

// snPlanes reports whether the transposed GEMM reads its pixels from phase
// planes. Stride 1 only: the taps of a channel then share the planes'
// cache lines (3x3 on 7x7 maps: 12-22% faster); strided layers touched
// more lines than the packed matrix (7-48% slower).
func (c *Conv) snPlanes() bool {
	p := &c.p
	return c.algo != algo1x1 && c.ow%snMR == 0 && p.SW == 1 && p.DH == 1 && p.DW == 1
}

// snWidth pads nn columns to whole 7-pixel tiles.
func snWidth(nn int) int { return (nn + snMR - 1) / snMR * snMR }

// runSmallN splits the work among the workers by pixels where 7-pixel
// tiles divide evenly among them (a 14x14 map: 28 tiles): each packs the
// columns of the im2col matrix its tiles read and computes every output
// channel of them, so no worker reads what another wrote (splitting by
// output channels, each reading a matrix half packed by the other, scaled
// 1.4x on two cores). Otherwise (7x7: 7 tiles) it packs the matrix once,
// the workers splitting its rows, then splits the output channels among
// them: with pixels this few, every worker packing its own copy would cost
// 15% of the layer. Splitting by pixels makes every worker read all the
// weights, splitting by channels half of the packed matrix from the other
// core: where the weights are twice the matrix or more (ResNet-50's
// 512 -> 1024 1x1 stride 2 onto 14x14: 1024 channels, 196 pixels), by
// channels is the cheaper (that layer 0.75 -> 0.64 ms on two cores).
func (c *Conv) runSmallN(pool *Pool, t *convTask, scratch []float32) {
	ct, im := c.smallNSizes(t.n)
	if len(scratch) < ct+im {
		panic(fmt.Sprintf("kernel: conv %v: scratch has %d floats, need %d", c.p, len(scratch), ct+im))
	}
	t.cbuf, t.scratch = scratch[:ct], scratch[ct:ct+im]
	par := pool.Workers()
	if c.p.MACs()*int64(t.n) < minParallelWork {
		par = 1
	}
	np := snWidth(t.n * c.oh * c.ow)
	tiles := np / snMR
	if t.snByPix = par > 1 && c.sn.offs == nil && !c.snDirect() && c.sn.m < 2*np && imbalance(tiles, par) < 1.05; t.snByPix {
		t.snParts = min(par, tiles)
		pool.run(t.snParts, t.snParts, t)
		return
	}
	t.snParts = min(par, c.sn.panels)
	if !c.snDirect() {
		t.snPack = true
		pool.run(t.snParts, t.snParts, t)
		t.snPack = false
	}
	pool.run(t.snParts, t.snParts, t)
}

// snDirect reports whether the kernel reads the input itself as the
// im2col matrix: a 1x1 stride-1 convolution's input is K rows of hw
// pixels already, and when 7 divides hw no 7-pixel tile straddles two
// images (copying it cost 13% of a 528x14x14->448 layer).
func (c *Conv) snDirect() bool {
	return c.algo == algo1x1 && c.oh*c.ow%snMR == 0
}

// smallN runs part i: packing its share of the im2col matrix's rows, or
// computing its output channel panels, or (snByPix) packing and computing
// its tiles of pixels.
func (t *convTask) smallN(slot, i int) {
	c := t.c
	s := c.sn
	p := &c.p
	nn := t.n * c.oh * c.ow
	np := snWidth(nn)
	if t.snByPix {
		tiles := np / snMR
		c0, c1 := tiles*i/t.snParts*snMR, tiles*(i+1)/t.snParts*snMR
		var m snMatrix
		if !c.snDirect() {
			// Its own columns, as a K x (c1-c0) matrix of their own.
			m = snMatrix{buf: t.scratch[s.k*c0 : s.k*c1], c0: c0, w: c1 - c0}
			t.snPackCols(m, 0, s.k, min(c1, nn))
		}
		t.snCompute(m, 0, s.panels, c0, c1)
		return
	}
	if t.snPack && s.offs != nil {
		// Channels [c0, c1) of every image's phase planes.
		c0, c1 := p.C*i/t.snParts, p.C*(i+1)/t.snParts
		sub := *p
		sub.C = c1 - c0
		per := s.pg.size(p.C)
		for img := 0; img < t.n; img++ {
			fillPhases(t.scratch[img*per+s.pg.size(c0):], t.src[(img*p.C+c0)*p.H*p.W:], &sub, s.pg, 0, p.H+2*p.PH, 0)
		}
		return
	}
	m := snMatrix{buf: t.scratch, w: np}
	if t.snPack {
		t.snPackCols(m, s.k*i/t.snParts, s.k*(i+1)/t.snParts, nn)
		return
	}
	if c.snDirect() || s.offs != nil {
		m.buf = nil
	}
	t.snCompute(m, s.panels*i/t.snParts, s.panels*(i+1)/t.snParts, 0, np)
}

// An snMatrix is the packed im2col matrix's columns [c0, c0+w): per K
// block, kc plain rows of w floats, the kernel reading 7 columns of each
// row w floats apart. buf is nil where the kernel reads the input or the
// phase planes in place.
type snMatrix struct {
	buf   []float32
	c0, w int
}

// snPackCols packs rows [r0, r1) of m's columns that exist (up to column
// end), zeroing the padding columns past end.
func (t *convTask) snPackCols(m snMatrix, r0, r1, end int) {
	c := t.c
	s := c.sn
	p := &c.p
	src := im2colB{p: p, src: t.src, imgStride: p.C * p.H * p.W, oh: c.oh, ow: c.ow, tab: c.tab}
	for k := r0; k < r1; {
		// Stay within one K block so the layout matches blocks.
		kc := min(r1, (k/s.kc+1)*s.kc) - k
		src.pack(m.buf[k*m.w:], k, kc, m.c0, end-m.c0, m.w)
		k += kc
	}
	if pad := m.c0 + m.w - end; pad > 0 {
		for k := r0; k < r1; k++ {
			clear(m.buf[k*m.w+m.w-pad : (k+1)*m.w])
		}
	}
}

// snCompute computes output channel panels [j0, j1) of the pixel columns
// [c0, c1) (whole tiles) into C^T, then stores them into NCHW.
func (t *convTask) snCompute(m snMatrix, j0, j1, c0, c1 int) {
	c := t.c
	s := c.sn
	p := &c.p
	hw := c.oh * c.ow
	ldc := s.ldc()
	var kp kparams
	direct := c.snDirect()
	chw := p.C * p.H * p.W
	planes := s.pg.size(p.C) // floats of an image's phase planes
	for k0 := 0; k0 < s.k; k0 += s.kc {
		kc := min(s.kc, s.k-k0)
		kp = kparams{k: kc, ldc: 4 * ldc, lda: 4 * m.w}
		if direct {
			kp.lda = 4 * hw
		}
		if k0 > 0 {
			kp.flags = fAccum
		}
		for j := j0; j < j1; j++ {
			w := unsafe.Pointer(&s.panel(k0, kc, j)[0])
			// The next panel this worker reads is prefetched while the
			// tiles run on this one from L1, each tile fetching its share
			// (kparams.pfstep bytes a step): at batch 1 the weights come
			// from memory, and fetched all during one tile they queue
			// behind each other (spread: in the model, ResNet-50's 7x7
			// stage 13% faster, GoogLeNet's 10%).
			next, nextK := w, 0
			if j+1 < j1 {
				next, nextK = unsafe.Pointer(&s.panel(k0, kc, j+1)[0]), kc
			} else if k0+kc < s.k {
				nextK = min(s.kc, s.k-k0-kc)
				next = unsafe.Pointer(&s.panel(k0+kc, nextK, j0)[0])
			}
			steps := (c1 - c0) / snMR * kc              // of all the tiles on this panel
			share := (4*snNR*nextK + steps - 1) / steps // bytes a step
			kp.nmask = 1<<min(snNR, s.m-j*snNR) - 1
			for ip := c0; ip < c1; ip += snMR {
				var a unsafe.Pointer
				kern := kAVX512x7x32
				switch {
				case m.buf != nil:
					a = unsafe.Pointer(&m.buf[k0*m.w+ip-m.c0])
				case direct:
					a = unsafe.Pointer(&t.src[ip/hw*chw+k0*hw+ip%hw])
				case s.offs != nil:
					img, pix := ip/hw, ip%hw
					a = unsafe.Pointer(&t.scratch[img*planes+pix/c.ow*p.SH*s.pg.wq+pix%c.ow])
					kp.boff, kern = &s.offs[k0], kAVX512x7i
				}
				kp.pf = int(uintptr(next)-uintptr(w)) + (ip-c0)/snMR*kc*share
				kp.pfstep = share
				callKernel(kern, a, w, unsafe.Pointer(&t.cbuf[ip*ldc+j*snNR]), &kp)
			}
		}
	}
	t.snStore(j0*snNR, min(s.m, j1*snNR), c0, min(c1, t.n*hw))
}

// snStore transposes channels [o0, o1) of pixel columns [c0, c1) of C^T
// into NCHW with bias, residual and activation: a channel at a time, gathering
// its column of C^T 16 pixels per vector. The Go loops this replaces (a
// scalar transpose, then a branchy ReLU) took 45% of a 528x14x14->448 1x1
// layer.
func (t *convTask) snStore(o0, o1, c0, c1 int) {
	c := t.c
	hw := c.oh * c.ow
	ldc := c.sn.ldc()
	var a snStoreArgs
	for i := range a.idx {
		a.idx[i] = int32(i * ldc)
	}
	a.step = 16 * ldc * 4
	a.flags = t.cl.flags
	a.lo, a.hi, a.slope = t.cl.lo, t.cl.hi, t.cl.slope
	for n := c0; n < c1; {
		img, pix := n/hw, n%hw
		cnt := min(hw-pix, c1-n)
		for o := o0; o < o1; o++ {
			d := t.plane(img, o)[pix:][:cnt]
			a.src = unsafe.Pointer(&t.cbuf[n*ldc+o])
			a.dst, a.n = unsafe.Pointer(&d[0]), cnt
			a.res, a.bias = nil, 0
			if t.ep.Residual != nil {
				a.res = unsafe.Pointer(&t.ep.Residual[img*t.rs+o*hw+pix])
			}
			if c.bias != nil {
				a.bias = c.bias[o]
			}
			snStoreAVX512(&a)
			activate(t.rest, d)
		}
		n += cnt
	}
}

// snStoreArgs is read by snStoreAVX512, fields by name (go_asm.h).
type snStoreArgs struct {
	src   unsafe.Pointer // C^T at the image's first pixel, this channel
	dst   unsafe.Pointer // the channel's output plane
	res   unsafe.Pointer // its residual plane, or nil
	n     int            // pixels
	idx   [16]int32      // i*ldc, the gather's offsets in floats
	bias  float32
	step  int // bytes between groups of 16 pixels of C^T
	flags int // the clamp's: fLeaky | fLo | fHi

	lo, hi, slope float32
}
