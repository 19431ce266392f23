package compiler

import (
	"strconv"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// The activation family: every elementwise activation of package act, and
// the activations that are not elementwise (prelu's learned slopes,
// softmax and logsoftmax over channels).

func init() {
	for k := act.Kind(1); k < act.NumKinds; k++ {
		register(actSpec(k), act.Table[k].Aliases...)
	}
	register(&layerSpec{op: OpPReLU, family: FamilyActivation, torch: "nn.PReLU", positional: &attrSpec{"num", "", kindInt},
		doc:   "x for x > 0, else a * x with a learned slope a (nn.PReLU, initialised to 0.25): `prelu` one slope, `prelu C` one per channel",
		shape: preluShape, label: func(n *Node) string { return "prelu " + strconv.FormatInt(n.Attrs.Out, 10) }})
	register(&layerSpec{op: OpSoftmax, family: FamilyActivation, torch: "nn.Softmax(dim=1)",
		doc: "softmax over channels or features (nn.Softmax(dim=1))"})
	register(&layerSpec{op: OpLogSoftmax, family: FamilyActivation, torch: "nn.LogSoftmax(dim=1)",
		doc: "log of the softmax over channels or features, computed stably (nn.LogSoftmax(dim=1))"})
}

// actSpec describes the layer of an elementwise activation: a lone
// parameter may be written without its name (`leakyrelu 0.2`), two only
// with theirs (`hardtanh lower=0 upper=6`), a flag parameter bare
// (`gelu tanh`).
func actSpec(k act.Kind) *layerSpec {
	info := act.Table[k]
	s := &layerSpec{op: Op(info.Name), family: FamilyActivation, torch: info.Torch,
		doc:   info.Doc + " (" + info.Torch + ")",
		shape: actShape(k), label: actLabel}
	switch {
	case info.Flag != "":
		s.flags = []string{info.Flag}
	case len(info.Params) == 1:
		s.positional = &attrSpec{info.Params[0].Name, "", kindFloat}
	default:
		for _, p := range info.Params {
			s.attrs = append(s.attrs, attrSpec{p.Name, "", kindFloat})
		}
	}
	return s
}

func actShape(k act.Kind) func(*checker, *Node, *layerArgs, *grammar.Apply, flow) (flow, bool) {
	return func(c *checker, n *Node, la *layerArgs, a *grammar.Apply, in flow) (flow, bool) {
		same := flow{shape: in.shape, hist: in.hist, flat: in.flat}
		info := act.Table[k]
		f := act.Default(k)
		ok := true
		for i, p := range info.Params {
			v := p.Default
			switch {
			case p.Name == info.Flag:
				if la.flags[p.Name] {
					v = 1
				}
			case i == 0 && s1(info) && la.pos != nil:
				x, isNum := asFloat(la.pos)
				if !isNum {
					c.errorf(la.posRange, diag.BadValue, "%s: the %s must be a number, have %s", a.Name.Name, p.Name, la.pos.kind())
					ok = false
				}
				v = x
			default:
				var vok bool
				v, _, vok = c.floatAttr(la, p.Name, p.Default, a.Name.Name)
				ok = ok && vok
			}
			if i == 0 {
				f.A = v
			} else {
				f.B = v
			}
		}
		if !ok {
			return same, false
		}
		if err := f.Valid(); err != nil {
			c.errorf(applyRange(a), diag.BadValue, "%v", err)
			return same, false
		}
		n.Act = f
		return same, true
	}
}

// s1 reports whether an activation's lone parameter is written bare.
func s1(info act.Info) bool { return len(info.Params) == 1 && info.Flag == "" }

// actLabel prints an activation with its parameters: `leakyrelu 0.01`,
// `hardtanh lower=0 upper=6`, `gelu tanh`.
func actLabel(n *Node) string { return n.Act.String() }

func preluShape(c *checker, n *Node, la *layerArgs, _ *grammar.Apply, in flow) (flow, bool) {
	same := flow{shape: in.shape, hist: in.hist, flat: in.flat}
	num := int64(1)
	if la.pos != nil {
		var ok bool
		if num, ok = c.toInt(la.pos, la.posRange, "the slope count", 1, "prelu"); !ok {
			return same, false
		}
	}
	n.Attrs.Out = num
	if !in.shape.Known() {
		return same, true
	}
	if num != 1 && num != in.shape[0] {
		c.errorf(la.posRange, diag.MismatchedShape, "%s has %d slopes for %d channels", describe(n), num, in.shape[0]).
			Note("have", "%s", in.shape).
			Note("hint", "write `prelu %d` for one slope per channel, or `prelu` for one in all", in.shape[0])
		return same, false
	}
	c.param(n, "weight", Shape{num}, false, Init{InitConst, 0.25})
	return same, true
}
