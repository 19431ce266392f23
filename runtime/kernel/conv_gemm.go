package kernel

import "github.com/cnnc/cnnc/act"

// convTask is one Run's state, shared by the workers; Conv keeps a free
// list of them so Run does not allocate.
type convTask struct {
	c      *Conv
	dst    []float32
	src    []float32
	n      int
	ep     Epilogue
	ds, rs int      // image strides of dst and residual
	cl     clamp    // ep.Act's part the stores apply
	rest   act.Func // and the part that runs after them
	post   actPass  // rest over whole images, where no store applies it

	// GEMM paths.
	s       split
	perImg  int // parts per (image, group)
	merged  bool
	cbuf    []float32 // merged: C as Cout x n*hw
	scratch []float32
	per     int // floats per worker slot

	// Transposed small-map GEMM.
	sn      bool
	snParts int
	snPack  bool // the packing phase
	snByPix bool // parts are tiles of pixels, each packing its own

	// Direct convolution.
	dir      bool
	dirBands int // row bands per image

	// A strided 1x1 layer's subsampling phase (conv_strided1x1.go), into
	// cbuf.
	subsample bool

	// Winograd.
	wino   bool
	wparts int // output-channel parts per chunk
	wchunk int // tiles per chunk
	wslots []*winoSlot
}

func (c *Conv) runGemm(pool *Pool, t *convTask, scratch []float32) {
	p := &c.p
	hw := c.oh * c.ow
	a0 := c.a[0]
	t.per = bufSize(a0.kc) + c.planesSize()
	fixed := 0
	t.merged = c.merged(t.n)
	if t.merged {
		fixed = p.Cout * t.n * hw
		t.cbuf = scratch[:fixed]
	}
	slots := slotsFor(pool, scratch, fixed, t.per)
	t.scratch = scratch[fixed:]
	macs := p.MACs() * int64(t.n)
	par := slots
	if macs < minParallelWork {
		par = 1
	}
	var tasks int
	if t.merged {
		t.s = newSplit(a0.M, t.n*hw, a0.mr, a0.nr, par)
		tasks = t.s.parts
	} else {
		units := t.n * p.Groups
		t.s = newSplit(a0.M, hw, a0.mr, a0.nr, 1)
		if units < 4*par {
			t.s = newSplit(a0.M, hw, a0.mr, a0.nr, par)
		}
		t.perImg = t.s.parts
		tasks = units * t.perImg
	}
	pool.run(tasks, par, t)
}

func (t *convTask) do(slot, i int) {
	c := t.c
	switch {
	case t.subsample:
		t.subsamplePlane(i)
		return
	case c.algo == algoDepthwise:
		t.depthwise(i)
		return
	case t.wino:
		c.wino.do(t, slot, i)
		return
	case t.sn:
		t.smallN(slot, i)
		return
	case t.dir:
		t.directRows(slot, i)
		return
	}
	p := &c.p
	hw := c.oh * c.ow
	buf := t.scratch[slot*t.per : (slot+1)*t.per]
	chw := p.C * p.H * p.W
	m0, m1, n0, n1 := t.s.bounds(i % t.s.parts)
	if t.merged {
		// C goes to cbuf with the bias (and the clamp, without a
		// residual); the residual and the rest come with the scatter into
		// NCHW.
		src := im2colB{p: p, src: t.src, imgStride: chw, oh: c.oh, ow: c.ow, tab: c.tab}
		out := gemmOut{c: t.cbuf, ldc: t.n * hw, bias: c.bias}
		if t.ep.Residual == nil {
			out.cl = t.cl
		}
		gemmBlock(c.a[0], src, &out, m0, m1, n0, n1, buf)
		t.scatter(m0, m1, n0, n1)
		return
	}
	unit := i / t.perImg
	img, g := unit/p.Groups, unit%p.Groups
	cg, mg := p.C/p.Groups, p.Cout/p.Groups
	in := t.src[img*chw+g*cg*p.H*p.W:]
	out := gemmOut{ldc: hw, cl: t.cl}
	if t.ep.Outputs != nil {
		out.split, out.img = t.ep.Outputs, img
	} else {
		out.c = t.dst[img*t.ds+g*mg*hw:]
	}
	if c.bias != nil {
		out.bias = c.bias[g*mg:]
	}
	if t.ep.Residual != nil {
		out.res, out.ldr = t.ep.Residual[img*t.rs+g*mg*hw:], hw
	}
	if c.algo == algo1x1 && c.offs1x1 != nil {
		c.gemm1x1(c.a[g], in, hw, &out, m0, m1, n0, n1, buf)
	} else if c.algo == algo1x1 {
		src := matB{b: in, ldb: hw}
		gemmBlock(c.a[g], src, &out, m0, m1, n0, n1, buf)
	} else if c.pg.s > 0 {
		// The rows of the phase planes the columns [n0, n1) read.
		planes := buf[bufSize(c.a[g].kc):][:c.planesSize()]
		y0, y1 := n0/c.ow*p.SH, (n1-1)/c.ow*p.SH+p.KH
		fillPhases(planes, in, p, c.pg, y0, y1, 0)
		src := im2colPlanes{p: p, g: c.pg, planes: planes, oh: c.oh, ow: c.ow}
		gemmBlock(c.a[g], src, &out, m0, m1, n0, n1, buf[:bufSize(c.a[g].kc)])
	} else {
		src := im2colB{p: p, src: in, oh: c.oh, ow: c.ow, tab: c.tab}
		gemmBlock(c.a[g], src, &out, m0, m1, n0, n1, buf)
	}
	if t.rest.Kind != act.None {
		for m := m0; m < m1; m++ {
			activate(t.rest, out.row(m)[n0:n1])
		}
	}
}

// scatter moves columns [n0, n1) of rows [m0, m1) of the merged C into
// the NCHW images of dst, adding the residual and applying the activation.
func (t *convTask) scatter(m0, m1, n0, n1 int) {
	c := t.c
	hw := c.oh * c.ow
	ldc := t.n * hw
	for n := n0; n < n1; {
		img, pix := n/hw, n%hw
		cnt := min(hw-pix, n1-n)
		for m := m0; m < m1; m++ {
			from := t.cbuf[m*ldc+n:][:cnt]
			to := t.plane(img, m)[pix:][:cnt]
			if t.ep.Residual != nil {
				r := t.ep.Residual[img*t.rs+m*hw+pix:][:cnt]
				if t.cl.isReLU() {
					addRelu(to, from, r)
					continue
				}
				AddF32(to, from, r)
				t.cl.applyTo(to)
			} else {
				copy(to, from)
			}
			activate(t.rest, to)
		}
		n += cnt
	}
}
