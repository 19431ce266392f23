package compiler

import (
	"math"
	"strconv"
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// An env is the scope an expression is evaluated in: the parameters of the
// definition being expanded and the names visible from its file.
type env struct {
	unit *unit
	vars map[string]Value
}

// has reports whether name is a parameter or constant in scope.
func (c *checker) has(e *env, name string) bool {
	if _, ok := e.vars[name]; ok {
		return true
	}
	l, _ := c.prog.lookupLet(e.unit, name)
	return l != nil
}

// eval evaluates an expression, reporting errors; ok is false after one.
func (c *checker) eval(x *grammar.Expr, e *env) (Value, bool) {
	v, ok := c.evalTerm(x.Left, e)
	for _, op := range x.Ops {
		r, rok := c.evalTerm(op.Right, e)
		if !ok || !rok {
			ok = false
			continue
		}
		v, ok = c.arith(op.Op, v, r, exprRange(x))
	}
	return v, ok
}

func (c *checker) evalTerm(t *grammar.Term, e *env) (Value, bool) {
	v, ok := c.evalUnary(t.Left, e)
	for _, op := range t.Ops {
		r, rok := c.evalUnary(op.Right, e)
		if !ok || !rok {
			ok = false
			continue
		}
		v, ok = c.arith(op.Op, v, r, grammar.Range(t.Pos, t.EndPos))
	}
	return v, ok
}

func (c *checker) evalUnary(u *grammar.Unary, e *env) (Value, bool) {
	r := grammar.Range(u.Pos, u.EndPos)
	if u.Neg != nil {
		v, ok := c.evalUnary(u.Neg, e)
		if !ok {
			return nil, false
		}
		return c.arith("-", Int(0), v, r)
	}
	v, ok := c.evalPrimary(u.Value, e)
	for _, ix := range u.Index {
		i, iok := c.eval(ix, e)
		if !ok || !iok {
			return nil, false
		}
		t, isTuple := v.(Tuple)
		n, isInt := i.(Int)
		switch {
		case !isTuple:
			c.errorf(r, diag.BadValue, "cannot index %s", v.kind()).Note("have", "%s", v)
			return nil, false
		case !isInt:
			c.errorf(exprRange(ix), diag.BadValue, "a tuple index must be an integer, have %s", i.kind())
			return nil, false
		case n < 0 || int64(n) >= int64(len(t)):
			c.errorf(exprRange(ix), diag.BadValue, "index %d is out of range for a tuple of %d", n, len(t)).Note("have", "%s", t)
			return nil, false
		}
		v = t[n]
	}
	return v, ok
}

func (c *checker) evalPrimary(p *grammar.Primary, e *env) (Value, bool) {
	r := grammar.Range(p.Pos, p.EndPos)
	if !c.spend(1, r) {
		return nil, false
	}
	switch {
	case p.Int != nil:
		n, err := strconv.ParseInt(*p.Int, 10, 64)
		if err != nil {
			c.errorf(r, diag.Overflow, "integer %s does not fit in 64 bits", *p.Int)
			return nil, false
		}
		return Int(n), true
	case p.Float != nil:
		f, err := strconv.ParseFloat(*p.Float, 64)
		if err != nil || math.IsInf(f, 0) {
			c.errorf(r, diag.Overflow, "number %s is out of range", *p.Float)
			return nil, false
		}
		return Float(f), true
	case p.Dims != nil:
		if n := int64(strings.Count(*p.Dims, "x")) + 1; n > MaxTuple || !c.spend(n, r) {
			c.tooBig(r)
			return nil, false
		}
		t, err := parseDims(*p.Dims)
		if err != nil {
			c.errorf(r, diag.Overflow, "dimension %s", err)
			return nil, false
		}
		return t, true
	case p.Str != nil:
		return Str(*p.Str), true
	case p.Ident != nil:
		return c.lookup(p.Ident, e)
	case p.Tuple != nil:
		vals := make(Tuple, 0, len(p.Tuple.Elems))
		ok := true
		for _, x := range p.Tuple.Elems {
			v, vok := c.eval(x, e)
			ok = ok && vok
			vals = append(vals, v)
		}
		if !ok {
			return nil, false
		}
		if len(vals) == 1 && !p.Tuple.Comma {
			return vals[0], true
		}
		if n, exact := tupleSize(vals, MaxTuple); !exact || !c.spend(n, r) {
			c.tooBig(r)
			return nil, false
		}
		return vals, true
	}
	return nil, false
}

// tooBig reports a tuple of more than MaxTuple values, unless the check
// has already stopped for running out of steps.
func (c *checker) tooBig(r diag.Range) {
	if !c.stop {
		c.errorf(r, diag.LimitExceeded, "a tuple of more than %d values, nested ones included", MaxTuple)
	}
}

// lookup resolves a name: a parameter, then a constant.
func (c *checker) lookup(id *grammar.Ident, e *env) (Value, bool) {
	if v, ok := e.vars[id.Name]; ok {
		return v, true
	}
	if l, u := c.prog.lookupLet(e.unit, id.Name); l != nil {
		return c.letValue(l, u)
	}
	d := c.errorf(identRange(id), diag.UndefinedName, "undefined: %s", id.Name)
	var cands []string
	for n := range e.vars {
		cands = append(cands, n)
	}
	cands = append(cands, c.prog.visibleNames(e.unit, false)...)
	if s := suggest(id.Name, cands); s != "" {
		d.Note("hint", "did you mean %s?", s)
		d.Fix("write "+s, identRange(id), s)
	}
	return nil, false
}

// letValue evaluates a constant once, in the scope of its own file.
func (c *checker) letValue(l *grammar.Let, u *unit) (Value, bool) {
	if v, ok := c.lets[l]; ok {
		return v, v != nil
	}
	if c.letBusy[l] {
		c.errorf(identRange(l.Name), diag.RecursiveDefinition, "constant %s is defined in terms of itself", l.Name.Name)
		c.lets[l] = nil
		return nil, false
	}
	c.letBusy[l] = true
	saved := c.frames
	c.frames = nil // a constant's errors are the constant's, not the caller's
	v, ok := c.eval(l.Value, &env{unit: u})
	c.frames = saved
	delete(c.letBusy, l)
	if !ok {
		v = nil
	}
	c.lets[l] = v
	return v, ok
}

// arith applies a binary operator; integers stay integers unless a float
// takes part.
func (c *checker) arith(op string, a, b Value, r diag.Range) (Value, bool) {
	ai, aInt := a.(Int)
	bi, bInt := b.(Int)
	if aInt && bInt {
		x, y := int64(ai), int64(bi)
		var z int64
		ok := true
		switch op {
		case "+":
			z, ok = addInt(x, y)
		case "-":
			if y == math.MinInt64 {
				ok = false
			} else {
				z, ok = addInt(x, -y)
			}
		case "*":
			z, ok = mulInt(x, y)
		case "/", "%":
			if y == 0 {
				c.errorf(r, diag.DivisionError, "division by zero")
				return nil, false
			}
			if x == math.MinInt64 && y == -1 {
				ok = false
				break
			}
			if op == "%" {
				z = x % y
				break
			}
			if x%y != 0 {
				c.errorf(r, diag.DivisionError, "%d / %d is not a whole number", x, y).
					Note("hint", "integer division must be exact; write a float (%d.0 / %d) for a fraction", x, y)
				return nil, false
			}
			z = x / y
		}
		if !ok {
			c.errorf(r, diag.Overflow, "%d %s %d overflows 64-bit integers", x, op, y)
			return nil, false
		}
		return Int(z), true
	}
	af, aNum := asFloat(a)
	bf, bNum := asFloat(b)
	if !aNum || !bNum {
		bad := a
		if aNum {
			bad = b
		}
		c.errorf(r, diag.BadValue, "cannot apply %s to %s", op, bad.kind()).Note("have", "%s", bad)
		return nil, false
	}
	var z float64
	switch op {
	case "+":
		z = af + bf
	case "-":
		z = af - bf
	case "*":
		z = af * bf
	case "/":
		if bf == 0 {
			c.errorf(r, diag.DivisionError, "division by zero")
			return nil, false
		}
		z = af / bf
	case "%":
		if bf == 0 {
			c.errorf(r, diag.DivisionError, "division by zero")
			return nil, false
		}
		z = math.Mod(af, bf)
	}
	if math.IsInf(z, 0) || math.IsNaN(z) {
		c.errorf(r, diag.Overflow, "%s %s %s is out of range", a, op, b)
		return nil, false
	}
	return Float(z), true
}

func exprRange(x *grammar.Expr) diag.Range { return grammar.Range(x.Pos, x.EndPos) }

// loneIdent returns the identifier an expression consists of, if it is one.
func loneIdent(x *grammar.Expr) *grammar.Ident {
	if len(x.Ops) > 0 || len(x.Left.Ops) > 0 {
		return nil
	}
	u := x.Left.Left
	if u.Neg != nil || len(u.Index) > 0 || u.Value == nil {
		return nil
	}
	return u.Value.Ident
}
