package cnnc_test

import (
	"math"

	"github.com/cnnc/cnnc/compiler"
)

// reference computes a model's output for one sample the plainest way:
// walking the checked model's tree, every op a direct loop in float64. It
// shares nothing with the runtime (no lowering, fusion, planning or
// kernels), so that tests can check the runtime against it.
func reference(m *compiler.Model, w map[string][]float32, x []float32) []float64 {
	in := make([]float64, len(x))
	for i, v := range x {
		in[i] = float64(v)
	}
	return refNode(m.Root, w, in)
}

func refNode(n *compiler.Node, w map[string][]float32, x []float64) []float64 {
	switch n.Kind {
	case compiler.KindSeq:
		for _, c := range n.Children {
			x = refNode(c, w, x)
		}
		return x
	case compiler.KindConcat:
		var out []float64
		for _, br := range n.Children {
			out = append(out, refNode(br, w, x)...)
		}
		return out
	case compiler.KindResidual:
		body := refNode(n.Children[0], w, x)
		other := x
		if n.Shortcut != nil {
			other = refNode(n.Shortcut, w, x)
		}
		sum := make([]float64, len(body))
		for i := range sum {
			sum[i] = body[i] + other[i]
		}
		if n.Then != nil {
			return refNode(n.Then, w, sum)
		}
		return sum
	}
	return refLayer(n, w, x)
}

func param(n *compiler.Node, w map[string][]float32, suffix string) []float32 {
	for _, p := range n.Params {
		if p.Name == suffix || len(p.Name) > len(suffix) && p.Name[len(p.Name)-len(suffix)-1:] == "."+suffix {
			return w[p.Name]
		}
	}
	return nil
}

func refLayer(n *compiler.Node, w map[string][]float32, x []float64) []float64 {
	at := n.Attrs
	out := make([]float64, n.Out.Numel())
	switch n.Op {
	case compiler.OpConv:
		c, h, wd := int(n.In[0]), int(n.In[1]), int(n.In[2])
		co, oh, ow := int(n.Out[0]), int(n.Out[1]), int(n.Out[2])
		g := int(at.Groups)
		cpg, opg := c/g, co/g
		kh, kw := int(at.Kernel[0]), int(at.Kernel[1])
		weight, bias := param(n, w, "weight"), param(n, w, "bias")
		for o := range co {
			grp := o / opg
			for y := range oh {
				for xx := range ow {
					s := 0.0
					if bias != nil {
						s = float64(bias[o])
					}
					for ci := range cpg {
						for ky := range kh {
							iy := y*int(at.Stride[0]) - int(at.Padding[0]) + ky*int(at.Dilation[0])
							if iy < 0 || iy >= h {
								continue
							}
							for kx := range kw {
								ix := xx*int(at.Stride[1]) - int(at.Padding[1]) + kx*int(at.Dilation[1])
								if ix < 0 || ix >= wd {
									continue
								}
								s += float64(weight[((o*cpg+ci)*kh+ky)*kw+kx]) * x[((grp*cpg+ci)*h+iy)*wd+ix]
							}
						}
					}
					out[(o*oh+y)*ow+xx] = s
				}
			}
		}
	case compiler.OpMaxPool, compiler.OpAvgPool:
		c, h, wd := int(n.In[0]), int(n.In[1]), int(n.In[2])
		oh, ow := int(n.Out[1]), int(n.Out[2])
		kh, kw, sh, sw, ph, pw := int(at.Kernel[0]), int(at.Kernel[1]), int(at.Stride[0]), int(at.Stride[1]), int(at.Padding[0]), int(at.Padding[1])
		for ch := range c {
			for y := range oh {
				for xx := range ow {
					y0, x0 := y*sh-ph, xx*sw-pw
					y1, x1 := min(y0+kh, h+ph), min(x0+kw, wd+pw)
					count := (y1 - y0) * (x1 - x0)
					m, s := math.Inf(-1), 0.0
					for iy := max(y0, 0); iy < min(y1, h); iy++ {
						for ix := max(x0, 0); ix < min(x1, wd); ix++ {
							v := x[(ch*h+iy)*wd+ix]
							m = math.Max(m, v)
							s += v
						}
					}
					if n.Op == compiler.OpMaxPool {
						out[(ch*oh+y)*ow+xx] = m
					} else {
						out[(ch*oh+y)*ow+xx] = s / float64(count)
					}
				}
			}
		}
	case compiler.OpAdaptiveAvg, compiler.OpGlobalAvg:
		c, h, wd := int(n.In[0]), int(n.In[1]), int(n.In[2])
		oh, ow := int(n.Out[1]), int(n.Out[2])
		for ch := range c {
			for y := range oh {
				for xx := range ow {
					y0, y1 := y*h/oh, ((y+1)*h+oh-1)/oh
					x0, x1 := xx*wd/ow, ((xx+1)*wd+ow-1)/ow
					s := 0.0
					for iy := y0; iy < y1; iy++ {
						for ix := x0; ix < x1; ix++ {
							s += x[(ch*h+iy)*wd+ix]
						}
					}
					out[(ch*oh+y)*ow+xx] = s / float64((y1-y0)*(x1-x0))
				}
			}
		}
	case compiler.OpDense:
		weight, bias := param(n, w, "weight"), param(n, w, "bias")
		for o := range out {
			s := 0.0
			if bias != nil {
				s = float64(bias[o])
			}
			for i, v := range x {
				s += float64(weight[o*len(x)+i]) * v
			}
			out[o] = s
		}
	case compiler.OpBatchNorm:
		g, b, mu, vr := param(n, w, "weight"), param(n, w, "bias"), param(n, w, "running_mean"), param(n, w, "running_var")
		plane := len(x) / int(n.In[0])
		for i, v := range x {
			ch := i / plane
			out[i] = (v-float64(mu[ch]))/math.Sqrt(float64(vr[ch])+at.Eps)*float64(g[ch]) + float64(b[ch])
		}
	case compiler.OpSoftmax, compiler.OpLogSoftmax:
		ch := int(n.In[0])
		plane := len(x) / ch
		for p := range plane {
			m := math.Inf(-1)
			for c := range ch {
				m = math.Max(m, x[c*plane+p])
			}
			s := 0.0
			for c := range ch {
				s += math.Exp(x[c*plane+p] - m)
			}
			for c := range ch {
				if n.Op == compiler.OpLogSoftmax {
					out[c*plane+p] = x[c*plane+p] - m - math.Log(s)
				} else {
					out[c*plane+p] = math.Exp(x[c*plane+p]-m) / s
				}
			}
		}
	case compiler.OpFlatten, compiler.OpDropout, compiler.OpIdentity:
		copy(out, x)
	case compiler.OpPReLU:
		a := param(n, w, "weight")
		plane := len(x) / int(n.In[0])
		for i, v := range x {
			if v < 0 {
				v *= float64(a[min(i/plane, len(a)-1)])
			}
			out[i] = v
		}
	default:
		if n.Act.Kind == 0 {
			panic("reference: no meaning for layer " + string(n.Op))
		}
		for i, v := range x {
			out[i] = n.Act.Eval(v)
		}
	}
	return out
}
