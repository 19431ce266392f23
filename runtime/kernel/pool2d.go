package kernel

import "math"

// A PoolWindow is a pooling window with PyTorch's meaning.
type PoolWindow struct {
	KH, KW, SH, SW, PH, PW int
}

// MaxPool2D computes max pooling of one h x w plane into oh x ow. On
// AVX-512, strides of 1 and 2 run in maxpool_amd64.s, a row per pass over
// registers (3.5-4x faster than the passes below for 3x3 stride 2). The
// Go path is separable: each output row takes the elementwise maximum of its window's
// input rows, then of KW shifted copies of that row, all in vector
// instructions. Padding never wins, as in PyTorch (it is -Inf there).
func MaxPool2D(dst, src []float32, h, w, oh, ow int, win PoolWindow) {
	if maxPoolVec(oh, ow, win) && maxPoolRowsVec(dst, src, 1, h, w, oh, ow, win) {
		return
	}
	maxPool2DPasses(dst, src, h, w, oh, ow, win)
}

// maxPool2DPasses is MaxPool2D's Go path.
func maxPool2DPasses(dst, src []float32, h, w, oh, ow int, win PoolWindow) {
	span := (ow-1)*win.SW + win.KW // padded row the windows cover
	var stack [2 * 1024]float32
	buf := stack[:]
	if 2*span > len(buf) {
		buf = make([]float32, 2*span)
	}
	row, hm := buf[:span], buf[span:2*span]
	inf := float32(math.Inf(-1))
	for i := range row {
		row[i] = inf
	}
	lo, hi := win.PW, min(win.PW+w, span) // where the input lies in row
	for oy := range oh {
		y0 := oy*win.SH - win.PH
		y1 := min(y0+win.KH, h)
		y0 = max(y0, 0)
		in := row[lo:hi]
		copy(in, src[y0*w:y0*w+len(in)])
		for y := y0 + 1; y < y1; y++ {
			MaxF32(in, in, src[y*w:])
		}
		out := dst[oy*ow : (oy+1)*ow]
		if win.SW == 1 {
			copy(out, row[:ow])
			for k := 1; k < win.KW; k++ {
				MaxF32(out, out, row[k:])
			}
			continue
		}
		n := span - win.KW + 1
		copy(hm[:n], row[:n])
		for k := 1; k < win.KW; k++ {
			MaxF32(hm[:n], hm[:n], row[k:])
		}
		for ox := range out {
			out[ox] = hm[ox*win.SW]
		}
	}
}

// AvgPool2D computes average pooling of one plane. The divisor counts the
// padding inside a window but not the part of a ceil-mode window beyond
// it, as PyTorch's AvgPool2d does by default (count_include_pad).
func AvgPool2D(dst, src []float32, h, w, oh, ow int, win PoolWindow) {
	if win == (PoolWindow{2, 2, 2, 2, 0, 0}) && 2*oh <= h && 2*ow <= w {
		avgPool2x2(dst, src, w, oh, ow)
		return
	}
	span := (ow-1)*win.SW + win.KW
	var stack [2 * 1024]float32
	buf := stack[:]
	if 2*span > len(buf) {
		buf = make([]float32, 2*span)
	}
	row, hs := buf[:span], buf[span:2*span]
	clear(row)
	lo, hi := win.PW, min(win.PW+w, span)
	for oy := range oh {
		y0 := oy*win.SH - win.PH
		y1 := min(y0+win.KH, h+win.PH)
		ny := y1 - y0
		y0, y1 = max(y0, 0), min(y1, h)
		in := row[lo:hi]
		copy(in, src[y0*w:y0*w+len(in)])
		for y := y0 + 1; y < y1; y++ {
			AddF32(in, in, src[y*w:])
		}
		n := span - win.KW + 1
		copy(hs[:n], row[:n])
		for k := 1; k < win.KW; k++ {
			AddF32(hs[:n], hs[:n], row[k:])
		}
		out := dst[oy*ow : (oy+1)*ow]
		for ox := range out {
			x0 := ox*win.SW - win.PW
			nx := min(x0+win.KW, w+win.PW) - x0
			out[ox] = hs[ox*win.SW] / float32(ny*nx)
		}
	}
}

// avgPool2x2 is the 2x2 stride-2 window without padding (LeNet's): rows
// too short for the vector passes above to pay for their calls. It sums
// in their order, (top-left + bottom-left) + (top-right + bottom-right).
func avgPool2x2(dst, src []float32, w, oh, ow int) {
	for oy := range oh {
		r0, r1 := src[2*oy*w:][:2*ow], src[(2*oy+1)*w:][:2*ow]
		out := dst[oy*ow:][:ow]
		for ox := range out {
			out[ox] = ((r0[2*ox] + r1[2*ox]) + (r0[2*ox+1] + r1[2*ox+1])) / 4
		}
	}
}

// MaxPoolPlanes pools planes consecutive h x w planes of src into dst,
// with the vector kernel of MaxPool2D where it applies (twice as fast as
// maxPoolSame on Inception's 3x3 stride-1 pools). Otherwise a stride-1
// window that keeps the size (3x3 with padding 1, as in Inception's pool
// path) runs over all the planes at once: a few long vector passes
// instead of short ones per row.
func MaxPoolPlanes(dst, src []float32, planes, h, w, oh, ow int, win PoolWindow) {
	if maxPoolVec(oh, ow, win) && maxPoolRowsVec(dst, src, planes, h, w, oh, ow, win) {
		return
	}
	if win.SH == 1 && win.SW == 1 && oh == h && ow == w && win.KH == 2*win.PH+1 && win.KW == 2*win.PW+1 {
		maxPoolSame(dst[:planes*h*w], src[:planes*h*w], planes, h, w, win.PH, win.PW)
		return
	}
	// The vector kernel declined the shape above: go straight to the passes.
	for p := range planes {
		maxPool2DPasses(dst[p*oh*ow:(p+1)*oh*ow], src[p*h*w:(p+1)*h*w], h, w, oh, ow, win)
	}
}

// maxPoolSame is max pooling with a (2ph+1) x (2pw+1) window, stride 1
// and padding ph, pw. The vertical pass takes the maximum of src shifted
// by whole rows over all planes, then mends the rows near each plane's
// top and bottom, where the shift crossed into the next plane; the
// horizontal pass does the same with columns.
func maxPoolSame(dst, src []float32, planes, h, w, ph, pw int) {
	const chunk = 4096
	var stack [chunk]float32
	size := h * w
	per := max(1, chunk/size)
	var v []float32
	if size > chunk {
		v = make([]float32, size)
	} else {
		v = stack[:per*size]
	}
	for p0 := 0; p0 < planes; p0 += per {
		np := min(per, planes-p0)
		x := src[p0*size : (p0+np)*size]
		d := dst[p0*size : (p0+np)*size]
		vv := v[:np*size]
		copy(vv, x)
		for k := 1; k <= ph; k++ {
			s := k * w
			if s >= len(x) {
				break
			}
			MaxF32(vv[s:], vv[s:], x[:len(x)-s])
			MaxF32(vv[:len(x)-s], vv[:len(x)-s], x[s:])
		}
		for p := range np {
			for y := range h {
				if y >= ph && y < h-ph {
					continue
				}
				row := vv[p*size+y*w:][:w]
				copy(row, x[p*size+max(0, y-ph)*w:][:w])
				for yy := max(0, y-ph) + 1; yy <= min(h-1, y+ph); yy++ {
					MaxF32(row, row, x[p*size+yy*w:])
				}
			}
		}
		copy(d, vv)
		for k := 1; k <= pw; k++ {
			if k >= len(vv) {
				break
			}
			MaxF32(d[k:], d[k:], vv[:len(vv)-k])
			MaxF32(d[:len(vv)-k], d[:len(vv)-k], vv[k:])
		}
		for r := range np * h {
			row, out := vv[r*w:(r+1)*w], d[r*w:(r+1)*w]
			for xx := range w {
				if xx >= pw && xx < w-pw {
					continue
				}
				m := row[max(0, xx-pw)]
				for k := max(0, xx-pw) + 1; k <= min(w-1, xx+pw); k++ {
					if !(m > row[k]) {
						m = row[k]
					}
				}
				out[xx] = m
			}
		}
	}
}

// MeanPlanes writes to dst[i] the mean of plane i of src, len(dst)
// consecutive planes of hw floats: a global average pool (ResNet-50's 2048
// planes of 7x7 before its classifier). Eight running sums, where one waits
// on each add in turn: at batch 8 that pool took 0.33 ms through the
// per-window loop, against onnxruntime's 0.07.
func MeanPlanes(dst, src []float32, hw int) {
	for i := range dst {
		p := src[i*hw:][:hw]
		var s0, s1, s2, s3, s4, s5, s6, s7 float32
		k := 0
		for ; k+8 <= len(p); k += 8 {
			q := p[k : k+8 : k+8]
			s0 += q[0]
			s1 += q[1]
			s2 += q[2]
			s3 += q[3]
			s4 += q[4]
			s5 += q[5]
			s6 += q[6]
			s7 += q[7]
		}
		for ; k < len(p); k++ {
			s0 += p[k]
		}
		dst[i] = ((s0 + s1) + (s2 + s3) + ((s4 + s5) + (s6 + s7))) / float32(hw)
	}
}
