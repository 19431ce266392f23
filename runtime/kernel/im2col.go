package kernel

// im2colB is the im2col matrix of a convolution's input, never
// materialised: row k = (c, kh, kw) of B holds, for every output pixel, the
// input value that tap (kh, kw) of channel c sees (zero in the padding).
// Columns run over the output pixels of one image, or of several images
// side by side when the maps are small (see Conv), so pack fills packed
// panels straight from the input.
type im2colB struct {
	p         *ConvParams
	src       []float32 // channel 0 (of the group) of image 0
	imgStride int       // elements between images in src
	oh, ow    int
	tab       []int32 // if non-nil, see im2colTable
}

// im2colTable lists, for each kernel tap (kh, kw) and output pixel, the
// offset of the input pixel it reads within a channel plane, or -1 in the
// padding. Packing through it is one masked gather per 16 columns; the
// run-by-run copies below cost a call per output row, too many when rows
// are short (7x7 and 14x14 maps).
func im2colTable(p *ConvParams, oh, ow int) []int32 {
	hw := oh * ow
	tab := make([]int32, p.KH*p.KW*hw)
	for kh := 0; kh < p.KH; kh++ {
		for kw := 0; kw < p.KW; kw++ {
			t := tab[(kh*p.KW+kw)*hw:][:hw]
			for y := 0; y < oh; y++ {
				ih := y*p.SH - p.PH + kh*p.DH
				for x := 0; x < ow; x++ {
					iw := x*p.SW - p.PW + kw*p.DW
					t[y*ow+x] = -1
					if ih >= 0 && ih < p.H && iw >= 0 && iw < p.W {
						t[y*ow+x] = int32(ih*p.W + iw)
					}
				}
			}
		}
	}
	return tab
}

// useIm2colTable reports whether packing goes through im2colTable.
// Through the table, a row of a packed block is one call, where the
// run-by-run copies below need a call per output row and panel: per-call
// overhead dominates for rows up to 64 pixels (5x5 at 27x27: 15% faster
// through the table, LeNet's 28x28: 25%, 56->28 stride 2: 20%), and for
// strides over 2, which the runs gather anyway (AlexNet's 11x11 stride 4:
// 15%). Wider stride-1 and -2 rows are cheaper by runs: memmoves and
// permutes beat the table's gathers (224-wide 3x3: 12-23% slower through
// the table, the 112-wide 7x7 stride-2 stem 16-19%).
func useIm2colTable(p *ConvParams, oh, ow int) bool { return ow <= 64 || p.SW > 2 }

// packTab is pack through the table.
func (b im2colB) packTab(dst []float32, k0, kc, n0, nc, nr int) {
	p := b.p
	plain, ps := plainLayout(kc, nc, nr)
	hw := b.oh * b.ow
	khw := p.KH * p.KW
	for kk := 0; kk < kc; kk++ {
		k := k0 + kk
		c, r := k/khw, k%khw
		tab := b.tab[r*hw : (r+1)*hw]
		for j := 0; j < nc; {
			img, pix := (n0+j)/hw, (n0+j)%hw
			plane := b.src[img*b.imgStride+c*p.H*p.W:][:p.H*p.W]
			cnt := min(hw-pix, nc-j)
			if packAsm && (nr == 32 || plain) {
				// Up to the next 16-column boundary, then whole rows of
				// panels in one call.
				if l := j % 16; l != 0 {
					m := min(cnt, 16-l)
					o := (j/nr)*kc*nr + kk*nr + j%nr
					gatherTabAVX512(&dst[o], &plane[0], &tab[pix], m)
					j, pix, cnt = j+m, pix+m, cnt-m
				}
				if cnt > 0 {
					packTabRowAVX512(&dst[kk*nr], &plane[0], &tab[pix], cnt, j, ps)
					j += cnt
				}
				continue
			}
			for cnt > 0 {
				l := j % nr
				m := min(cnt, nr-l)
				o := (j/nr)*kc*nr + kk*nr + l
				d, tb := dst[o:o+m], tab[pix:pix+m]
				for t, off := range tb {
					d[t] = 0
					if off >= 0 {
						d[t] = plane[off]
					}
				}
				j, pix, cnt = j+m, pix+m, cnt-m
			}
		}
	}
}

// runSeg is a run of block columns on one output row: columns
// [j, j+cnt) are output pixels (oh, ow..ow+cnt) of the image at offset img.
type runSeg struct{ j, cnt, img, oh, ow int }

func (b im2colB) pack(dst []float32, k0, kc, n0, nc, nr int) {
	if b.tab != nil {
		b.packTab(dst, k0, kc, n0, nc, nr)
		return
	}
	p := b.p
	plain, ps := plainLayout(kc, nc, nr)
	hw := b.oh * b.ow
	khw := p.KH * p.KW
	// The runs depend on the columns only: find them once, not per row.
	var segBuf [64]runSeg
	segs := segBuf[:0]
	for j := 0; j < nc; {
		n := n0 + j
		img, pix := n/hw, n%hw
		seg := runSeg{j: j, cnt: min(b.ow-pix%b.ow, nc-j), img: img * b.imgStride, oh: pix / b.ow, ow: pix % b.ow}
		segs = append(segs, seg) // grows on the heap only for maps under 8 wide
		j += seg.cnt
	}
	for kk := 0; kk < kc; kk++ {
		k := k0 + kk
		c, r := k/khw, k%khw
		kh, kw := r/p.KW, r%p.KW
		for _, sg := range segs {
			j, cnt := sg.j, sg.cnt
			ih := sg.oh*p.SH - p.PH + kh*p.DH
			if ih < 0 || ih >= p.H {
				zeroCols(dst, kc, nr, kk, j, cnt)
				continue
			}
			row := b.src[sg.img+(c*p.H+ih)*p.W:][:p.W]
			iw0 := sg.ow*p.SW - p.PW + kw*p.DW
			// Columns t with 0 <= iw0 + t*SW < W read the row; the rest
			// are padding (divisions only at the borders).
			t0, t1 := 0, cnt
			if iw0 < 0 {
				t0 = min(cnt, (-iw0+p.SW-1)/p.SW)
			}
			if iw0+(cnt-1)*p.SW >= p.W {
				t1 = t0
				if lim := p.W - 1 - iw0; lim >= 0 {
					t1 = max(t0, min(cnt, lim/p.SW+1))
				}
			}
			zeroCols(dst, kc, nr, kk, j, t0)
			// A run may lie wholly in the padding (t1 == t0, iw0+t0 < 0 when
			// the run is shorter than the padding): then nothing is read.
			switch {
			case t1 == t0:
			case packAsm && (nr == 32 || plain) && p.SW <= 2:
				packRunAVX512(&dst[kk*nr], &row[iw0+t0*p.SW], t1-t0, j+t0, ps, p.SW, 4*p.H*p.W)
			case p.SW == 1:
				copyCols(dst, kc, nr, kk, j+t0, row[iw0+t0:iw0+t1])
			default:
				gatherCols(dst, kc, nr, kk, j+t0, row, iw0+t0*p.SW, p.SW, t1-t0)
			}
			zeroCols(dst, kc, nr, kk, j+t1, cnt-t1)
		}
	}
}

// plainLayout reports whether a block of nc columns fits one panel of
// width nr, which makes the packed block plain rows nr floats apart (the
// transposed small-map GEMM packs so), and the panel stride in bytes the
// AVX-512 packers should use: 32-float panels back to back are a plain row.
func plainLayout(kc, nc, nr int) (plain bool, pstride int) {
	if nc <= nr && nr != 32 {
		return true, 4 * 32
	}
	return nc <= nr, 4 * kc * nr
}

// In the packed layout column j of row kk lives at
// (j/nr)*kc*nr + kk*nr + j%nr: runs of columns break at panel edges.

func zeroCols(dst []float32, kc, nr, kk, j, cnt int) {
	for cnt > 0 {
		l := j % nr
		m := min(cnt, nr-l)
		o := (j/nr)*kc*nr + kk*nr + l
		clear(dst[o : o+m])
		j, cnt = j+m, cnt-m
	}
}

func copyCols(dst []float32, kc, nr, kk, j int, src []float32) {
	for len(src) > 0 {
		l := j % nr
		m := min(len(src), nr-l)
		o := (j/nr)*kc*nr + kk*nr + l
		copy(dst[o:o+m], src[:m])
		j, src = j+m, src[m:]
	}
}

// packAsm selects the AVX-512 strided gathers; like the kernels it follows
// the ISA (tests flip it with SetISA).
var packAsm = isa == AVX512

func gatherCols(dst []float32, kc, nr, kk, j int, row []float32, i0, step, cnt int) {
	for cnt > 0 {
		l := j % nr
		m := min(cnt, nr-l)
		o := (j/nr)*kc*nr + kk*nr + l
		gatherStride(dst[o:o+m], row[i0:], step)
		j, i0, cnt = j+m, i0+m*step, cnt-m
	}
}

// gatherStride sets dst[j] = src[j*step] for j < len(dst), through the
// AVX-512 gathers where packAsm is set.
func gatherStride(dst, src []float32, step int) {
	if len(dst) == 0 {
		return
	}
	_ = src[(len(dst)-1)*step]
	switch {
	case step == 1:
		copy(dst, src)
	case !packAsm:
		for j := range dst {
			dst[j] = src[j*step]
		}
	case step == 2:
		gatherS2AVX512(&dst[0], &src[0], len(dst))
	default:
		gatherSAVX512(&dst[0], &src[0], len(dst), step)
	}
}
