package compiler

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/runtime"
)

// Lower turns a checked model into the runtime's graph. Each op keeps the
// layer's key and the place in the model's file it comes from (for a layer
// inside a definition, the call in the model), so that run-time errors and
// profiles point back into the source.
func Lower(m *Model) (*runtime.Graph, error) {
	if !m.OK {
		return nil, fmt.Errorf("model %s has errors; check it first", m.Name)
	}
	l := &lowering{}
	in := l.b.Value(ints(m.Input))
	l.b.G.Input = in
	l.b.G.Output = l.node(m.Root, in)
	return &l.b.G, nil
}

type lowering struct {
	b runtime.Builder
}

func ints(s Shape) []int {
	out := make([]int, len(s))
	for i, d := range s {
		out[i] = int(d)
	}
	return out
}

func (l *lowering) node(n *Node, in runtime.ValueID) runtime.ValueID {
	switch n.Kind {
	case KindSeq:
		for _, c := range n.Children {
			in = l.node(c, in)
		}
		return in
	case KindConcat:
		var outs []runtime.ValueID
		for _, br := range n.Children {
			outs = append(outs, l.node(br, in))
		}
		v := l.b.Value(ints(n.Out))
		l.b.Op(&runtime.Op{Kind: runtime.OpConcat, In: outs, Out: v, Name: n.Key, Source: source(n)})
		return v
	case KindResidual:
		// The shortcut comes first, so that the sum can run in the store of
		// the body's last convolution, which needs the other operand ready.
		other := in
		if n.Shortcut != nil {
			other = l.node(n.Shortcut, in)
		}
		body := l.node(n.Children[0], in)
		sum := l.b.Value(ints(n.Children[0].Out))
		l.b.Op(&runtime.Op{Kind: runtime.OpAdd, In: []runtime.ValueID{body, other}, Out: sum, Name: n.Key, Source: source(n)})
		if n.Then != nil {
			sum = l.node(n.Then, sum)
		}
		return sum
	}
	return l.layer(n, in)
}

func (l *lowering) layer(n *Node, in runtime.ValueID) runtime.ValueID {
	op := &runtime.Op{In: []runtime.ValueID{in}, Name: n.Key, Source: source(n)}
	at := n.Attrs
	win := runtime.Window{KH: int(at.Kernel[0]), KW: int(at.Kernel[1]), SH: int(at.Stride[0]), SW: int(at.Stride[1]),
		PH: int(at.Padding[0]), PW: int(at.Padding[1]), DH: int(at.Dilation[0]), DW: int(at.Dilation[1]), Ceil: at.Ceil}
	switch n.Op {
	case OpConv:
		op.Kind, op.Window, op.Groups = runtime.OpConv, win, int(at.Groups)
		op.Weight, op.Bias = paramName(n, "weight"), paramName(n, "bias")
	case OpMaxPool:
		op.Kind, op.Window = runtime.OpMaxPool, win
	case OpAvgPool:
		op.Kind, op.Window = runtime.OpAvgPool, win
	case OpAdaptiveAvg, OpGlobalAvg:
		op.Kind = runtime.OpAdaptiveAvg
	case OpDense:
		op.Kind = runtime.OpDense
		op.Weight, op.Bias = paramName(n, "weight"), paramName(n, "bias")
	case OpBatchNorm:
		op.Kind, op.Eps = runtime.OpBatchNorm, float32(at.Eps)
		op.Weight, op.Bias = paramName(n, "weight"), paramName(n, "bias")
		op.Mean, op.Var = paramName(n, "running_mean"), paramName(n, "running_var")
	case OpReLU, OpSigmoid, OpTanh, OpLeakyReLU:
		op.Kind = runtime.OpAct
		op.Act = map[Op]runtime.Act{OpReLU: runtime.ActReLU, OpSigmoid: runtime.ActSigmoid, OpTanh: runtime.ActTanh, OpLeakyReLU: runtime.ActLeakyReLU}[n.Op]
		op.Slope = float32(at.Slope)
	case OpSoftmax:
		op.Kind = runtime.OpSoftmax
	case OpFlatten:
		if !n.In.IsMap() {
			return in
		}
		op.Kind = runtime.OpReshape
	default: // dropout and identity compute nothing at inference
		return in
	}
	op.Out = l.b.Value(ints(n.Out))
	l.b.Op(op)
	return op.Out
}

// paramName returns the state_dict name of a layer's parameter, or "".
func paramName(n *Node, suffix string) string {
	for _, p := range n.Params {
		if p.Name == suffix || strings.HasSuffix(p.Name, "."+suffix) {
			return p.Name
		}
	}
	return ""
}

// source names where a node comes from in the model's file: the node
// itself, or the call that brought it in from a definition.
func source(n *Node) string {
	if len(n.Calls) > 0 {
		return n.Calls[0].Start.String()
	}
	return n.Range.Start.String()
}
