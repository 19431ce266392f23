package grammar

import "github.com/alecthomas/participle/v2/lexer"

// The AST is participle's parse tree: each type is a grammar rule, its
// struct tags the rule's right-hand side. Pos is where a node starts and
// EndPos where its text ends (the lexer keeps whitespace and comments as
// elided tokens, so the token after a node starts where the node ends).

// A File is a parsed .cnn file: its declarations in source order and every
// comment, for the formatter.
type File struct {
	Name     string
	Decls    []*Decl `parser:"( @@ | ';' )*"`
	Comments []*Comment
}

// A Comment is a '#' comment, Text including the '#'.
type Comment struct {
	Pos  lexer.Position
	Text string
}

// A Decl is one top-level declaration.
type Decl struct {
	Pos    lexer.Position
	EndPos lexer.Position

	Import *Import `parser:"  @@"`
	Let    *Let    `parser:"| @@"`
	Def    *Def    `parser:"| @@"`
	Model  *Model  `parser:"| @@"`

	Doc string // the comment lines directly above, '#' and one space removed
}

// An Import is `import "path.cnn"`.
type Import struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Path   *String `parser:"'import' @@"`
}

// A Let is `let NAME = EXPR`.
type Let struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *Ident `parser:"'let' @@"`
	Value  *Expr  `parser:"'=' @@"`
}

// A Def is `def NAME(PARAMS) = NODE`.
type Def struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *Ident   `parser:"'def' @@"`
	Params []*Param `parser:"'(' ( @@ ( ',' @@ )* ','? )? ')'"`
	Body   *Node    `parser:"'=' @@"`
}

// A Param is a definition's parameter with its optional default.
type Param struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    *Ident `parser:"@@"`
	Default *Expr  `parser:"( '=' @@ )?"`
}

// A Model is `model NAME (OPTIONS) SEQUENCE`.
type Model struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Name    *Ident    `parser:"'model' @@"`
	Options []*Option `parser:"( '(' ( @@ ( ',' @@ )* ','? )? ')' )?"`
	Body    *Seq      `parser:"@@"`
}

// An Option is a model option such as `input 1x28x28`.
type Option struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Key    *Ident `parser:"@@ '='?"`
	Value  *Expr  `parser:"@@"`
}

// A Seq is a sequence `< M; M; ... >`, optionally written `block < ... >`.
type Seq struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Block   bool      `parser:"@'block'?"`
	Members []*Member `parser:"'<' ( @@ | ';' )* '>'"`
}

// A Member is a node of a sequence with its optional name and shape assertion.
type Member struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *Ident `parser:"( @@ ':' )?"`
	Node   *Node  `parser:"@@"`
	Expect *Expr  `parser:"( '->' @@ )?"`
}

// A Node is one of the constructs a member can be.
type Node struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Repeat   *Repeat   `parser:"  @@"`
	Residual *Residual `parser:"| @@"`
	Concat   *Concat   `parser:"| @@"`
	Seq      *Seq      `parser:"| @@"`
	Apply    *Apply    `parser:"| @@"`
}

// A Repeat is `repeat N < ... >`.
type Repeat struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Count  *Expr `parser:"'repeat' @@"`
	Body   *Seq  `parser:"@@"`
}

// A Residual is `residual < BODY > [shortcut[?] M] [then M]`.
type Residual struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Body     *Seq      `parser:"'residual' @@"`
	Shortcut *Shortcut `parser:"( ';'? @@ )?"`
	Then     *Member   `parser:"( ';'? 'then' @@ )?"`
}

// A Shortcut is a residual's projection path; Optional marks `shortcut?`.
type Shortcut struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Optional bool    `parser:"'shortcut' @'?'?"`
	Path     *Member `parser:"@@"`
}

// A Concat is `concat < BRANCH | BRANCH ... >`.
type Concat struct {
	Pos      lexer.Position
	EndPos   lexer.Position
	Branches []*Branch `parser:"'concat' '<' @@ ( '|' @@ )* '>'"`
}

// A Branch is one path of a concat: a sequence of members.
type Branch struct {
	Pos     lexer.Position
	EndPos  lexer.Position
	Members []*Member `parser:"( @@ | ';' )*"`
}

// An Apply is a layer or a call: `conv 64 k3 p1`, `inception(64, (96,128), ...)`.
// Parens holds the arguments written in parentheses, Args those after.
type Apply struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Name   *Ident   `parser:"@@"`
	Parens *ArgList `parser:"@@?"`
	Args   []*Arg   `parser:"@@*"`
}

// An ArgList is a parenthesised argument list.
type ArgList struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Args   []*Arg `parser:"'(' ( @@ ( ',' @@ )* ','? )? ')'"`
}

// An Arg is an argument: `in EXPR`, `KEY=EXPR` or a bare expression (which
// may be a short attribute such as `k3` or a flag such as `nobias`).
type Arg struct {
	Pos    lexer.Position
	EndPos lexer.Position
	In     bool   `parser:"(  @'in' '='?"`
	Key    *Ident `parser:"  | @@ '=' )?"`
	Value  *Expr  `parser:"@@"`
}

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
// Comma records a comma after the first element, so `(E,)` is a 1-tuple.
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

// A String is a string literal, unquoted.
type String struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Value  string `parser:"@String"`
}
