package lsp

import (
	"sort"

	"github.com/cnnc/cnnc/grammar"
)

// An index lists every name of a syntax tree with the role it plays, in
// source order, so that hover, definition and semantic tokens find what
// stands at a position without walking the tree each time.
type index struct {
	refs    []ref
	imports []*grammar.Import
}

// A role is what a name does where it is written.
type role int

const (
	roleModel  role = iota // a model's name in its declaration
	roleDef                // a definition's name in its declaration
	roleParam              // a parameter in a definition's head
	roleLet                // a constant's name in its declaration
	roleOption             // a model option's key: input, mean
	roleMember             // a member's name: conv1 in `conv1: conv 64 k7`
	roleApply              // a layer's or a call's name: conv, basic_block
	roleArgKey             // the key of an argument KEY=VALUE
	roleExpr               // a name in an expression: a parameter, a constant, or an attribute such as k3
)

// A ref is one occurrence of a name.
type ref struct {
	id    *grammar.Ident
	role  role
	def   *grammar.Def   // the definition the name is inside, if any
	apply *grammar.Apply // the layer or call it names or is an argument of
	bare  bool           // a roleExpr that is a whole argument, as k3 or nobias are
	decl  *grammar.Decl
	peers []*grammar.Member // for a roleMember, the members of its sequence
}

func newIndex(f *grammar.File) *index {
	x := &index{}
	if f == nil {
		return x
	}
	for _, d := range f.Decls {
		w := walker{x: x, decl: d}
		switch {
		case d.Import != nil:
			x.imports = append(x.imports, d.Import)
		case d.Let != nil:
			w.add(d.Let.Name, roleLet, nil)
			w.expr(d.Let.Value)
		case d.Def != nil:
			w.def = d.Def
			w.add(d.Def.Name, roleDef, nil)
			for _, p := range d.Def.Params {
				w.add(p.Name, roleParam, nil)
				w.expr(p.Default)
			}
			w.node(d.Def.Body)
		case d.Model != nil:
			w.add(d.Model.Name, roleModel, nil)
			for _, o := range d.Model.Options {
				w.add(o.Key, roleOption, nil)
				w.expr(o.Value)
			}
			w.seq(d.Model.Body)
		}
	}
	sort.SliceStable(x.refs, func(i, j int) bool { return x.refs[i].id.Pos.Offset < x.refs[j].id.Pos.Offset })
	return x
}

// at returns the name under byte offset off, a name's end included so
// that a cursor just after a word finds it.
func (x *index) at(off int) *ref {
	i := sort.Search(len(x.refs), func(i int) bool { return x.refs[i].id.EndPos.Offset >= off })
	if i < len(x.refs) && x.refs[i].id.Pos.Offset <= off {
		return &x.refs[i]
	}
	return nil
}

// defAt returns the definition whose declaration holds off.
func (x *index) defAt(off int) *grammar.Def {
	for _, r := range x.refs {
		if r.role == roleDef && r.decl.Pos.Offset <= off && off <= r.decl.EndPos.Offset {
			return r.def
		}
	}
	return nil
}

type walker struct {
	x    *index
	decl *grammar.Decl
	def  *grammar.Def
}

func (w *walker) add(id *grammar.Ident, r role, a *grammar.Apply) {
	if id != nil {
		w.x.refs = append(w.x.refs, ref{id: id, role: r, def: w.def, apply: a, decl: w.decl})
	}
}

func (w *walker) expr(x *grammar.Expr) {
	grammar.WalkExpr(x, func(id *grammar.Ident) { w.add(id, roleExpr, nil) })
}

func (w *walker) seq(s *grammar.Seq) {
	if s != nil {
		w.members(s.Members)
	}
}

func (w *walker) members(ms []*grammar.Member) {
	for _, m := range ms {
		w.member(m, ms)
	}
}

func (w *walker) member(m *grammar.Member, peers []*grammar.Member) {
	if m == nil {
		return
	}
	if m.Name != nil {
		w.x.refs = append(w.x.refs, ref{id: m.Name, role: roleMember, def: w.def, decl: w.decl, peers: peers})
	}
	w.node(m.Node)
	w.expr(m.Expect)
}

func (w *walker) node(n *grammar.Node) {
	switch {
	case n == nil:
	case n.Repeat != nil:
		w.expr(n.Repeat.Count)
		w.seq(n.Repeat.Body)
	case n.Residual != nil:
		w.seq(n.Residual.Body)
		if n.Residual.Shortcut != nil {
			w.member(n.Residual.Shortcut.Path, nil)
		}
		w.member(n.Residual.Then, nil)
	case n.Concat != nil:
		for _, b := range n.Concat.Branches {
			w.members(b.Members)
		}
	case n.Seq != nil:
		w.seq(n.Seq)
	case n.Apply != nil:
		w.apply(n.Apply)
	}
}

func (w *walker) apply(a *grammar.Apply) {
	w.add(a.Name, roleApply, a)
	var args []*grammar.Arg
	if a.Parens != nil {
		args = append(args, a.Parens.Args...)
	}
	for _, arg := range append(args, a.Args...) {
		w.add(arg.Key, roleArgKey, a)
		if id := loneIdent(arg.Value); id != nil && arg.Key == nil && !arg.In {
			w.x.refs = append(w.x.refs, ref{id: id, role: roleExpr, def: w.def, apply: a, bare: true, decl: w.decl})
			continue
		}
		w.expr(arg.Value)
	}
}

// loneIdent returns the name an expression consists of, if it is one.
func loneIdent(x *grammar.Expr) *grammar.Ident {
	if x == nil || len(x.Ops) > 0 || len(x.Left.Ops) > 0 {
		return nil
	}
	u := x.Left.Left
	if u.Neg != nil || len(u.Index) > 0 || u.Value == nil {
		return nil
	}
	return u.Value.Ident
}
