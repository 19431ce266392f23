package grammar

import (
	"strconv"
	"strings"
)

// FormatApply prints a layer or call: `conv 64 k3 p1`, `vgg(2, 64)`.
func FormatApply(a *Apply) string {
	s := a.Name.Name
	if a.Parens != nil {
		var args []string
		for _, x := range a.Parens.Args {
			args = append(args, FormatArg(x))
		}
		s += "(" + strings.Join(args, ", ") + ")"
	}
	for _, x := range a.Args {
		s += " " + FormatArg(x)
	}
	return s
}

// FormatArg prints one argument.
func FormatArg(a *Arg) string {
	switch {
	case a.In:
		return "in " + FormatExpr(a.Value)
	case a.Key != nil:
		return a.Key.Name + "=" + FormatExpr(a.Value)
	}
	return FormatExpr(a.Value)
}

// FormatExpr prints an expression in canonical form.
func FormatExpr(x *Expr) string {
	var b strings.Builder
	b.WriteString(formatTerm(x.Left))
	for _, op := range x.Ops {
		b.WriteString(op.Op + formatTerm(op.Right))
	}
	return b.String()
}

func formatTerm(t *Term) string {
	s := formatUnary(t.Left)
	for _, op := range t.Ops {
		s += op.Op + formatUnary(op.Right)
	}
	return s
}

func formatUnary(u *Unary) string {
	if u.Neg != nil {
		return "-" + formatUnary(u.Neg)
	}
	s := formatPrimary(u.Value)
	for _, ix := range u.Index {
		s += "[" + FormatExpr(ix) + "]"
	}
	return s
}

func formatPrimary(p *Primary) string {
	switch {
	case p.Float != nil:
		return *p.Float
	case p.Int != nil:
		return *p.Int
	case p.Dims != nil:
		return *p.Dims
	case p.Str != nil:
		return strconv.Quote(*p.Str)
	case p.Ident != nil:
		return p.Ident.Name
	case p.Tuple != nil:
		var parts []string
		for _, e := range p.Tuple.Elems {
			parts = append(parts, FormatExpr(e))
		}
		if len(parts) == 1 && p.Tuple.Comma {
			return "(" + parts[0] + ",)"
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return ""
}
