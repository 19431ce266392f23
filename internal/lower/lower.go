// Package lower turns a checked model of package compiler into the
// runtime's executable graph. It sits between the two so that the
// compiler (and with it `cnnc check` and the language server) never links
// the runtime's kernels: compiler → lower → runtime.
//
// Each layer op has one lowering in ops, keyed by the compiler's op; a
// layer the compiler declares compute-free (dropout, identity) lowers to
// nothing, and any other op without a lowering is an error, never an
// identity (the root package's layers_test.go runs every layer through it).
package lower

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/runtime"
)

// Lower turns a checked model into the runtime's graph. Each op keeps the
// layer's key and the place in the model's file it comes from (for a layer
// inside a definition, the call in the model), so that run-time errors and
// profiles point back into the source.
func Lower(m *compiler.Model) (*runtime.Graph, error) {
	if !m.OK {
		return nil, fmt.Errorf("model %s has errors; check it first", m.Name)
	}
	l := &lowering{}
	in := l.b.Value(ints(m.Input))
	l.b.G.Input = in
	out, err := l.node(m.Root, in)
	if err != nil {
		return nil, err
	}
	l.b.G.Output = out
	return &l.b.G, nil
}

type lowering struct {
	b runtime.Builder
}

func ints(s compiler.Shape) []int {
	out := make([]int, len(s))
	for i, d := range s {
		out[i] = int(d)
	}
	return out
}

func (l *lowering) node(n *compiler.Node, in runtime.ValueID) (runtime.ValueID, error) {
	switch n.Kind {
	case compiler.KindSeq:
		for _, c := range n.Children {
			var err error
			if in, err = l.node(c, in); err != nil {
				return 0, err
			}
		}
		return in, nil
	case compiler.KindConcat:
		var outs []runtime.ValueID
		for _, br := range n.Children {
			o, err := l.node(br, in)
			if err != nil {
				return 0, err
			}
			outs = append(outs, o)
		}
		v := l.b.Value(ints(n.Out))
		l.b.Op(&runtime.Op{Kind: runtime.OpConcat, In: outs, Out: v, Name: n.Key, Source: source(n)})
		return v, nil
	case compiler.KindResidual:
		// The shortcut comes first, so that the sum can run in the store of
		// the body's last convolution, which needs the other operand ready.
		other := in
		var err error
		if n.Shortcut != nil {
			if other, err = l.node(n.Shortcut, in); err != nil {
				return 0, err
			}
		}
		body, err := l.node(n.Children[0], in)
		if err != nil {
			return 0, err
		}
		sum := l.b.Value(ints(n.Children[0].Out))
		l.b.Op(&runtime.Op{Kind: runtime.OpAdd, In: []runtime.ValueID{body, other}, Out: sum, Name: n.Key, Source: source(n)})
		if n.Then != nil {
			return l.node(n.Then, sum)
		}
		return sum, nil
	}
	return l.layer(n, in)
}

func (l *lowering) layer(n *compiler.Node, in runtime.ValueID) (runtime.ValueID, error) {
	if compiler.ComputeFree(n.Op) {
		return in, nil
	}
	fn, ok := ops[n.Op]
	if !ok && n.Act.Kind != 0 {
		fn, ok = lowerAct, true
	}
	if !ok {
		return 0, fmt.Errorf("%s: the runtime has no op for layer %s", source(n), n.Op)
	}
	op := &runtime.Op{In: []runtime.ValueID{in}, Name: n.Key, Source: source(n)}
	if !fn(n, op) {
		return in, nil // a no-op by its attributes (flatten of a vector)
	}
	op.Out = l.b.Value(ints(n.Out))
	l.b.Op(op)
	return op.Out, nil
}

// paramName returns the state_dict name of a layer's parameter, or "".
func paramName(n *compiler.Node, suffix string) string {
	for _, p := range n.Params {
		if p.Name == suffix || strings.HasSuffix(p.Name, "."+suffix) {
			return p.Name
		}
	}
	return ""
}

// source names where a node comes from in the model's file: the node
// itself, or the call that brought it in from a definition.
func source(n *compiler.Node) string {
	if len(n.Calls) > 0 {
		return n.Calls[0].Start.String()
	}
	return n.Range.Start.String()
}
