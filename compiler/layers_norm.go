package compiler

import (
	"strconv"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// The normalisation family.

func init() {
	register(&layerSpec{op: OpBatchNorm, family: FamilyNorm, torch: "nn.BatchNorm2d",
		attrs: []attrSpec{{"eps", "", kindFloat}, {"momentum", "", kindFloat}},
		doc:   "batch normalisation (nn.BatchNorm2d, or 1d on features), in inference form",
		shape: batchNormShape, label: batchNormLabel})
}

func batchNormLabel(n *Node) string {
	s := "batchnorm"
	if n.Attrs.Eps != 1e-5 {
		s += " eps=" + strconv.FormatFloat(n.Attrs.Eps, 'g', -1, 64)
	}
	return s
}

func batchNormShape(c *checker, n *Node, la *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
	name := a.Name.Name
	same := flow{shape: in.shape, hist: in.hist, flat: in.flat}
	eps, r, ok := c.floatAttr(la, "eps", 1e-5, name)
	if ok && eps <= 0 {
		c.errorf(r, diag.BadValue, "batchnorm: eps must be positive, have %g", eps)
		ok = false
	}
	mom, _, mok := c.floatAttr(la, "momentum", 0.1, name)
	n.Attrs.Eps, n.Attrs.Momentum = eps, mom
	if !ok || !mok {
		return same, false
	}
	if in.shape.Known() {
		ch := in.shape[0]
		c.param(n, "weight", Shape{ch}, false, Init{InitConst, 1})
		c.param(n, "bias", Shape{ch}, false, Init{})
		c.param(n, "running_mean", Shape{ch}, true, Init{})
		c.param(n, "running_var", Shape{ch}, true, Init{InitConst, 1})
	}
	return same, true
}
