package grammar

// WalkExpr calls fn for every identifier in x, in source order.
func WalkExpr(x *Expr, fn func(*Ident)) {
	if x == nil {
		return
	}
	walkTerm(x.Left, fn)
	for _, op := range x.Ops {
		walkTerm(op.Right, fn)
	}
}

func walkTerm(t *Term, fn func(*Ident)) {
	walkUnary(t.Left, fn)
	for _, op := range t.Ops {
		walkUnary(op.Right, fn)
	}
}

func walkUnary(u *Unary, fn func(*Ident)) {
	if u.Neg != nil {
		walkUnary(u.Neg, fn)
		return
	}
	if p := u.Value; p != nil {
		if p.Ident != nil {
			fn(p.Ident)
		}
		if p.Tuple != nil {
			for _, e := range p.Tuple.Elems {
				WalkExpr(e, fn)
			}
		}
	}
	for _, ix := range u.Index {
		WalkExpr(ix, fn)
	}
}

// WalkMembers calls fn for every member inside n, depth first, in source order.
func WalkMembers(n *Node, fn func(*Member)) {
	each := func(ms []*Member) {
		for _, m := range ms {
			fn(m)
			WalkMembers(m.Node, fn)
		}
	}
	switch {
	case n == nil:
	case n.Seq != nil:
		each(n.Seq.Members)
	case n.Repeat != nil:
		each(n.Repeat.Body.Members)
	case n.Concat != nil:
		for _, b := range n.Concat.Branches {
			each(b.Members)
		}
	case n.Residual != nil:
		each(n.Residual.Body.Members)
		if s := n.Residual.Shortcut; s != nil {
			each([]*Member{s.Path})
		}
		if n.Residual.Then != nil {
			each([]*Member{n.Residual.Then})
		}
	}
}

// WalkApplies calls fn for every layer or call inside n, n included.
func WalkApplies(n *Node, fn func(*Apply)) {
	if n == nil {
		return
	}
	if n.Apply != nil {
		fn(n.Apply)
	}
	WalkMembers(n, func(m *Member) {
		if m.Node.Apply != nil {
			fn(m.Node.Apply)
		}
	})
}
