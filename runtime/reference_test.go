package runtime

import (
	"fmt"
	"math"

	"github.com/cnnc/cnnc/act"
)

// refRun is the reference interpreter the runtime's tests compare against:
// it executes g on n images op by op, as written (no fusion, no memory
// planning), in float64, with the plain loops of PyTorch's definitions.
// It reads w without changing it.
func refRun(g *Graph, w Weights, src []float32, n int) []float64 {
	vals := make([][]float64, len(g.Values))
	in := make([]float64, len(src))
	for i, v := range src {
		in[i] = float64(v)
	}
	vals[g.Input] = in
	for _, op := range g.Ops {
		vals[op.Out] = refOp(g, w, op, vals, n)
	}
	return vals[g.Output]
}

func refOp(g *Graph, w Weights, op *Op, vals [][]float64, n int) []float64 {
	inShape, outShape := g.Values[op.In[0]].Shape, g.Values[op.Out].Shape
	inSize, outSize := g.Values[op.In[0]].Numel(), g.Values[op.Out].Numel()
	x := vals[op.In[0]]
	y := make([]float64, n*outSize)
	switch op.Kind {
	case OpConv:
		for img := range n {
			refConv(op, w, inShape, outShape, x[img*inSize:][:inSize], y[img*outSize:][:outSize])
		}
		refAct(op.Act, y)
	case OpDense:
		weight, bias := w[op.Weight], w[op.Bias]
		for img := range n {
			xi := x[img*inSize:][:inSize]
			for o := range outSize {
				s := 0.0
				if op.Bias != "" {
					s = float64(bias[o])
				}
				for f, v := range xi {
					s += float64(weight[o*inSize+f]) * v
				}
				y[img*outSize+o] = s
			}
		}
		refAct(op.Act, y)
	case OpMaxPool, OpAvgPool:
		for img := range n {
			refPool(op, inShape, outShape, x[img*inSize:][:inSize], y[img*outSize:][:outSize])
		}
	case OpAdaptiveAvg:
		c, h, wd, oh, ow := inShape[0], inShape[1], inShape[2], outShape[1], outShape[2]
		for pl := range n * c {
			p, q := x[pl*h*wd:][:h*wd], y[pl*oh*ow:][:oh*ow]
			for oy := range oh {
				y0, y1 := floorDiv(oy*h, oh), ceilDiv((oy+1)*h, oh)
				for ox := range ow {
					x0, x1 := floorDiv(ox*wd, ow), ceilDiv((ox+1)*wd, ow)
					s := 0.0
					for iy := y0; iy < y1; iy++ {
						for ix := x0; ix < x1; ix++ {
							s += p[iy*wd+ix]
						}
					}
					q[oy*ow+ox] = s / float64((y1-y0)*(x1-x0))
				}
			}
		}
	case OpBatchNorm:
		c := inShape[0]
		plane := inSize / c
		gamma, beta, mean, vr := w[op.Weight], w[op.Bias], w[op.Mean], w[op.Var]
		for i := range y {
			ch := i % inSize / plane
			y[i] = (x[i]-float64(mean[ch]))/math.Sqrt(float64(vr[ch])+float64(op.Eps))*float64(gamma[ch]) + float64(beta[ch])
		}
	case OpAct:
		copy(y, x)
		refAct(op.Act, y)
	case OpPReLU:
		c := inShape[0]
		plane := inSize / c
		slopes := w[op.Weight]
		for i, v := range x {
			y[i] = v
			if v < 0 {
				y[i] = v * float64(slopes[min(i%inSize/plane, len(slopes)-1)])
			}
		}
	case OpSoftmax, OpLogSoftmax:
		c, plane := inShape[0], 1
		if len(inShape) == 3 {
			plane = inShape[1] * inShape[2]
		}
		for img := range n {
			xi, yi := x[img*inSize:][:inSize], y[img*outSize:][:outSize]
			for p := range plane {
				m := math.Inf(-1)
				for ch := range c {
					m = math.Max(m, xi[ch*plane+p])
				}
				sum := 0.0
				for ch := range c {
					yi[ch*plane+p] = math.Exp(xi[ch*plane+p] - m)
					sum += yi[ch*plane+p]
				}
				for ch := range c {
					if op.Kind == OpLogSoftmax {
						yi[ch*plane+p] = xi[ch*plane+p] - m - math.Log(sum)
					} else {
						yi[ch*plane+p] /= sum
					}
				}
			}
		}
	case OpAdd:
		b := vals[op.In[1]]
		for i := range y {
			y[i] = x[i] + b[i]
		}
	case OpConcat:
		// Images are [C, ...]: each input's channels follow the previous
		// input's within every image.
		off := 0
		for _, v := range op.In {
			size := g.Values[v].Numel()
			for img := range n {
				copy(y[img*outSize+off:][:size], vals[v][img*size:][:size])
			}
			off += size
		}
	case OpReshape:
		copy(y, x)
	default:
		panic(fmt.Sprintf("refOp: %v", op.Kind))
	}
	return y
}

// refConv is one image of a convolution: weight [Cout, C/groups, KH, KW].
func refConv(op *Op, w Weights, in, out []int, x, y []float64) {
	win := op.Window
	sh, sw, dh, dw := max(win.SH, 1), max(win.SW, 1), max(win.DH, 1), max(win.DW, 1)
	groups := max(op.Groups, 1)
	c, h, wd := in[0], in[1], in[2]
	cout, oh, ow := out[0], out[1], out[2]
	cg, mg := c/groups, cout/groups
	weight := w[op.Weight]
	for o := range cout {
		acc := y[o*oh*ow:][:oh*ow]
		if op.Bias != "" {
			for i := range acc {
				acc[i] = float64(w[op.Bias][o])
			}
		}
		grp := o / mg
		for ci := range cg {
			plane := x[(grp*cg+ci)*h*wd:][:h*wd]
			for ky := range win.KH {
				for kx := range win.KW {
					wv := float64(weight[((o*cg+ci)*win.KH+ky)*win.KW+kx])
					// The output columns whose input column ox*sw - PW + kx*dw
					// lies inside the image.
					x0 := kx*dw - win.PW
					lo, hi := ceilDiv(max(-x0, 0), sw), min(ow, ceilDiv(max(wd-x0, 0), sw))
					for oy := range oh {
						iy := oy*sh - win.PH + ky*dh
						if iy < 0 || iy >= h {
							continue
						}
						row, out := plane[iy*wd:][:wd], acc[oy*ow:][:ow]
						for ox := lo; ox < hi; ox++ {
							out[ox] += wv * row[ox*sw+x0]
						}
					}
				}
			}
		}
	}
}

// refPool is one image of max pooling (padding is -Inf, never chosen) or
// average pooling (count_include_pad: the divisor counts the padding, but
// not a ceil-mode window's part beyond it, as PyTorch's avg_pool2d).
func refPool(op *Op, in, out []int, x, y []float64) {
	win := op.Window
	c, h, wd := in[0], in[1], in[2]
	oh, ow := out[1], out[2]
	for ch := range c {
		p, q := x[ch*h*wd:][:h*wd], y[ch*oh*ow:][:oh*ow]
		for oy := range oh {
			hs := oy*win.SH - win.PH
			he := min(hs+win.KH, h+win.PH)
			for ox := range ow {
				ws := ox*win.SW - win.PW
				we := min(ws+win.KW, wd+win.PW)
				size := (he - hs) * (we - ws)
				m, s := math.Inf(-1), 0.0
				for iy := max(hs, 0); iy < min(he, h); iy++ {
					for ix := max(ws, 0); ix < min(we, wd); ix++ {
						m = math.Max(m, p[iy*wd+ix])
						s += p[iy*wd+ix]
					}
				}
				if op.Kind == OpMaxPool {
					q[oy*ow+ox] = m
				} else {
					q[oy*ow+ox] = s / float64(size)
				}
			}
		}
	}
}

func refAct(f act.Func, y []float64) {
	for i, v := range y {
		y[i] = f.Eval(v)
	}
}

func floorDiv(a, b int) int { return a / b } // a, b >= 0
func ceilDiv(a, b int) int  { return (a + b - 1) / b }

// windowOut is PyTorch's output size of a pooling or convolution window
// along one axis (pooling_output_shape): with ceil, the last window must
// start inside the input or the left padding.
func windowOut(size, k, s, p, d int, ceil bool) int {
	num := size + 2*p - d*(k-1) - 1
	if ceil {
		num += s - 1
	}
	out := num/s + 1
	if ceil && (out-1)*s >= size+p {
		out--
	}
	return out
}
