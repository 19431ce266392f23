package kernel

// Depthwise (and channel-multiplier <= 4) convolutions have one input
// channel per group: a GEMM would be M = 1..4 rows, nearly all padding, so
// they run as direct loops, one output plane per task. None of the models
// the runtime targets has one; this path is correct rather than fast.

func (c *Conv) runDepthwise(pool *Pool, t *convTask) {
	par := pool.Workers()
	if c.p.MACs()*int64(t.n) < minParallelWork {
		par = 1
	}
	pool.run(t.n*c.p.Cout, par, t)
}

// depthwise computes output plane i = (image, channel).
func (t *convTask) depthwise(i int) {
	c := t.c
	p := &c.p
	img, o := i/p.Cout, i%p.Cout
	mult := p.Cout / p.Groups
	ic := o / mult
	hw := c.oh * c.ow
	in := t.src[(img*p.C+ic)*p.H*p.W:][:p.H*p.W]
	out := t.dst[img*t.ds+o*hw:][:hw]
	w := c.weight[o*p.KH*p.KW:][:p.KH*p.KW]
	var b float32
	if c.bias != nil {
		b = c.bias[o]
	}
	for j := range out {
		out[j] = b
	}
	for oh := 0; oh < c.oh; oh++ {
		orow := out[oh*c.ow : (oh+1)*c.ow]
		for kh := 0; kh < p.KH; kh++ {
			ih := oh*p.SH - p.PH + kh*p.DH
			if ih < 0 || ih >= p.H {
				continue
			}
			irow := in[ih*p.W : (ih+1)*p.W]
			for kw := 0; kw < p.KW; kw++ {
				wv := w[kh*p.KW+kw]
				off := kw*p.DW - p.PW
				// ow with 0 <= ow*SW + off < W.
				lo := 0
				if off < 0 {
					lo = (-off + p.SW - 1) / p.SW
				}
				hi := c.ow
				if lim := p.W - 1 - off; lim < 0 {
					hi = 0
				} else {
					hi = min(hi, lim/p.SW+1)
				}
				for ow := lo; ow < hi; ow++ {
					orow[ow] += wv * irow[ow*p.SW+off]
				}
			}
		}
	}
	if t.ep.Residual != nil {
		r := t.ep.Residual[img*t.rs+o*hw:][:hw]
		for j := range out {
			out[j] += r[j]
		}
	}
	t.cl.applyTo(out)
	activate(t.rest, out)
}
