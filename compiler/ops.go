package compiler

import (
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// MaxDim bounds every size written in a source or computed for one axis, so
// that spatial arithmetic cannot overflow; products of sizes are checked.
const MaxDim = 1<<31 - 1

// layer checks one built-in layer: its arguments, its output shape, its
// parameters and cost.
func (c *checker) layer(a *grammar.Apply, spec *layerSpec, e *env, key string, in flow, r diag.Range) (*Node, flow) {
	n := &Node{Kind: KindLayer, Op: spec.op, Key: key, In: in.shape, Range: r, Calls: c.callRanges()}
	c.layers++
	if c.layers > MaxLayers {
		c.errorf(r, diag.LimitExceeded, "the model expands to more than %d layers", MaxLayers)
		c.stop = true
		n.Failed = true
		return n, flow{}
	}
	la, ok := c.bindLayer(a, spec, e)
	n.Label = layerLabel(a.Name.Name, la)
	if !ok {
		n.Failed = true
		return n, flow{}
	}
	out, ok := c.op(n, spec, la, a, in)
	if spec.op != OpFlatten && spec.op != OpDropout && spec.op != OpIdentity {
		out.src = shortName(n)
	}
	n.Out = out.shape
	n.Failed = n.Failed || !ok
	if ok {
		n.Label = canonicalLabel(n)
	}
	return n, out
}

func after(src string) string {
	if src == "" {
		return ""
	}
	return " after " + src
}

func orInput(src string) string {
	if src == "" {
		return "the input"
	}
	return src
}

// shortName names a layer briefly: its member name, or its label.
func shortName(n *Node) string {
	seg := n.Key[strings.LastIndexByte(n.Key, '.')+1:]
	if seg == "" || (seg[0] >= '0' && seg[0] <= '9') {
		return n.Label
	}
	return seg
}

// describe names a layer in a message: "s4 (maxpool k3 s2)" or "maxpool k3 s2".
func describe(n *Node) string {
	seg := n.Key[strings.LastIndexByte(n.Key, '.')+1:]
	if seg == "" || (seg[0] >= '0' && seg[0] <= '9') {
		return n.Label
	}
	return seg + " (" + n.Label + ")"
}

func (c *checker) op(n *Node, spec *layerSpec, la *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
	name := a.Name.Name
	at := &n.Attrs
	same := flow{shape: in.shape, hist: in.hist, flat: in.flat}
	switch spec.op {
	case OpConv:
		return c.conv(n, la, a, in)
	case OpMaxPool, OpAvgPool:
		return c.pool(n, la, in)
	case OpAdaptiveAvg:
		if la.pos == nil {
			c.errorf(applyRange(a), diag.MissingAttribute, "%s needs an output size", name).Note("hint", "write %s 6x6", name)
			return flow{}, false
		}
		size, ok := c.toPair(la.pos, la.posRange, "size", 1, name)
		if !ok {
			return flow{}, false
		}
		at.Size = size
		if !c.needMap(n, in) {
			return flow{}, in.shape == nil
		}
		return flow{shape: Shape{in.shape[0], size[0], size[1]}, hist: &step{prev: in.hist, label: name + " " + pairText(size), h: size[0], w: size[1]}}, true
	case OpGlobalAvg:
		at.Size = [2]int64{1, 1}
		if !c.needMap(n, in) {
			return flow{}, in.shape == nil
		}
		return flow{shape: Shape{in.shape[0], 1, 1}, hist: &step{prev: in.hist, label: name, h: 1, w: 1}}, true
	case OpDense:
		return c.dense(n, la, a, in)
	case OpFlatten:
		if !in.shape.Known() || !in.shape.IsMap() {
			return same, true
		}
		f, ok := product(in.shape...)
		if !ok || f > MaxDim*MaxDim {
			c.errorf(n.Range, diag.Overflow, "flatten of %s overflows", in.shape)
			return flow{}, false
		}
		return flow{shape: Shape{f}, hist: in.hist, flat: &flatInfo{from: in.shape, key: in.src}}, true
	case OpDropout:
		p := 0.5
		if la.pos != nil {
			f, isNum := asFloat(la.pos)
			if !isNum || f < 0 || f > 1 {
				c.errorf(la.posRange, diag.BadValue, "dropout: the probability must be a number from 0 to 1, have %s", la.pos)
				return same, false
			}
			p = f
		}
		at.P = p
		return same, true
	case OpBatchNorm:
		eps, r, ok := c.floatAttr(la, "eps", 1e-5, name)
		if ok && eps <= 0 {
			c.errorf(r, diag.BadValue, "batchnorm: eps must be positive, have %g", eps)
			ok = false
		}
		mom, _, mok := c.floatAttr(la, "momentum", 0.1, name)
		at.Eps, at.Momentum = eps, mom
		if !ok || !mok {
			return same, false
		}
		if in.shape.Known() {
			ch := in.shape[0]
			c.param(n, "weight", Shape{ch}, false)
			c.param(n, "bias", Shape{ch}, false)
			c.param(n, "running_mean", Shape{ch}, true)
			c.param(n, "running_var", Shape{ch}, true)
		}
		return same, true
	case OpLeakyReLU:
		at.Slope = 0.01
		if la.pos != nil {
			f, isNum := asFloat(la.pos)
			if !isNum {
				c.errorf(la.posRange, diag.BadValue, "leakyrelu: the slope must be a number, have %s", la.pos.kind())
				return same, false
			}
			at.Slope = f
		}
		return same, true
	}
	return same, true // relu, sigmoid, tanh, softmax, identity
}

// needMap reports whether in is a known [C, H, W] map, reporting a vector.
func (c *checker) needMap(n *Node, in flow) bool {
	if !in.shape.Known() {
		return false
	}
	if !in.shape.IsMap() {
		d := c.errorf(n.Range, diag.WrongRank, "%s needs a [C, H, W] feature map, have the feature vector %s", describe(n), in.shape)
		if in.flat != nil {
			d.Note("hint", "the map was flattened%s; move flatten after the last convolution or pooling", after(in.flat.key))
		}
		n.Failed = true
		return false
	}
	return true
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
	c.param(n, "weight", Shape{at.Out, ch / at.Groups, at.Kernel[0], at.Kernel[1]}, false)
	if at.Bias {
		c.param(n, "bias", Shape{at.Out}, false)
	}
	return flow{shape: Shape{at.Out, h, w}, hist: &step{prev: in.hist, label: windowLabel(n), h: h, w: w}}, true
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
			Note("hint", "insert `flatten` before it: %s becomes [N, %d]", in.shape, feats)
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
		} else {
			d.Note("have", "%s", in.shape)
			d.Note("hint", "write `in %d`, or drop `in` to let it be inferred", feats)
		}
		ok = false
	}
	macs, mok := product(feats, at.Out)
	if !mok {
		c.errorf(n.Range, diag.Overflow, "%s: the weight size overflows 64-bit integers", describe(n))
		return out, false
	}
	n.MACs = macs
	c.param(n, "weight", Shape{at.Out, feats}, false)
	if at.Bias {
		c.param(n, "bias", Shape{at.Out}, false)
	}
	return out, ok
}

// param records one tensor of a layer's state, reporting a key that
// another layer already has.
func (c *checker) param(n *Node, name string, s Shape, buffer bool) {
	key := name
	if n.Key != "" {
		key = n.Key + "." + name
	}
	p := &Param{Name: key, Shape: s, Buffer: buffer, Layer: n}
	if prev, dup := c.keys[key]; dup {
		if !n.Failed {
			d := c.errorf(n.Range, diag.DuplicateParameter, "parameter %s is produced by two layers", key)
			d.Related = append(d.Related, diag.Related{Range: prev.Layer.Range, Message: "the other layer"})
			d.Note("hint", "name the members (NAME: layer) so that their keys differ")
		}
		n.Failed = true
		return
	}
	c.keys[key] = p
	n.Params = append(n.Params, p)
	c.params = append(c.params, p)
}
