package compiler

import (
	"fmt"
	"strconv"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// The structural layers: dense layers, flatten, dropout, identity.

func init() {
	register(&layerSpec{op: OpDense, family: FamilyStructure, torch: "nn.Linear", positional: &attrSpec{"out", "", kindInt},
		attrs: []attrSpec{{"in", "", kindInt}}, flags: []string{"nobias"},
		doc:   "fully connected layer (nn.Linear): `dense N [in F] [nobias]`",
		shape: (*checker).dense, label: denseLabel}, "linear")
	register(&layerSpec{op: OpFlatten, family: FamilyStructure, torch: "nn.Flatten", transparent: true,
		doc: "flattens [C, H, W] to [C*H*W] (nn.Flatten)", shape: flattenShape})
	register(&layerSpec{op: OpDropout, family: FamilyStructure, torch: "nn.Dropout", positional: &attrSpec{"p", "", kindFloat},
		transparent: true, computeFree: true,
		doc:   "dropout (nn.Dropout): the identity at inference",
		shape: dropoutShape, label: func(n *Node) string { return "dropout " + strconv.FormatFloat(n.Attrs.P, 'g', -1, 64) }})
	register(&layerSpec{op: OpIdentity, family: FamilyStructure, torch: "nn.Identity", transparent: true, computeFree: true,
		doc: "the identity (nn.Identity)"})
}

func denseLabel(n *Node) string {
	s := fmt.Sprintf("dense %d", n.Attrs.Out)
	if !n.Attrs.Bias {
		s += " nobias"
	}
	return s
}

func flattenShape(c *checker, n *Node, _ *layerArgs, _ *grammar.Apply, in flow) (flow, bool) {
	if !in.shape.Known() || !in.shape.IsMap() {
		return flow{shape: in.shape, hist: in.hist, flat: in.flat}, true
	}
	f, ok := product(in.shape...)
	if !ok || f > MaxDim*MaxDim {
		c.errorf(n.Range, diag.Overflow, "flatten of %s overflows", in.shape)
		return flow{}, false
	}
	return flow{shape: Shape{f}, hist: in.hist, flat: &flatInfo{from: in.shape, key: in.src}}, true
}

func dropoutShape(c *checker, n *Node, la *layerArgs, _ *grammar.Apply, in flow) (flow, bool) {
	same := flow{shape: in.shape, hist: in.hist, flat: in.flat}
	p := 0.5
	if la.pos != nil {
		f, isNum := asFloat(la.pos)
		if !isNum || f < 0 || f > 1 {
			c.errorf(la.posRange, diag.BadValue, "dropout: the probability must be a number from 0 to 1, have %s", la.pos)
			return same, false
		}
		p = f
	}
	n.Attrs.P = p
	return same, true
}

func (c *checker) dense(n *Node, la *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
	at := &n.Attrs
	if la.pos == nil {
		c.errorf(applyRange(a), diag.MissingAttribute, "dense needs its number of output features").Note("hint", "write dense 10")
		return flow{}, false
	}
	var ok bool
	if at.Out, ok = c.toInt(la.pos, la.posRange, "the feature count", 1, "dense"); !ok {
		return flow{}, false
	}
	at.Bias = !la.flags["nobias"]
	n.Label = canonicalLabel(n)
	want, wantOK := int64(0), true
	inAttr, hasIn := la.attrs["in"]
	if hasIn {
		want, wantOK = c.toInt(inAttr.v, inAttr.r, "in", 1, "dense")
	}
	out := flow{shape: Shape{at.Out}}
	if !in.shape.Known() || !wantOK {
		return out, wantOK
	}
	feats := in.shape.Numel()
	ok = true
	if in.shape.IsMap() {
		c.errorf(n.Range, diag.NeedsFlatten, "%s needs a feature vector, have the feature map %s", describe(n), in.shape).
			Note("hint", "insert `flatten` before it: %s becomes [N, %d]", in.shape, feats).
			Fix("insert `flatten` before it", diag.Range{Start: n.Range.Start, End: n.Range.Start}, "flatten; ")
		ok = false
	}
	if hasIn && want != feats {
		d := c.errorf(inAttr.r, diag.MismatchedShape, "%s expects %d input features, %d flow in", describe(n), want, feats)
		if in.flat != nil {
			f := in.flat.from
			d.Note("have", "%s = %d features (flatten of %s)", f, feats, orInput(in.flat.key))
			if der := derivation(in.hist); der != "" {
				d.Note("derivation", "%s", der)
			}
			d.Note("hint", "write `in %d*%d*%d`, or drop `in` to let it be inferred", f[1], f[2], f[0])
			d.Fix(fmt.Sprintf("write `in %d*%d*%d`", f[1], f[2], f[0]), inAttr.r, fmt.Sprintf("%d*%d*%d", f[1], f[2], f[0]))
		} else {
			d.Note("have", "%s", in.shape)
			d.Note("hint", "write `in %d`, or drop `in` to let it be inferred", feats)
			d.Fix(fmt.Sprintf("write `in %d`", feats), inAttr.r, fmt.Sprint(feats))
		}
		ok = false
	}
	macs, mok := product(feats, at.Out)
	if !mok {
		c.errorf(n.Range, diag.Overflow, "%s: the weight size overflows 64-bit integers", describe(n))
		return out, false
	}
	n.MACs = macs
	c.param(n, "weight", Shape{at.Out, feats}, false, Init{InitNormal, 0.01})
	if at.Bias {
		c.param(n, "bias", Shape{at.Out}, false, Init{})
	}
	return out, ok
}
