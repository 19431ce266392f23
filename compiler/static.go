package compiler

import (
	"fmt"
	"math"
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// DefaultMemoryLimit bounds what one model may need at batch 1 unless the
// caller sets another: a little under this machine's 24 GiB.
const DefaultMemoryLimit = 20 << 30

// memoryCheck reports a model whose parameters and activations at batch 1
// exceed the memory budget.
func (c *checker) memoryCheck(gm *grammar.Model, m *Model) {
	limit := c.opts.MemoryLimit
	if limit <= 0 {
		limit = DefaultMemoryLimit
	}
	params, acts := m.ParamBytes(), m.ActivationBytes()
	if satAdd(params, acts) > limit {
		c.errorf(identRange(gm.Name), diag.MemoryLimit, "model %s needs %s at batch 1, over the limit of %s",
			m.Name, bytesText(satAdd(params, acts)), bytesText(limit)).
			Note("have", "parameters %s, activations %s", bytesText(params), bytesText(acts)).
			Note("hint", "raise the limit with --memory-limit, or shrink the model or its input")
		m.Root.Failed = true
	}
}

func bytesText(n int64) string {
	switch {
	case n == math.MaxInt64:
		return "more than 8 EiB"
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkUnexpanded looks at the definitions of u that no model used: their
// shapes cannot be known, but unknown names and recursion can.
func (c *checker) checkUnexpanded(u *unit) {
	for _, d := range u.ast.Decls {
		def := d.Def
		if def == nil || c.expanded[def] || u.defs[def.Name.Name] != def {
			continue
		}
		if layerSpecs[def.Name.Name] != nil {
			c.errorf(identRange(def.Name), diag.DuplicateName, "definition %s has the name of a built-in layer", def.Name.Name)
			continue
		}
		scope := map[string]bool{}
		for _, p := range def.Params {
			scope[p.Name.Name] = true
			if p.Default != nil {
				c.staticExpr(p.Default, u, scope)
			}
		}
		c.staticNode(def.Body, u, scope)
		c.staticCycle(def, u)
	}
}

func (c *checker) staticNode(n *grammar.Node, u *unit, scope map[string]bool) {
	members := func(ms []*grammar.Member) {
		for _, m := range ms {
			c.staticNode(m.Node, u, scope)
			if m.Expect != nil {
				c.staticExpr(m.Expect, u, scope)
			}
		}
	}
	switch {
	case n.Seq != nil:
		members(n.Seq.Members)
	case n.Repeat != nil:
		c.staticExpr(n.Repeat.Count, u, scope)
		members(n.Repeat.Body.Members)
	case n.Concat != nil:
		for _, b := range n.Concat.Branches {
			members(b.Members)
		}
	case n.Residual != nil:
		members(n.Residual.Body.Members)
		if n.Residual.Shortcut != nil {
			members([]*grammar.Member{n.Residual.Shortcut.Path})
		}
		if n.Residual.Then != nil {
			members([]*grammar.Member{n.Residual.Then})
		}
	case n.Apply != nil:
		a := n.Apply
		spec := layerSpecs[a.Name.Name]
		if spec == nil {
			if def, _ := c.prog.lookupDef(u, a.Name.Name); def == nil {
				c.unknownLayer(a.Name, &env{unit: u})
				return
			}
		}
		posFilled := false
		for _, arg := range applyArgs(a) {
			bare := arg.Key == nil && !arg.In
			if spec != nil && arg.Key != nil && spec.attr(arg.Key.Name) == nil {
				c.unknownAttr(arg.Key.Name, identRange(arg.Key), spec, a.Name.Name, true)
			}
			if id := loneIdent(arg.Value); spec != nil && id != nil && arg.Key == nil && !arg.In && !scope[id.Name] {
				if _, _, short := spec.shortAttr(id.Name); short || spec.hasFlag(id.Name) {
					continue
				}
				if l, _ := c.prog.lookupLet(u, id.Name); l == nil && !meantAsValue(spec, id.Name, posFilled) {
					c.unknownAttr(id.Name, argRange(arg), spec, a.Name.Name, false)
					continue
				}
			}
			if bare {
				posFilled = true
			}
			c.staticExpr(arg.Value, u, scope)
		}
	}
}

// staticExpr reports names in x that nothing declares.
func (c *checker) staticExpr(x *grammar.Expr, u *unit, scope map[string]bool) {
	grammar.WalkExpr(x, func(id *grammar.Ident) {
		if scope[id.Name] {
			return
		}
		if l, _ := c.prog.lookupLet(u, id.Name); l != nil {
			return
		}
		vars := map[string]Value{}
		for n := range scope {
			vars[n] = Int(0)
		}
		c.lookup(id, &env{unit: u, vars: vars})
	})
}

// staticCycle reports a chain of calls that leads from root back to root.
func (c *checker) staticCycle(root *grammar.Def, u *unit) {
	visited := map[*grammar.Def]bool{}
	var dfs func(d *grammar.Def, du *unit, path []string) bool
	dfs = func(d *grammar.Def, du *unit, path []string) bool {
		found := false
		grammar.WalkApplies(d.Body, func(a *grammar.Apply) {
			if found || layerSpecs[a.Name.Name] != nil {
				return
			}
			callee, cu := c.prog.lookupDef(du, a.Name.Name)
			switch {
			case callee == nil || cu.prelude:
			case callee == root:
				c.errorf(identRange(root.Name), diag.RecursiveDefinition, "%s calls itself: %s",
					root.Name.Name, strings.Join(append(path, root.Name.Name), " -> "))
				found = true
			case !visited[callee]:
				visited[callee] = true
				found = dfs(callee, cu, append(path, callee.Name.Name))
			}
		})
		return found
	}
	dfs(root, u, []string{root.Name.Name})
}
