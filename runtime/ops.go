package runtime

import (
	"math"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/runtime/kernel"
)

// The ops other than convolution and dense layers, in plain Go: they move
// little data next to the convolutions around them. Each works on n images
// whose source and destination are sStride and dStride elements apart, so
// that a result can land in a channel slice of a concatenation.

// A task is a loop of count independent iterations costing about work
// operations in all. Tasks are built once per planned batch size, so that
// running one allocates nothing.
type task struct {
	work  int64
	count int
	fn    func(i int)
}

func (t task) run(pool *kernel.Pool) { pool.Parallel(t.work, t.count, t.fn) }

// planes is a task over the n*c planes of a batch, each costing cost. An
// index of the loop covers enough planes for about 16K operations: each
// index is an atomic claim on a line both cores write, and one per small
// plane (ResNet-50's 2048 planes of 7x7 before its classifier) cost ten
// times the arithmetic.
func planes(n, c int, cost int, fn func(img, ch int)) task {
	per := max(1, min(n*c, 16384/max(cost, 1)))
	count := (n*c + per - 1) / per
	return task{work: int64(n*c) * int64(cost), count: count, fn: func(i int) {
		for p := i * per; p < min(n*c, (i+1)*per); p++ {
			fn(p/c, p%c)
		}
	}}
}

// images is a task over the n images of a batch, each costing cost.
func images(n, cost int, fn func(img int)) task {
	return task{work: int64(n) * int64(cost), count: n, fn: fn}
}

type poolGeom struct {
	c, h, w, oh, ow int
	win             Window
}

// planeGroups is a task over the n*c planes of hw values of a batch in
// groups of about 16K values, fn getting each group's image, first channel
// and plane count: long passes for the kernels, and work for both cores.
func planeGroups(n, c, hw int, work int64, fn func(img, c0, np int)) task {
	group := max(1, min(c, 16384/hw))
	per := (c + group - 1) / group // groups per image
	return task{work: work, count: n * per, fn: func(i int) {
		img, c0 := i/per, i%per*group
		fn(img, c0, min(group, c-c0))
	}}
}

// maxPool works on groups of planes, so that the kernel's long vector
// passes pay off.
func maxPool(g poolGeom, src []float32, sStride int, dst []float32, dStride, n int) task {
	win := kernelWindow(g.win)
	return planeGroups(n, g.c, g.h*g.w, int64(n*g.c*g.oh*g.ow)*int64(win.KH+win.KW), func(img, c0, np int) {
		s := src[img*sStride+c0*g.h*g.w:][:np*g.h*g.w]
		d := dst[img*dStride+c0*g.oh*g.ow:][:np*g.oh*g.ow]
		kernel.MaxPoolPlanes(d, s, np, g.h, g.w, g.oh, g.ow, win)
	})
}

// avgPool divides by the window's size including padding, as PyTorch's
// AvgPool2d does by default (count_include_pad), but not by the part of a
// ceil-mode window past the padding.
func avgPool(g poolGeom, src []float32, sStride int, dst []float32, dStride, n int) task {
	win := kernelWindow(g.win)
	return planes(n, g.c, g.oh*g.ow*(win.KH+win.KW), func(img, ch int) {
		s := src[img*sStride+ch*g.h*g.w:][:g.h*g.w]
		d := dst[img*dStride+ch*g.oh*g.ow:][:g.oh*g.ow]
		kernel.AvgPool2D(d, s, g.h, g.w, g.oh, g.ow, win)
	})
}

func kernelWindow(w Window) kernel.PoolWindow {
	return kernel.PoolWindow{KH: w.KH, KW: w.KW, SH: w.SH, SW: w.SW, PH: w.PH, PW: w.PW}
}

// adaptiveAvg averages over PyTorch's adaptive windows: output row i covers
// input rows floor(i*H/OH) to ceil((i+1)*H/OH).
func adaptiveAvg(g poolGeom, src []float32, sStride int, dst []float32, dStride, n int) task {
	if g.oh == g.h && g.ow == g.w {
		// Every window is one pixel (torchvision's AlexNet pools its 6x6
		// maps to 6x6): a copy, not 9216 one-element averages (0.08 ms).
		size := g.c * g.h * g.w
		return images(n, size, func(img int) {
			copy(dst[img*dStride:][:size], src[img*sStride:][:size])
		})
	}
	if g.oh == 1 && g.ow == 1 {
		// A global average.
		hw := g.h * g.w
		return planeGroups(n, g.c, hw, int64(n*g.c*hw), func(img, c0, np int) {
			kernel.MeanPlanes(dst[img*dStride+c0:][:np], src[img*sStride+c0*hw:][:np*hw], hw)
		})
	}
	return planes(n, g.c, g.h*g.w+g.oh*g.ow, func(img, ch int) {
		s := src[img*sStride+ch*g.h*g.w:][:g.h*g.w]
		d := dst[img*dStride+ch*g.oh*g.ow:][:g.oh*g.ow]
		for oy := range g.oh {
			y0, y1 := oy*g.h/g.oh, ((oy+1)*g.h+g.oh-1)/g.oh
			for ox := range g.ow {
				x0, x1 := ox*g.w/g.ow, ((ox+1)*g.w+g.ow-1)/g.ow
				var sum float32
				for y := y0; y < y1; y++ {
					for _, v := range s[y*g.w+x0 : y*g.w+x1] {
						sum += v
					}
				}
				d[oy*g.ow+ox] = sum / float32((y1-y0)*(x1-x0))
			}
		}
	})
}

// activate applies an activation to n images of size elements.
func activate(f act.Func, src []float32, sStride int, dst []float32, dStride, n, size int) task {
	return images(n, size*4, func(img int) {
		kernel.Activate(f, dst[img*dStride:][:size], src[img*sStride:][:size])
	})
}

// prelu computes x for x > 0, else slope * x, with one slope or one per
// channel (len(slopes) is 1 or c).
func prelu(slopes []float32, c, plane int, src []float32, sStride int, dst []float32, dStride, n int) task {
	return planes(n, c, plane, func(img, ch int) {
		s := src[img*sStride+ch*plane:][:plane]
		d := dst[img*dStride+ch*plane:][:plane]
		a := slopes[min(ch, len(slopes)-1)]
		for i, v := range s {
			if v <= 0 {
				v *= a
			}
			d[i] = v
		}
	})
}

// affine computes x*scale[c] + shift[c] per channel: an unfolded BatchNorm.
func affine(scale, shift []float32, plane int, src []float32, sStride int, dst []float32, dStride, n int) task {
	c := len(scale)
	return planes(n, c, plane, func(img, ch int) {
		s := src[img*sStride+ch*plane:][:plane]
		d := dst[img*dStride+ch*plane:][:plane]
		a, b := scale[ch], shift[ch]
		for i, v := range s {
			d[i] = v*a + b
		}
	})
}

func add(a []float32, aStride int, b []float32, bStride int, dst []float32, dStride, n, size int) task {
	return images(n, size, func(img int) {
		kernel.AddF32(dst[img*dStride:][:size], a[img*aStride:][:size], b[img*bStride:][:size])
	})
}

// softmax normalises over channels at each pixel (plane = H*W) or over
// features (plane = 1), subtracting the maximum first as PyTorch does; with
// log, it computes the log-softmax, x - max - log(sum(exp(x - max))).
func softmax(c, plane int, log bool, src []float32, sStride int, dst []float32, dStride, n int) task {
	return images(n, c*plane*8, func(img int) {
		s, d := src[img*sStride:][:c*plane], dst[img*dStride:][:c*plane]
		for p := range plane {
			m := float32(math.Inf(-1))
			for ch := range c {
				m = max(m, s[ch*plane+p])
			}
			var sum float64
			for ch := range c {
				e := math.Exp(float64(s[ch*plane+p] - m))
				if !log {
					d[ch*plane+p] = float32(e)
				}
				sum += e
			}
			if log {
				ls := math.Log(sum)
				for ch := range c {
					d[ch*plane+p] = float32(float64(s[ch*plane+p]-m) - ls)
				}
				continue
			}
			for ch := range c {
				d[ch*plane+p] = float32(float64(d[ch*plane+p]) / sum)
			}
		}
	})
}

// copyImages copies n images of size elements between strided layouts.
func copyImages(src []float32, sStride int, dst []float32, dStride, n, size int) task {
	return images(n, size, func(img int) {
		copy(dst[img*dStride:][:size], src[img*sStride:][:size])
	})
}
