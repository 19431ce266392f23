package compiler

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// call expands a call of a definition: it resolves the name, binds the
// arguments, guards against recursion and depth, and runs k on the body in
// the definition's scope. ok is false when the call could not be expanded;
// the reason is reported.
func (c *checker) call(a *grammar.Apply, e *env, in flow, k func(body *grammar.Node, be *env, label string) flow) (flow, bool) {
	name := a.Name.Name
	def, du := c.prog.lookupDef(e.unit, name)
	if def == nil {
		c.unknownLayer(a.Name, e)
		return flow{}, false
	}
	r := applyRange(a)
	for i, f := range c.frames {
		if f.def == def {
			var chain []string
			for _, g := range c.frames[i:] {
				chain = append(chain, g.def.Name.Name)
			}
			c.errorf(r, diag.RecursiveDefinition, "%s calls itself: %s", name, strings.Join(append(chain, name), " -> ")).
				Note("hint", "a definition cannot expand to itself; use repeat for a fixed number of copies")
			return flow{}, false
		}
	}
	if len(c.frames) >= MaxCallDepth {
		c.errorf(r, diag.LimitExceeded, "definition calls nest more than %d deep", MaxCallDepth)
		c.stop = true
		return flow{}, false
	}
	be, label, ok := c.bindCall(a, def, du, e)
	if !ok {
		return flow{}, false
	}
	c.expanded[def] = true
	c.frames = append(c.frames, frame{def: def, call: r, label: label})
	c.ranges = nil
	out := k(def.Body, be, label)
	c.frames = c.frames[:len(c.frames)-1]
	c.ranges = nil
	return out, true
}

// bindCall evaluates a call's arguments in the caller's scope and binds
// them to the definition's parameters; defaults are evaluated in the
// definition's scope, where earlier parameters are visible.
func (c *checker) bindCall(a *grammar.Apply, def *grammar.Def, du *unit, e *env) (*env, string, bool) {
	vars := map[string]Value{}
	ok := true
	unknownKey := false
	pos := 0
	var shown []string
	for _, arg := range applyArgs(a) {
		v, vok := c.eval(arg.Value, e)
		ok = ok && vok
		switch {
		case arg.In:
			c.errorf(argRange(arg), diag.UnknownAttribute, "%s is a definition and takes no `in`", def.Name.Name).
				Note("want", "%s", signature(def))
			ok = false
		case arg.Key != nil:
			p := paramNamed(def, arg.Key.Name)
			if p == nil {
				d := c.errorf(identRange(arg.Key), diag.UnknownAttribute, "%s has no parameter %s", def.Name.Name, arg.Key.Name).
					Note("want", "%s", signature(def))
				if s := suggest(arg.Key.Name, paramNames(def)); s != "" {
					d.Note("hint", "did you mean %s?", s)
					d.Fix("write "+s, identRange(arg.Key), s)
				}
				ok, unknownKey = false, true
				continue
			}
			if _, dup := vars[p.Name.Name]; dup {
				c.errorf(identRange(arg.Key), diag.DuplicateName, "argument %s of %s is given twice", p.Name.Name, def.Name.Name)
				ok = false
				continue
			}
			vars[p.Name.Name] = v
			if vok {
				shown = append(shown, arg.Key.Name+"="+v.String())
			}
		default:
			if pos >= len(def.Params) {
				c.errorf(argRange(arg), diag.WrongArgumentCount, "too many arguments in call of %s: it takes %d", def.Name.Name, len(def.Params)).
					Note("want", "%s", signature(def))
				ok = false
				pos++
				continue
			}
			p := def.Params[pos]
			pos++
			if _, dup := vars[p.Name.Name]; dup {
				c.errorf(argRange(arg), diag.DuplicateName, "argument %s of %s is given twice", p.Name.Name, def.Name.Name)
				ok = false
				continue
			}
			vars[p.Name.Name] = v
			if vok {
				shown = append(shown, v.String())
			}
		}
	}
	label := fmt.Sprintf("%s(%s)", def.Name.Name, strings.Join(shown, ", "))
	be := &env{unit: du, vars: vars}
	for _, p := range def.Params {
		if _, bound := vars[p.Name.Name]; bound {
			continue
		}
		if p.Default == nil {
			if unknownKey {
				ok = false // the unknown argument was likely meant for it
				continue
			}
			c.errorf(applyRange(a), diag.WrongArgumentCount, "missing argument %s in call of %s", p.Name.Name, def.Name.Name).
				Note("want", "%s", signature(def))
			ok = false
			continue
		}
		saved := c.frames
		c.frames = append(c.frames, frame{def: def, call: applyRange(a), label: label})
		v, vok := c.eval(p.Default, be)
		c.frames = saved
		ok = ok && vok
		vars[p.Name.Name] = v
	}
	return be, label, ok
}

func paramNamed(def *grammar.Def, name string) *grammar.Param {
	for _, p := range def.Params {
		if p.Name.Name == name {
			return p
		}
	}
	return nil
}

func paramNames(def *grammar.Def) []string {
	var out []string
	for _, p := range def.Params {
		out = append(out, p.Name.Name)
	}
	return out
}

// signature prints a definition's head, as `vgg(n, c)` or `basic_block(c, s=1)`.
func signature(def *grammar.Def) string {
	var parts []string
	for _, p := range def.Params {
		s := p.Name.Name
		if p.Default != nil {
			s += "=" + grammar.FormatExpr(p.Default)
		}
		parts = append(parts, s)
	}
	return fmt.Sprintf("%s(%s)", def.Name.Name, strings.Join(parts, ", "))
}

// Signature returns a definition's head as it would be called.
func Signature(def *grammar.Def) string { return signature(def) }

// unknownLayer reports a node that names neither a layer nor a definition.
func (c *checker) unknownLayer(id *grammar.Ident, e *env) {
	d := c.errorf(identRange(id), diag.UnknownLayer, "unknown layer or definition %s", id.Name)
	cands := append(LayerNames(), c.prog.visibleNames(e.unit, true)...)
	if s := suggest(id.Name, cands); s != "" {
		d.Note("hint", "did you mean %s?", s)
		d.Fix("write "+s, identRange(id), s)
	}
}

func applyArgs(a *grammar.Apply) []*grammar.Arg {
	if a.Parens == nil {
		return a.Args
	}
	return append(append([]*grammar.Arg(nil), a.Parens.Args...), a.Args...)
}

func applyRange(a *grammar.Apply) diag.Range { return grammar.Range(a.Pos, a.EndPos) }
func argRange(a *grammar.Arg) diag.Range     { return grammar.Range(a.Pos, a.EndPos) }
