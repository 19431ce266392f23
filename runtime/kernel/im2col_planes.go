package kernel

import "unsafe"

// im2colPlanes is the im2col matrix read from phase planes: the image's
// input zero-padded and split by column phase (column x of phase f holds
// padded column s*x + f for stride s, as the direct convolution keeps
// it). There every row of B, tap (c, kh, kw) over the block's output
// pixels, is a run of contiguous floats per output row, so packing is one
// call per row of the block copying runs, where the offset table took a
// gather per 16 pixels (a 5x5 layer on 27x27 maps spent 22% of its time
// packing through the table; 3x3 stride-2 layers 38%).
type im2colPlanes struct {
	p      *ConvParams
	g      phaseGeom
	planes []float32 // the image's planes: plane r = c*s + f at r*g.plane
	oh, ow int
}

// phaseGeom is the layout of phase planes: s phases per channel, rows of
// wq floats, plane floats per plane.
type phaseGeom struct{ s, wq, plane int }

// size is the floats of ch channels' phase planes.
func (g phaseGeom) size(ch int) int { return ch * g.s * g.plane }

// tap is where tap (c, kh, kw) of a window reads, in floats from the
// window's first pixel.
func (g phaseGeom) tap(c, kh, kw int) int { return (c*g.s+kw%g.s)*g.plane + kh*g.wq + kw/g.s }

// taps lists tap's offsets for every (c, kh, kw) of p, in im2col row order.
func (g phaseGeom) taps(p *ConvParams) []int32 {
	offs := make([]int32, 0, p.C*p.KH*p.KW)
	for c := 0; c < p.C; c++ {
		for kh := 0; kh < p.KH; kh++ {
			for kw := 0; kw < p.KW; kw++ {
				offs = append(offs, int32(g.tap(c, kh, kw)))
			}
		}
	}
	return offs
}

// planesGeom returns the layout for a whole padded image.
func planesGeom(p *ConvParams) phaseGeom {
	s := p.SW
	wq := (p.W + 2*p.PW + s - 1) / s
	return phaseGeom{s: s, wq: wq, plane: (p.H + 2*p.PH) * wq}
}

// packRowsArgs is read by packRowsAVX512, fields by name (go_asm.h).
type packRowsArgs struct {
	dst     unsafe.Pointer
	src     unsafe.Pointer
	n       int
	j       int
	run     int
	ow      int
	jump    int
	pstride int
}

func (b im2colPlanes) pack(dst []float32, k0, kc, n0, nc, nr int) {
	p := b.p
	khw := p.KH * p.KW
	oy, ox := n0/b.ow, n0%b.ow
	a := packRowsArgs{n: nc, ow: b.ow, jump: 4 * (p.SH*b.g.wq - b.ow), pstride: 4 * kc * nr}
	for kk := 0; kk < kc; kk++ {
		k := k0 + kk
		c, r := k/khw, k%khw
		kh, kw := r/p.KW, r%p.KW
		base := b.g.tap(c, oy*p.SH+kh, kw) + ox
		a.dst, a.src = unsafe.Pointer(&dst[kk*nr]), unsafe.Pointer(&b.planes[base])
		a.j, a.run = 0, b.ow-ox
		packRowsAVX512(&a)
	}
	if tail := nc % nr; tail != 0 {
		// Zero the last panel's missing columns.
		pan := dst[(nc/nr)*kc*nr:][:kc*nr]
		for k := 0; k < kc; k++ {
			clear(pan[k*nr+tail : k*nr+nr])
		}
	}
}

// fillPhases writes padded rows [y0, y1) of every phase plane of one
// image (src: C planes of H x W) into dst, row y at (y-yoff)*g.wq of its
// plane.
func fillPhases(dst, src []float32, p *ConvParams, g phaseGeom, y0, y1, yoff int) {
	for r := 0; r < p.C*g.s; r++ {
		ch, f := r/g.s, r%g.s
		in := src[ch*p.H*p.W:][:p.H*p.W]
		out := dst[r*g.plane:][:g.plane]
		// Columns x of the phase whose input column s*x + f - PW lies in the row.
		x0 := max(0, (p.PW-f+g.s-1)/g.s)
		x1 := min(g.wq, (p.W+p.PW-f+g.s-1)/g.s)
		for y := y0; y < y1; y++ {
			row := out[(y-yoff)*g.wq : (y-yoff+1)*g.wq]
			iy := y - p.PH
			if iy < 0 || iy >= p.H || x1 <= x0 {
				clear(row)
				continue
			}
			clear(row[:x0])
			clear(row[x1:])
			irow := in[iy*p.W:][:p.W]
			gatherStride(row[x0:x1], irow[g.s*x0+f-p.PW:], g.s)
		}
	}
}
