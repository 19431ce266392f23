// Package exprsyntax holds the expression rules of the grammar as
// participle structs, the same as grammar's ast.go. The grammar package
// parses expressions by hand (grammar.Expr implements participle.Parseable),
// so participle no longer sees these rules there: it builds a parser from
// these copies to print them in grammar.EBNF, and the grammar's tests parse
// with it to check the hand-written parser against participle's.
package exprsyntax

import "github.com/alecthomas/participle/v2/lexer"

// An Expr is a sum of terms.
type Expr struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *Term    `parser:"@@"`
	Ops    []*AddOp `parser:"@@*"`
}

// An AddOp is `+ TERM` or `- TERM`.
type AddOp struct {
	Op    string `parser:"@( '+' | '-' )"`
	Right *Term  `parser:"@@"`
}

// A Term is a product of unary expressions.
type Term struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *Unary   `parser:"@@"`
	Ops    []*MulOp `parser:"@@*"`
}

// A MulOp is `* X`, `/ X` or `% X`.
type MulOp struct {
	Op    string `parser:"@( '*' | '/' | '%' )"`
	Right *Unary `parser:"@@"`
}

// A Unary is a negation or an indexed primary.
type Unary struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Neg    *Unary   `parser:"  '-' @@"`
	Value  *Primary `parser:"| @@"`
	Index  []*Expr  `parser:"( '[' @@ ']' )*"`
}

// A Primary is a literal, a name or a parenthesised expression or tuple.
type Primary struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Float  *string `parser:"  @Float"`
	Int    *string `parser:"| @Int"`
	Dims   *string `parser:"| @Dims"`
	Str    *string `parser:"| @String"`
	Ident  *Ident  `parser:"| @@"`
	Tuple  *Tuple  `parser:"| @@"`
}

// A Tuple is `(E)`, a parenthesised expression, or `(E, E, ...)`.
type Tuple struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Elems  []*Expr `parser:"'(' @@ ( ',' @@ )*"`
	Comma  bool    `parser:"@','? ')'"`
}

// An Ident is a name with its position.
type Ident struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   string `parser:"@Ident"`
}
