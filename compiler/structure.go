package compiler

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// concat checks the branches of a concat on the same input and joins their
// outputs on the channel axis.
func (c *checker) concat(cc *grammar.Concat, e *env, key string, in flow, r diag.Range) (*Node, flow) {
	n := &Node{Kind: KindConcat, Key: key, Label: "concat", In: in.shape, Range: r, Calls: c.callRanges()}
	ns := childNS(key)
	var outs []flow
	for _, br := range cc.Branches {
		nodes, out := c.members(br.Members, e, ns, in)
		n.Children = append(n.Children, &Node{Kind: KindSeq, Key: key, Label: "branch", Transparent: true,
			In: in.shape, Out: out.shape, Children: nodes, Range: branchRange(br)})
		outs = append(outs, out)
	}
	for i, br := range cc.Branches {
		if len(br.Members) == 0 {
			c.errorf(branchRange(br), diag.SyntaxError, "branch %d of the concat is empty", i+1)
			return n, flow{}
		}
	}
	var first *flow
	var sum int64
	for i := range outs {
		o := &outs[i]
		if !o.shape.Known() {
			return n, flow{}
		}
		if first == nil {
			first = o
		} else if len(o.shape) != len(first.shape) || (o.shape.IsMap() && (o.shape[1] != first.shape[1] || o.shape[2] != first.shape[2])) {
			d := c.errorf(branchRange(cc.Branches[i]), diag.ConcatMismatch,
				"concat branch %d gives %s, branch 1 gives %s: branches must agree on everything but channels", i+1, o.shape, first.shape)
			for j, x := range outs {
				d.Note("have", "branch %d: %s", j+1, x.shape)
			}
			if der := derivation(o.hist); der != "" {
				d.Note("derivation", "branch %d: %s", i+1, der)
			}
			d.Note("hint", "give every branch the same stride and padding, so that the maps keep one size")
			n.Failed = true
			return n, flow{}
		}
		var ok bool
		if sum, ok = addInt(sum, o.shape[0]); !ok || sum > MaxDim {
			c.errorf(r, diag.Overflow, "the concat's channel count overflows")
			return n, flow{}
		}
	}
	out := *first
	out.shape = append(Shape{sum}, first.shape[1:]...)
	out.flat = nil
	n.Out = out.shape
	return n, out
}

// branchRange spans a branch's members, without the separators around them.
func branchRange(br *grammar.Branch) diag.Range {
	if len(br.Members) == 0 {
		return grammar.Range(br.Pos, br.Pos)
	}
	return grammar.Range(br.Members[0].Pos, br.Members[len(br.Members)-1].EndPos)
}

// residual checks body(x) + x, or body(x) + shortcut(x), and the layer after.
func (c *checker) residual(rs *grammar.Residual, e *env, key string, in flow, r diag.Range) (*Node, flow) {
	n := &Node{Kind: KindResidual, Key: key, Label: "residual", In: in.shape, Range: r, Calls: c.callRanges()}
	ns := childNS(key)
	nodes, body := c.members(rs.Body.Members, e, ns, in)
	n.Children = []*Node{{Kind: KindSeq, Key: key, Label: "body", Transparent: true, In: in.shape, Out: body.shape,
		Children: nodes, Range: grammar.Range(rs.Body.Pos, rs.Body.EndPos)}}
	kw := grammar.Range(rs.Pos, rs.Pos)
	kw.End.Offset += len("residual")
	kw.End.Col += len("residual")
	other, otherName := in, "the input"
	if sc := rs.Shortcut; sc != nil {
		apply := !sc.Optional
		if sc.Optional && in.shape.Known() && body.shape.Known() {
			apply = !in.shape.Equal(body.shape)
		}
		if apply {
			scNodes, scOut := c.member(sc.Path, e, ns, in)
			n.Shortcut = wrap(scNodes, key, in.shape, scOut.shape, grammar.Range(sc.Pos, sc.EndPos))
			other, otherName = scOut, "the shortcut"
			kw = grammar.Range(sc.Pos, sc.EndPos)
		}
	}
	out := body
	if in.shape.Known() && body.shape.Known() && other.shape.Known() && !body.shape.Equal(other.shape) {
		d := c.errorf(kw, diag.ResidualMismatch, "residual sum of different shapes: the body gives %s, %s %s",
			body.shape, otherName, other.shape)
		d.Note("have", "%s", body.shape)
		d.Note("want", "%s", other.shape)
		if der := derivation(body.hist); der != "" {
			d.Note("derivation", "body: %s", der)
		}
		if other.shape.Equal(in.shape) && body.shape.IsMap() && in.shape.IsMap() {
			d.Note("hint", "add a projection after the body: `shortcut < conv %d k1%s nobias; batchnorm >`",
				body.shape[0], strideHint(in.shape, body.shape))
		}
		n.Failed = true
		out = flow{}
	}
	if rs.Then != nil {
		thenNodes, thenOut := c.member(rs.Then, e, ns, out)
		n.Then = wrap(thenNodes, key, out.shape, thenOut.shape, grammar.Range(rs.Then.Pos, rs.Then.EndPos))
		out = thenOut
	}
	n.Out = out.shape
	return n, out
}

// strideHint returns " s2" when the body shrinks the map by an integer factor.
func strideHint(in, out Shape) string {
	if out[1] == 0 || out[2] == 0 || in[1]%out[1] != 0 || in[2]%out[2] != 0 {
		return ""
	}
	sh, sw := in[1]/out[1], in[2]/out[2]
	switch {
	case sh == 1 && sw == 1:
		return ""
	case sh == sw:
		return fmt.Sprintf(" s%d", sh)
	}
	return fmt.Sprintf(" s%dx%d", sh, sw)
}

// wrap returns the one node of nodes, or a transparent sequence of them.
func wrap(nodes []*Node, key string, in, out Shape, r diag.Range) *Node {
	if len(nodes) == 1 {
		return nodes[0]
	}
	return &Node{Kind: KindSeq, Key: key, Label: "sequence", Transparent: true, In: in, Out: out, Children: nodes, Range: r}
}

// expect checks a member's shape assertion `-> SHAPE`.
func (c *checker) expect(m *grammar.Member, e *env, out flow, nodes []*Node) {
	v, ok := c.eval(m.Expect, e)
	if !ok {
		return
	}
	var want Shape
	switch v := v.(type) {
	case Int:
		want = Shape{int64(v)}
	case Tuple:
		for _, x := range v {
			n, isInt := x.(Int)
			if !isInt {
				want = nil
				break
			}
			want = append(want, int64(n))
		}
	}
	r := exprRange(m.Expect)
	if want == nil {
		c.errorf(r, diag.BadValue, "a shape assertion is a shape such as 64x56x56 or a feature count, have %s", v.kind()).Note("have", "%s", v)
		return
	}
	if !out.shape.Known() || out.shape.Equal(want) {
		return
	}
	what := "the member"
	if m.Name != nil {
		what = m.Name.Name
	}
	d := c.errorf(r, diag.MismatchedShape, "%s gives %s, the assertion wants %s", what, out.shape, want)
	d.Note("have", "%s", out.shape)
	d.Note("want", "%s", want)
	if der := derivation(out.hist); der != "" && out.shape.IsMap() {
		d.Note("derivation", "%s", der)
	}
	d.Note("hint", "write `-> %s` if the new shape is what you want", out.shape.Dims())
	if len(nodes) > 0 {
		nodes[len(nodes)-1].Failed = true
	}
}

// options reads a model's options into m.
func (c *checker) options(gm *grammar.Model, e *env, m *Model) {
	seen := map[string]bool{}
	known := []string{"input", "mean", "std", "labels", "weights"}
	for _, o := range gm.Options {
		k := o.Key.Name
		kr := identRange(o.Key)
		if seen[k] {
			c.errorf(kr, diag.DuplicateName, "model option %s is given twice", k)
			continue
		}
		seen[k] = true
		v, ok := c.eval(o.Value, e)
		if !ok {
			continue
		}
		r := exprRange(o.Value)
		switch k {
		case "input":
			t, isTuple := v.(Tuple)
			if !isTuple || len(t) != 3 {
				c.errorf(r, diag.BadValue, "the input is a shape CxHxW such as 1x28x28, have %s", v).Note("hint", "the batch is implicit: write only channels, height and width")
				continue
			}
			s := make(Shape, 3)
			for i, x := range t {
				n, isInt := x.(Int)
				if !isInt || n < 1 || n > MaxDim {
					c.errorf(r, diag.NonPositiveSize, "the input's sizes must be from 1 to %d, have %s", MaxDim, v)
					s = nil
					break
				}
				s[i] = int64(n)
			}
			m.Input = s
		case "mean", "std":
			fs, ok := floats(v)
			if !ok {
				c.errorf(r, diag.BadValue, "model option %s is a number or a tuple of numbers, have %s", k, v)
				continue
			}
			if k == "std" {
				for _, f := range fs {
					if f <= 0 {
						c.errorf(r, diag.BadValue, "a standard deviation must be positive, have %g", f)
						fs = nil
						break
					}
				}
				m.Options.Std = fs
			} else {
				m.Options.Mean = fs
			}
		case "labels", "weights":
			s, isStr := v.(Str)
			if !isStr {
				c.errorf(r, diag.BadValue, "model option %s is a file name in quotes, have %s", k, v.kind())
				continue
			}
			p := importPath(m.File, string(s))
			if k == "labels" {
				m.Options.Labels = p
			} else {
				m.Options.Weights = p
			}
		default:
			d := c.errorf(kr, diag.UnknownAttribute, "unknown model option %s", k)
			if s := suggest(k, known); s != "" {
				d.Note("hint", "did you mean %s?", s)
			} else {
				d.Note("hint", "a model's options are %s", strings.Join(known, ", "))
			}
		}
	}
	if !seen["input"] && c.opts.Input == nil {
		c.errorf(identRange(gm.Name), diag.MissingAttribute, "model %s has no input shape", gm.Name.Name).
			Note("hint", "write model %s (input 1x28x28) < ... >", gm.Name.Name)
	}
	if m.Input.Known() {
		for _, o := range []struct {
			name string
			v    []float64
		}{{"mean", m.Options.Mean}, {"std", m.Options.Std}} {
			if len(o.v) > 1 && int64(len(o.v)) != m.Input[0] {
				c.errorf(identRange(gm.Name), diag.BadValue, "model %s has %d channels but %d values of %s", m.Name, m.Input[0], len(o.v), o.name)
			}
		}
	}
}

func floats(v Value) ([]float64, bool) {
	if f, ok := asFloat(v); ok {
		return []float64{f}, true
	}
	t, ok := v.(Tuple)
	if !ok || len(t) == 0 {
		return nil, false
	}
	out := make([]float64, len(t))
	for i, x := range t {
		if out[i], ok = asFloat(x); !ok {
			return nil, false
		}
	}
	return out, true
}
