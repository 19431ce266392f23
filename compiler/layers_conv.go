package compiler

import (
	"fmt"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// The convolution family.

func init() {
	register(&layerSpec{op: OpConv, family: FamilyConv, torch: "nn.Conv2d", positional: &attrSpec{"out", "", kindInt},
		attrs: []attrSpec{kernelAttr, strideAttr, paddingAttr, dilationAttr, groupsAttr}, flags: []string{"nobias"},
		doc:   "2-D convolution (nn.Conv2d): `conv C kN [sN] [pN] [dN] [gN] [nobias]`",
		shape: (*checker).conv, label: convLabel})
}

func convLabel(n *Node) string {
	at := n.Attrs
	s := fmt.Sprintf("conv %d k%s", at.Out, pairText(at.Kernel))
	if at.Stride != [2]int64{1, 1} {
		s += " s" + pairText(at.Stride)
	}
	if at.Padding != [2]int64{} {
		s += " p" + pairText(at.Padding)
	}
	if at.Dilation != [2]int64{1, 1} {
		s += " d" + pairText(at.Dilation)
	}
	if at.Groups != 1 {
		s += fmt.Sprintf(" g%d", at.Groups)
	}
	if !at.Bias {
		s += " nobias"
	}
	return s
}

func (c *checker) conv(n *Node, la *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
	at := &n.Attrs
	ok := true
	if la.pos == nil {
		c.errorf(applyRange(a), diag.MissingAttribute, "conv needs its number of output channels").Note("hint", "write conv 64 k3")
		ok = false
	} else if at.Out, ok = c.toInt(la.pos, la.posRange, "the channel count", 1, "conv"); !ok {
		ok = false
	}
	if _, has := la.attrs["kernel"]; !has {
		c.errorf(applyRange(a), diag.MissingAttribute, "conv needs a kernel size").Note("hint", "add k3 for a 3x3 kernel, k1x7 for 1x7")
		ok = false
	}
	var kok, sok, pok, dok, gok bool
	at.Kernel, kok = c.pairAttr(la, "kernel", [2]int64{1, 1}, 1, "conv")
	at.Stride, sok = c.pairAttr(la, "stride", [2]int64{1, 1}, 1, "conv")
	at.Padding, pok = c.pairAttr(la, "padding", [2]int64{0, 0}, 0, "conv")
	at.Dilation, dok = c.pairAttr(la, "dilation", [2]int64{1, 1}, 1, "conv")
	at.Groups, gok = c.intAttr(la, "groups", 1, 1, "conv")
	at.Bias = !la.flags["nobias"]
	if ok && kok && sok && pok && dok && gok {
		n.Label = canonicalLabel(n)
	}
	if !ok || !kok || !sok || !pok || !dok || !gok || !c.needMap(n, in) {
		return flow{}, ok && kok && sok && pok && dok && gok && !n.Failed
	}
	ch := in.shape[0]
	if ch%at.Groups != 0 || at.Out%at.Groups != 0 {
		what, have := "input", ch
		if ch%at.Groups == 0 {
			what, have = "output", at.Out
		}
		c.errorf(n.Range, diag.GroupsMismatch, "%s: %d %s channels do not divide into %d groups", describe(n), have, what, at.Groups).
			Note("have", "%s", in.shape)
		return flow{}, false
	}
	h, w, sok2 := c.window(n, in, false)
	if !sok2 {
		return flow{}, false
	}
	perOut, ok1 := product(ch/at.Groups, at.Kernel[0], at.Kernel[1])
	macs, ok2 := product(at.Out, h, w, perOut)
	if !ok1 || !ok2 {
		c.errorf(n.Range, diag.Overflow, "%s: the cost overflows 64-bit integers", describe(n))
		return flow{}, false
	}
	n.MACs = macs
	c.param(n, "weight", Shape{at.Out, ch / at.Groups, at.Kernel[0], at.Kernel[1]}, false, Init{Kind: InitKaiming})
	if at.Bias {
		c.param(n, "bias", Shape{at.Out}, false, Init{})
	}
	return flow{shape: Shape{at.Out, h, w}, hist: &step{prev: in.hist, label: windowLabel(n), h: h, w: w}}, true
}
