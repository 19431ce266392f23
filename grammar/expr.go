package grammar

import (
	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Expressions are parsed by hand: participle's general machinery (a
// branch, deferred field sets and reflection for every rule it tries) cost
// about 3 KB of garbage per byte of `let a = 1+1+...`, 8.7 s and 650 MB
// for a megabyte, paid by the language server on every change. Expr
// implements participle.Parseable with a recursive descent over the same
// rules (the struct tags of ast.go, which EBNF prints and which a test
// parses with participle to check this parser against), filling in Pos and
// EndPos as participle does: Pos at the first token, EndPos at the raw
// token after the last. Recursion is bounded by tooDeep's MaxNesting.

// Parse implements participle.Parseable. It returns participle.NextMatch
// when the next token cannot start an expression, and an
// *participle.UnexpectedTokenError naming the rule participle would have
// named (Term, Unary, Expr, "]" or ")") where one is incomplete.
func (e *Expr) Parse(lex *lexer.PeekingLexer) error {
	if !startsExpr(lex.Peek()) {
		return participle.NextMatch
	}
	p := exprParser{lex}
	return p.expr(e)
}

type exprParser struct{ lex *lexer.PeekingLexer }

func startsExpr(t *lexer.Token) bool {
	switch t.Type {
	case tFloat, tInt, tDims, tString, tIdent:
		return true
	case tPunct:
		return t.Value == "-" || t.Value == "("
	}
	return false
}

func isPunct(t *lexer.Token, values ...string) bool {
	if t.Type != tPunct {
		return false
	}
	for _, v := range values {
		if t.Value == v {
			return true
		}
	}
	return false
}

func (p exprParser) unexpected(expect string) error {
	return &participle.UnexpectedTokenError{Unexpected: *p.lex.Peek(), Expect: expect}
}

// expr parses Expr = Term AddOp* .
func (p exprParser) expr(e *Expr) error {
	e.Pos = p.lex.Peek().Pos
	e.Left = &Term{}
	if err := p.term(e.Left); err != nil {
		return err
	}
	for isPunct(p.lex.Peek(), "+", "-") {
		op := &AddOp{Op: p.lex.Next().Value, Right: &Term{}}
		if !startsExpr(p.lex.Peek()) {
			return p.unexpected("Term")
		}
		if err := p.term(op.Right); err != nil {
			return err
		}
		e.Ops = append(e.Ops, op)
	}
	e.EndPos = p.lex.RawPeek().Pos
	return nil
}

// term parses Term = Unary MulOp* .
func (p exprParser) term(t *Term) error {
	t.Pos = p.lex.Peek().Pos
	t.Left = &Unary{}
	if err := p.unary(t.Left); err != nil {
		return err
	}
	for isPunct(p.lex.Peek(), "*", "/", "%") {
		op := &MulOp{Op: p.lex.Next().Value, Right: &Unary{}}
		if !startsExpr(p.lex.Peek()) {
			return p.unexpected("Unary")
		}
		if err := p.unary(op.Right); err != nil {
			return err
		}
		t.Ops = append(t.Ops, op)
	}
	t.EndPos = p.lex.RawPeek().Pos
	return nil
}

// unary parses Unary = ("-" Unary) | (Primary ("[" Expr "]")*) . The
// caller has seen that the next token starts one.
func (p exprParser) unary(u *Unary) error {
	u.Pos = p.lex.Peek().Pos
	if isPunct(p.lex.Peek(), "-") {
		p.lex.Next()
		if !startsExpr(p.lex.Peek()) {
			return p.unexpected("Unary")
		}
		u.Neg = &Unary{}
		if err := p.unary(u.Neg); err != nil {
			return err
		}
		u.EndPos = p.lex.RawPeek().Pos
		return nil
	}
	u.Value = &Primary{}
	if err := p.primary(u.Value); err != nil {
		return err
	}
	for isPunct(p.lex.Peek(), "[") {
		p.lex.Next()
		if !startsExpr(p.lex.Peek()) {
			return p.unexpected("Expr")
		}
		x := &Expr{}
		if err := p.expr(x); err != nil {
			return err
		}
		if !isPunct(p.lex.Peek(), "]") {
			return p.unexpected(`"]"`)
		}
		p.lex.Next()
		u.Index = append(u.Index, x)
	}
	u.EndPos = p.lex.RawPeek().Pos
	return nil
}

// primary parses Primary = <float> | <int> | <dims> | <string> | Ident | Tuple .
func (p exprParser) primary(pr *Primary) error {
	t := p.lex.Peek()
	pr.Pos = t.Pos
	switch t.Type {
	case tFloat:
		v := p.lex.Next().Value
		pr.Float = &v
	case tInt:
		v := p.lex.Next().Value
		pr.Int = &v
	case tDims:
		v := p.lex.Next().Value
		pr.Dims = &v
	case tString:
		v := p.lex.Next().Value
		pr.Str = &v
	case tIdent:
		pr.Ident = &Ident{Pos: t.Pos, Name: p.lex.Next().Value}
		pr.Ident.EndPos = p.lex.RawPeek().Pos
	default:
		pr.Tuple = &Tuple{}
		if err := p.tuple(pr.Tuple); err != nil {
			return err
		}
	}
	pr.EndPos = p.lex.RawPeek().Pos
	return nil
}

// tuple parses Tuple = "(" Expr ("," Expr)* ","? ")" .
func (p exprParser) tuple(t *Tuple) error {
	t.Pos = p.lex.Next().Pos // '('
	for {
		if !startsExpr(p.lex.Peek()) {
			return p.unexpected("Expr")
		}
		x := &Expr{}
		if err := p.expr(x); err != nil {
			return err
		}
		t.Elems = append(t.Elems, x)
		if !isPunct(p.lex.Peek(), ",") {
			break
		}
		// A comma before ')' ends the tuple; before an expression it
		// separates.
		cp := p.lex.MakeCheckpoint()
		p.lex.Next()
		if !startsExpr(p.lex.Peek()) {
			p.lex.LoadCheckpoint(cp)
			break
		}
	}
	if isPunct(p.lex.Peek(), ",") {
		p.lex.Next()
		t.Comma = true
	}
	if !isPunct(p.lex.Peek(), ")") {
		return p.unexpected(`")"`)
	}
	p.lex.Next()
	t.EndPos = p.lex.RawPeek().Pos
	return nil
}
