package runtime

// fuseSiblings merges 1x1 stride-1 convolutions that read the same value
// and end in the same activation into the first of them: one GEMM over
// their concatenated weights, each writing its own output (kernel
// ConvOutput). Every Inception block opens with three such convolutions;
// merged they pack the shared input once instead of three times and fill
// taller register tiles (a 24-channel reduction alone wastes most of its
// tiles' time on packing). The later members run earlier than written,
// which is safe: they read nothing but the shared input, and their
// outputs are planned live from the merged op on.
func fuseSiblings(ops []*cop) []*cop {
	head := map[ValueID]*cop{}
	out := ops[:0]
	for _, c := range ops {
		if !siblingFusible(c) {
			out = append(out, c)
			continue
		}
		h, ok := head[c.in[0]]
		if !ok {
			head[c.in[0]] = c
			out = append(out, c)
			continue
		}
		if h.act != c.act {
			out = append(out, c)
			continue
		}
		h.siblings = append(h.siblings, c)
	}
	return out
}

func siblingFusible(c *cop) bool {
	w := c.op.Window
	return c.op.Kind == OpConv && c.residual < 0 && max(c.op.Groups, 1) == 1 &&
		w.KH == 1 && w.KW == 1 && max(w.SH, 1) == 1 && max(w.SW, 1) == 1 && w.PH == 0 && w.PW == 0
}

// outs lists the values an op computes: its output, then its siblings'.
func (c *cop) outs() []ValueID {
	vs := []ValueID{c.out}
	for _, s := range c.siblings {
		vs = append(vs, s.out)
	}
	return vs
}

// name is the layer name for profiles: merged siblings join theirs.
func (c *cop) name() string {
	n := c.op.Name
	for _, s := range c.siblings {
		n += "+" + s.op.Name
	}
	return n
}

// siblingParams appends the siblings' weights and biases to the op's own
// (a missing bias is zeros, and all-missing stays nil).
func (c *cop) siblingParams(g *Graph, w Weights, weight, bias []float32, cout int) ([]float32, []float32, int) {
	type part struct {
		bias []float32
		cout int
	}
	parts := []part{{bias, cout}}
	weight = weight[:len(weight):len(weight)] // appending must not write past the caller's tensor
	for _, s := range c.siblings {
		n := g.Values[s.out].Shape[0]
		sw, sb := s.foldedParams(w, n)
		weight = append(weight, sw...)
		parts = append(parts, part{sb, n})
		cout += n
	}
	var all []float32
	for _, p := range parts {
		if p.bias != nil {
			all = make([]float32, 0, cout)
			break
		}
	}
	if all == nil {
		return weight, nil, cout
	}
	for _, p := range parts {
		if p.bias == nil {
			p.bias = make([]float32, p.cout)
		}
		all = append(all, p.bias...)
	}
	return weight, all, cout
}
