package compiler

import (
	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// The pooling family.

func init() {
	register(&layerSpec{op: OpMaxPool, family: FamilyPool, torch: "nn.MaxPool2d", attrs: poolAttrs, flags: []string{"ceil"},
		doc:   "max pooling (nn.MaxPool2d): `maxpool kN [sN] [pN] [ceil]`; the stride defaults to the kernel",
		shape: poolShape, label: windowLabel})
	register(&layerSpec{op: OpAvgPool, family: FamilyPool, torch: "nn.AvgPool2d", attrs: poolAttrs, flags: []string{"ceil"},
		doc:   "average pooling (nn.AvgPool2d, padding counted): `avgpool kN [sN] [pN] [ceil]`",
		shape: poolShape, label: windowLabel})
	register(&layerSpec{op: OpAdaptiveAvg, family: FamilyPool, torch: "nn.AdaptiveAvgPool2d", positional: &attrSpec{"size", "", kindPair},
		doc:   "adaptive average pooling to a fixed size (nn.AdaptiveAvgPool2d): `adaptiveavgpool 6x6`",
		shape: adaptiveShape, label: func(n *Node) string { return "adaptiveavgpool " + pairDims(n.Attrs.Size) }})
	register(&layerSpec{op: OpGlobalAvg, family: FamilyPool, torch: "nn.AdaptiveAvgPool2d(1)",
		doc: "global average pooling to 1x1 (nn.AdaptiveAvgPool2d(1))", shape: globalShape}, "gap")
}

func poolShape(c *checker, n *Node, la *layerArgs, _ *grammar.Apply, in flow) (flow, bool) {
	return c.pool(n, la, in)
}

func adaptiveShape(c *checker, n *Node, la *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
	name := a.Name.Name
	if la.pos == nil {
		c.errorf(applyRange(a), diag.MissingAttribute, "%s needs an output size", name).Note("hint", "write %s 6x6", name)
		return flow{}, false
	}
	size, ok := c.toPair(la.pos, la.posRange, "size", 1, name)
	if !ok {
		return flow{}, false
	}
	n.Attrs.Size = size
	if !c.needMap(n, in) {
		return flow{}, in.shape == nil
	}
	return flow{shape: Shape{in.shape[0], size[0], size[1]}, hist: &step{prev: in.hist, label: name + " " + pairText(size), h: size[0], w: size[1]}}, true
}

func globalShape(c *checker, n *Node, _ *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
	n.Attrs.Size = [2]int64{1, 1}
	if !c.needMap(n, in) {
		return flow{}, in.shape == nil
	}
	return flow{shape: Shape{in.shape[0], 1, 1}, hist: &step{prev: in.hist, label: a.Name.Name, h: 1, w: 1}}, true
}

func (c *checker) pool(n *Node, la *layerArgs, in flow) (flow, bool) {
	at := &n.Attrs
	name := string(n.Op)
	_, hasK := la.attrs["kernel"]
	if !hasK {
		c.errorf(n.Range, diag.MissingAttribute, "%s needs a kernel size", name).Note("hint", "write %s k2 s2 for a 2x2 window", name)
		return flow{}, false
	}
	var kok, sok, pok bool
	at.Kernel, kok = c.pairAttr(la, "kernel", [2]int64{1, 1}, 1, name)
	at.Stride, sok = c.pairAttr(la, "stride", at.Kernel, 1, name)
	at.Padding, pok = c.pairAttr(la, "padding", [2]int64{0, 0}, 0, name)
	at.Dilation = [2]int64{1, 1}
	at.Ceil = la.flags["ceil"]
	if !kok || !sok || !pok {
		return flow{}, false
	}
	n.Label = canonicalLabel(n)
	for i := range 2 {
		if at.Padding[i]*2 > at.Kernel[i] {
			c.errorf(la.attrs["padding"].r, diag.BadValue, "%s: padding %d is more than half the kernel %d", name, at.Padding[i], at.Kernel[i]).
				Note("hint", "PyTorch rejects such a pool; use a padding of at most %d", at.Kernel[i]/2)
			return flow{}, false
		}
	}
	if !c.needMap(n, in) {
		return flow{}, !n.Failed
	}
	h, w, ok := c.window(n, in, at.Ceil)
	if !ok {
		return flow{}, false
	}
	return flow{shape: Shape{in.shape[0], h, w}, hist: &step{prev: in.hist, label: windowLabel(n), h: h, w: w}}, true
}
