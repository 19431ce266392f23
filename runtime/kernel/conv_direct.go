package kernel

import (
	"unsafe"
)

// The direct convolution skips im2col packing for stems (a few input
// channels, large maps, strides): there K = C*KH*KW is short, so each
// packed element of B feeds few multiply-adds and packing cost half as
// much as the GEMM (ResNet's 7x7 stride-2 stem: 32% of its time).
//
// Instead each image's input is copied once into zero-padded planes split
// by column phase (column x of phase f holds padded column s*x + f for
// stride s), where every row of B, tap (c, kh, kw) for 32 consecutive
// output pixels of one row, is 32 consecutive floats. The micro-kernel
// kAVX512x8i finds row k of B through a table of offsets from the tile's
// base and reads the planes in place.
type direct struct {
	band int       // output rows per task
	rows int       // input rows a band reads: (band-1)*SH + KH
	g    phaseGeom // a band's planes: rows of the padded width / s, plus slack
	offs []int32   // row k = (c, kh, kw) of B, in floats from a tile's base
}

// useDirect reports whether p runs as a direct convolution, on AVX-512:
// a stem (up to 4 input channels) or a layer of few output channels (up to
// 48: packing feeds too few rows of A), whose output rows fill most of a
// 32-wide tile or half of one (8 to 16 pixels, the 8x16 kernel). Against
// im2col: ResNet's 7x7 stem -30%, AlexNet's 11x11 stride 4 -20%, VGG's
// first 3x3 -25-35%, a 16->32 5x5 on 28x28 -54%, LeNet's second
// convolution -20%; layers with more output channels gain nothing.
func useDirect(p ConvParams, oh, ow int) bool {
	return isa == AVX512 && p.Groups == 1 && p.DH == 1 && p.DW == 1 && (p.C <= 4 || p.Cout <= 48) &&
		p.KH*p.KW > 1 && (ow >= 24 || ow >= 8 && ow <= 16)
}

func newDirect(p ConvParams, oh, ow int) *direct {
	d := &direct{band: min(directBand, (oh+7)/8)}
	d.rows = (d.band-1)*p.SH + p.KH
	s := p.SW
	// Past the padded width, the slack lets the last tile of a row read 32
	// columns (the lanes beyond the row are computed, never stored).
	wq := (max((p.W+2*p.PW+s-1)/s, ow+(p.KW-1)/s) + 32 + 15) / 16 * 16
	d.g = phaseGeom{s: s, wq: wq, plane: d.rows * wq}
	d.offs = d.g.taps(&p)
	return d
}

// directBand bounds the output rows of a task (an eighth of the map, so a
// single image feeds both workers): each task fills the phase planes of
// the input rows its band reads, in its own scratch, then computes the
// band from its own cache (filling all planes first and splitting the
// rows after cost 13%: each core read planes the other had written).
const directBand = 16

// bandSize is the floats of one task's phase planes.
func (d *direct) bandSize(c int) int { return d.g.size(c) }

func (c *Conv) directScratch(n, slots int) int {
	return slots * c.dir.bandSize(c.p.C)
}

// runDirect computes bands of output rows, each task filling its own
// phase planes first.
func (c *Conv) runDirect(pool *Pool, t *convTask, scratch []float32) {
	p := &c.p
	d := c.dir
	t.per = d.bandSize(p.C)
	slots := slotsFor(pool, scratch, 0, t.per)
	t.scratch = scratch
	par := slots
	if p.MACs()*int64(t.n) < minParallelWork {
		par = 1
	}
	t.dirBands = (c.oh + d.band - 1) / d.band
	pool.run(t.n*t.dirBands, par, t)
	t.post.run(pool, t.rest, t.dst, t.n, t.ds, p.Cout*c.oh*c.ow)
}

// directFill writes the phase planes of image img's padded input rows
// [y0, y0+d.rows) into buf.
func (t *convTask) directFill(buf []float32, img, y0 int) {
	c := t.c
	p := &c.p
	d := c.dir
	src := t.src[img*p.C*p.H*p.W:][:p.C*p.H*p.W]
	fillPhases(buf, src, p, d.g, y0, y0+d.rows, y0)
}

// directRows computes band i = (image, band of output rows): for each row,
// 32-pixel tiles, and for each tile every 8-channel panel of A, so the
// tile's rows of B stay in L1 while A streams from L2.
func (t *convTask) directRows(slot, i int) {
	c := t.c
	p := &c.p
	d := c.dir
	a := c.a[0]
	hw := c.oh * c.ow
	img, band := i/t.dirBands, i%t.dirBands
	y0, y1 := band*d.band, min(c.oh, (band+1)*d.band)
	planes := t.scratch[slot*t.per : (slot+1)*t.per] // t.per = bandSize
	t.directFill(planes, img, y0*p.SH)
	out := gemmOut{c: t.dst[img*t.ds:], ldc: hw, bias: c.bias, cl: t.cl}
	if t.ep.Residual != nil {
		out.res, out.ldr = t.ep.Residual[img*t.rs:], hw
	}
	var kp kparams
	for oy := y0; oy < y1; oy++ {
		base := (oy - y0) * p.SH * d.g.wq
		for ox := 0; ox < c.ow; ox += 32 {
			nw := min(32, c.ow-ox)
			kern := kAVX512x8i
			if nw <= 16 {
				kern = kAVX512x8x16i // half a tile: half the work
			}
			b := unsafe.Pointer(&planes[base+ox])
			j := oy*c.ow + ox
			// K blocks outside the channel panels: a block's rows of B
			// (kc x 32 floats) stay in L1 while every panel of A passes.
			for k0 := 0; k0 < a.K; k0 += a.kc {
				kc := min(a.kc, a.K-k0)
				flags := out.flags(k0 > 0, k0+kc == a.K)
				for m := 0; m < a.M; m += 8 {
					mw := min(8, a.M-m)
					kp = kparams{k: kc, boff: &d.offs[k0]}
					kp.setClamp(&out.cl)
					apan := unsafe.Pointer(&a.panel(k0, kc, m)[0])
					// A last panel of fewer than 8 channels stores only its
					// rows (kparams.rows).
					kp.ldc, kp.flags, kp.nmask, kp.rows = 4*hw, flags, 1<<nw-1, mw
					if flags&fBias != 0 {
						kp.bias = unsafe.Pointer(&out.bias[m])
					}
					if flags&fRes != 0 {
						kp.res, kp.ldr = unsafe.Pointer(&out.res[m*hw+j]), 4*hw
					}
					callKernel(kern, apan, b, unsafe.Pointer(&out.c[m*hw+j]), &kp)
				}
			}
		}
	}
}
