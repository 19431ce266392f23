package runtime

import (
	"fmt"

	"github.com/cnnc/cnnc/internal/hugepage"
	"github.com/cnnc/cnnc/runtime/kernel"
)

// Convolutions and dense layers: the ops that own packed kernels, into
// whose stores fusion folds BatchNorm, activations and residual sums.

func init() {
	register(OpConv, &opKind{name: "conv", inputs: 1, check: checkConv, weights: convWeights,
		prepare: prepareConv, strided: true, step: convStep, macs: convMACs})
	register(OpDense, &opKind{name: "dense", inputs: 1, check: checkDense, weights: denseWeights,
		prepare: prepareDense, step: denseStep, macs: denseMACs})
}

func checkConv(g *Graph, op *Op, in, out []int) error {
	if len(in) != 3 || len(out) != 3 {
		return fmt.Errorf("needs [C, H, W] shapes, have %v -> %v", in, out)
	}
	w := op.Window
	gr := max(op.Groups, 1)
	if op.Weight == "" || w.KH < 1 || w.KW < 1 || min(w.SH, w.SW, w.PH, w.PW, w.DH, w.DW, op.Groups) < 0 ||
		in[0]%gr != 0 || out[0]%gr != 0 {
		return fmt.Errorf("bad convolution (window %+v, groups %d, weight %q) for %v -> %v", w, op.Groups, op.Weight, in, out)
	}
	if in[1]+2*w.PH < max(w.DH, 1)*(w.KH-1)+1 || in[2]+2*w.PW < max(w.DW, 1)*(w.KW-1)+1 {
		return fmt.Errorf("the %dx%d window is larger than the padded %dx%d input", w.KH, w.KW, in[1]+2*w.PH, in[2]+2*w.PW)
	}
	if p := convParams(op, in, out[0]); p.OutH() != out[1] || p.OutW() != out[2] {
		return fmt.Errorf("the window gives %dx%d, the graph says %dx%d", p.OutH(), p.OutW(), out[1], out[2])
	}
	return nil
}

func convWeights(_ *Graph, op *Op, in, out []int) []weightNeed {
	groups := max(op.Groups, 1)
	return []weightNeed{{op.Weight, out[0] * in[0] / groups * op.Window.KH * op.Window.KW}, {op.Bias, out[0]}}
}

// convParams is the kernel's description of a convolution of op from a map
// of shape in to cout channels.
func convParams(op *Op, in []int, cout int) kernel.ConvParams {
	win := op.Window
	return kernel.ConvParams{C: in[0], H: in[1], W: in[2], Cout: cout, KH: win.KH, KW: win.KW,
		SH: win.SH, SW: win.SW, PH: win.PH, PW: win.PW, DH: win.DH, DW: win.DW, Groups: max(op.Groups, 1)}
}

func prepareConv(c *cop, g *Graph, w Weights) {
	in, out := g.Values[c.in[0]].Shape, g.Values[c.out].Shape
	weight, bias := c.foldedParams(w, out[0])
	cout := out[0]
	if len(c.siblings) > 0 {
		weight, bias, cout = c.siblingParams(g, w, weight, bias, cout)
	}
	c.conv = kernel.NewConv(convParams(c.op, in, cout), weight, bias)
	// Give back the memory of the weights the kernel has packed (NewConv
	// keeps none): the collector would take them only after many more have
	// been read and packed, and in a heap of buffers of every size it
	// rarely reuses their memory for the packed forms, so the model was
	// held about twice at the peak of loading.
	for _, o := range append([]*cop{c}, c.siblings...) {
		hugepage.ReleaseFloat32s(w[o.op.Weight])
	}
}

func convStep(e *stepEnv, c *cop) func() {
	src, _ := e.part(c.in[0])
	dst, ds := e.part(c.out)
	ep := kernel.Epilogue{Act: c.act, DstImageStride: ds}
	if c.residual >= 0 {
		ep.Residual, ep.ResImageStride = e.part(c.residual)
	}
	if len(c.siblings) > 0 {
		// Merged siblings: every output, this op's first.
		for _, v := range c.outs() {
			d, s := e.part(v)
			ep.Outputs = append(ep.Outputs, kernel.ConvOutput{Channels: e.shape(v)[0], Dst: d, ImageStride: s})
		}
	}
	conv, pool, n, scratch := c.conv, e.pool, e.n, e.scratch
	return func() { conv.Run(pool, dst, src, n, ep, scratch) }
}

func convMACs(g *Graph, c *cop) int64 {
	in := g.Values[c.in[0]].Shape
	n := 0
	for _, v := range c.outs() {
		n += g.Values[v].Numel()
	}
	return int64(n) * int64(in[0]/max(c.op.Groups, 1)*c.op.Window.KH*c.op.Window.KW)
}

func checkDense(g *Graph, op *Op, in, out []int) error {
	if len(out) != 1 || op.Weight == "" {
		return fmt.Errorf("dense output %v, weight %q", out, op.Weight)
	}
	return nil
}

func denseWeights(g *Graph, op *Op, _, out []int) []weightNeed {
	return []weightNeed{{op.Weight, out[0] * g.Values[op.In[0]].Numel()}, {op.Bias, out[0]}}
}

func prepareDense(c *cop, g *Graph, w Weights) {
	out := g.Values[c.out].Shape
	weight, bias := c.foldedParams(w, out[0])
	c.dense = kernel.NewDense(g.Values[c.in[0]].Numel(), out[0], weight, bias)
}

func denseStep(e *stepEnv, c *cop) func() {
	src, _ := e.part(c.in[0])
	dst, _ := e.part(c.out)
	dense, a, pool, n := c.dense, c.act, e.pool, e.n
	return func() { dense.Run(pool, dst, src, n, a) }
}

func denseMACs(g *Graph, c *cop) int64 {
	return int64(g.Values[c.out].Numel()) * int64(g.Values[c.in[0]].Numel())
}

// foldedParams returns the weight and bias of a convolution or dense layer
// with any BatchNorm fused into it folded in: per output channel o,
// w' = w * s and b' = (b - mean) * s + beta, with s = gamma / sqrt(var + eps).
func (c *cop) foldedParams(w Weights, cout int) ([]float32, []float32) {
	weight := w[c.op.Weight]
	var bias []float32
	if c.op.Bias != "" {
		bias = w[c.op.Bias]
	}
	if c.scale == nil {
		return weight, bias
	}
	if bias == nil {
		bias = make([]float32, cout)
	}
	per := len(weight) / cout
	for o := range cout {
		s := c.scale[o]
		for i := o * per; i < (o+1)*per; i++ {
			weight[i] *= s
		}
		bias[o] = bias[o]*s + c.shift[o]
	}
	c.scale, c.shift = nil, nil
	return weight, bias
}
