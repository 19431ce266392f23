package grammar

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar/internal/exprsyntax"
)

var (
	fileParser = participle.MustBuild[File](
		participle.Lexer(lexRules),
		participle.Elide(elideable...),
		participle.UseLookahead(4),
	)
	declParser = mustProduction[Decl](fileParser)
)

func mustProduction[P, G any](p *participle.Parser[G]) *participle.Parser[P] {
	pp, err := participle.ParserForProduction[P](p)
	if err != nil {
		panic(err)
	}
	return pp
}

// exprDocParser is participle's parser of the expression rules, which
// Expr.Parse implements by hand: EBNF prints them from it.
var exprDocParser = participle.MustBuild[exprsyntax.Expr](
	participle.Lexer(lexRules),
	participle.Elide(elideable...),
	participle.UseLookahead(4),
)

// EBNF returns the grammar of the language as the parser sees it, the
// expression rules after Ident, where participle's walk of ast.go's rules
// put them.
func EBNF() string {
	var rules []string
	for _, l := range strings.Split(exprDocParser.String(), "\n") {
		if !strings.HasPrefix(l, "Ident = ") {
			rules = append(rules, l)
		}
	}
	const ident = "Ident = <ident> ."
	return strings.Replace(fileParser.String(), ident, ident+"\n"+strings.Join(rules, "\n"), 1)
}

// Parse parses a .cnn file. It always returns a File, holding every
// declaration that parsed; the diagnostics report the ones that did not.
//
// Each top-level declaration is parsed on its own (the keywords that start
// them, import, let, def and model, appear nowhere else), so a syntax error
// in one declaration does not hide the errors of the others.
func Parse(filename string, src []byte) (*File, diag.List) {
	var diags diag.List
	f := &File{Name: filename}
	bad := map[int]bool{}
	toks := lex(filename, string(src), &diags, bad)
	for _, t := range toks {
		if t.Type == tComment {
			f.Comments = append(f.Comments, &Comment{Pos: t.Pos, Text: t.Value})
		}
	}
	for _, chunk := range split(toks) {
		if chunk.stray {
			t := chunk.toks[0]
			diags.Add(tokenRange(t), diag.SyntaxError, "unexpected %s; a file holds import, let, def and model declarations", describe(t))
			continue
		}
		if hasBad(chunk.toks, bad) {
			continue // the lexer reported it; a half-read string would only mislead
		}
		if d := tooDeep(chunk.toks); d != nil {
			diags = append(diags, d)
			continue
		}
		if d := tooLong(chunk.toks); d != nil {
			diags = append(diags, d)
			continue
		}
		if d := tooManyOperators(chunk.toks); d != nil {
			diags = append(diags, d)
			continue
		}
		pl, err := lexer.Upgrade(&sliceLexer{toks: chunk.toks}, symbols["Comment"], symbols["Whitespace"], symbols["Newline"])
		if err != nil {
			panic(err) // the slice lexer never fails
		}
		d, err := declParser.ParseFromLexer(pl, participle.AllowTrailing(true))
		if err != nil {
			diags = append(diags, syntaxError(err, chunk.toks))
			continue
		}
		for pl.Peek().Type == tPunct && pl.Peek().Value == ";" {
			pl.Next()
		}
		if rest := pl.Peek(); !rest.EOF() {
			diags.Add(tokenRange(*rest), diag.SyntaxError, "unexpected %s after the declaration; separate declarations with a newline", describe(*rest))
		}
		d.Doc = docComment(f.Comments, d.Pos, src)
		f.Decls = append(f.Decls, d)
	}
	return f, diags
}

// MaxNesting bounds how deeply brackets nest, and how many signs may
// precede a number, so that parsing and checking, which recurse, stay
// shallow whatever the input.
const MaxNesting = 100

// tooDeep reports the first bracket or sign past MaxNesting.
func tooDeep(toks []lexer.Token) *diag.Diagnostic {
	depth, signs := 0, 0
	for _, t := range toks {
		if t.Type != tPunct {
			if t.Type != tSpace && t.Type != tComment && t.Type != tNewline {
				signs = 0
			}
			continue
		}
		switch t.Value {
		case "(", "[", "<":
			depth++
		case ")", "]", ">":
			depth--
		}
		if t.Value == "-" {
			signs++
		} else {
			signs = 0
		}
		if depth > MaxNesting || signs > MaxNesting {
			return &diag.Diagnostic{Severity: diag.Error, Code: diag.LimitExceeded, Range: tokenRange(t),
				Message: fmt.Sprintf("brackets or signs nest more than %d deep", MaxNesting)}
		}
	}
	return nil
}

// MaxOperators bounds the arithmetic operators of one declaration: a
// megabyte of `let a = 1+1+...` is half a million nodes of syntax tree,
// which took seconds and hundreds of megabytes to build and check, and
// the language server builds it on every change. Written models use a
// handful.
const MaxOperators = 10000

// tooManyOperators reports the first operator past MaxOperators.
func tooManyOperators(toks []lexer.Token) *diag.Diagnostic {
	n := 0
	for _, t := range toks {
		if t.Type != tPunct || len(t.Value) != 1 || !strings.Contains("+-*/%", t.Value) {
			continue
		}
		if n++; n > MaxOperators {
			return &diag.Diagnostic{Severity: diag.Error, Code: diag.LimitExceeded, Range: tokenRange(t),
				Message: fmt.Sprintf("a declaration of more than %d operators", MaxOperators)}
		}
	}
	return nil
}

// MaxIdent and MaxString bound the bytes of an identifier and of a string
// (an import path, a label or weights file name).
const (
	MaxIdent  = 256
	MaxString = 4096
)

// tooLong reports the first identifier or string over its bound.
func tooLong(toks []lexer.Token) *diag.Diagnostic {
	for _, t := range toks {
		what, limit := "", 0
		switch t.Type {
		case tIdent:
			what, limit = "an identifier", MaxIdent
		case tString:
			what, limit = "a string", MaxString
		default:
			continue
		}
		if len(t.Value) > limit {
			return &diag.Diagnostic{Severity: diag.Error, Code: diag.LimitExceeded, Range: tokenRange(t),
				Message: fmt.Sprintf("%s of %d bytes is over the limit of %d", what, len(t.Value), limit)}
		}
	}
	return nil
}

func hasBad(toks []lexer.Token, bad map[int]bool) bool {
	for _, t := range toks {
		if t.Type == tString && bad[t.Pos.Offset] {
			return true
		}
	}
	return false
}

type chunk struct {
	toks  []lexer.Token
	stray bool // tokens before the first declaration
}

// split cuts the token stream before each declaration keyword. Each chunk
// ends with an EOF token at the position where the next one starts.
func split(toks []lexer.Token) []chunk {
	var out []chunk
	start := 0
	flush := func(end int) {
		body := toks[start:end]
		if significant(body) {
			c := make([]lexer.Token, len(body), len(body)+1)
			copy(c, body)
			c = append(c, lexer.EOFToken(toks[end].Pos))
			stray := !(body[firstSignificant(body)].Type == tKeyword && isDeclKeyword(body[firstSignificant(body)].Value))
			if stray {
				c = c[firstSignificant(body):]
			}
			out = append(out, chunk{toks: c, stray: stray})
		}
		start = end
	}
	for i, t := range toks {
		if t.Type == tKeyword && isDeclKeyword(t.Value) && i > start {
			flush(i)
		}
		if t.EOF() {
			flush(i)
		}
	}
	return out
}

func isDeclKeyword(s string) bool {
	return s == "import" || s == "let" || s == "def" || s == "model"
}

func significant(toks []lexer.Token) bool { return firstSignificant(toks) < len(toks) }

func firstSignificant(toks []lexer.Token) int {
	for i, t := range toks {
		if t.Type != tComment && t.Type != tSpace && t.Type != tNewline && !(t.Type == tPunct && t.Value == ";") {
			return i
		}
	}
	return len(toks)
}

// docComment returns the whole-line comments that end on the line above
// pos (a comment after code on its line is not documentation).
func docComment(comments []*Comment, pos lexer.Position, src []byte) string {
	var lines []string
	want := pos.Line - 1
	for i := len(comments) - 1; i >= 0; i-- {
		c := comments[i]
		if c.Pos.Line > want {
			continue
		}
		if c.Pos.Line < want || !ownLine(src, c.Pos.Offset) {
			break
		}
		lines = append(lines, commentText(c.Text))
		want--
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return strings.Join(lines, "\n")
}

// ownLine reports whether only spaces (or the byte order mark) precede
// offset on its line.
func ownLine(src []byte, offset int) bool {
	for i := offset - 1; i >= 0 && src[i] != '\n' && src[i] != '\r'; i-- {
		if src[i] != ' ' && src[i] != '\t' && !(i < len(BOM) && bytes.HasPrefix(src, []byte(BOM))) {
			return false
		}
	}
	return true
}

func syntaxError(err error, toks []lexer.Token) *diag.Diagnostic {
	if d := unbalanced(toks); d != nil {
		return d
	}
	pos := toks[0].Pos
	msg := err.Error()
	if e, ok := err.(participle.Error); ok {
		pos = e.Position()
		msg = e.Message()
	}
	r := Range(pos, pos)
	var tok *lexer.Token
	for i := range toks {
		if toks[i].Pos.Offset == pos.Offset && toks[i].Type != tSpace && toks[i].Type != tComment && toks[i].Type != tNewline {
			tok = &toks[i]
			break
		}
	}
	if tok != nil {
		r = tokenRange(*tok)
		if tok.Type == tIllegal {
			msg = fmt.Sprintf("unexpected character %q", tok.Value)
		} else if m := expectedRE.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("unexpected %s; expected %s", describe(*tok), expectation(m[1]))
			if tok.Type == tKeyword && expectation(m[1]) == "a name" {
				msg = fmt.Sprintf("%s is a keyword and cannot be a name", tok.Value)
			}
		} else if strings.HasPrefix(msg, "unexpected token") {
			msg = fmt.Sprintf("unexpected %s", describe(*tok))
		}
	}
	return &diag.Diagnostic{Severity: diag.Error, Code: diag.SyntaxError, Range: r, Message: "syntax error: " + msg}
}

var expectedRE = regexp.MustCompile(`^unexpected token .* \(expected (.*)\)$`)

// expectation names the first thing participle's "expected" list wants.
func expectation(list string) string {
	first := list
	if strings.HasPrefix(list, `"`) {
		if end := strings.Index(list[1:], `"`); end >= 0 {
			first = list[:end+2]
		}
	} else if i := strings.IndexAny(list, " ("); i > 0 {
		first = list[:i]
	}
	if name, ok := ruleNames[first]; ok {
		return name
	}
	if first == `";"` {
		return "a new line or ';'"
	}
	return strings.ReplaceAll(first, `"`, "'")
}

var ruleNames = map[string]string{
	"Node": "a layer or block", "Member": "a layer or block", "Expr": "an expression",
	"Term": "an expression", "Unary": "an expression", "Primary": "an expression",
	"Ident": "a name", "Param": "a parameter name", "Arg": "an argument", "Seq": "'<'",
	"String": "a string", "Option": "a model option such as input 1x28x28", "Branch": "a branch",
	"Decl": "a declaration",
}

// unbalanced reports the first bracket of toks that is closed by the wrong
// kind of bracket or not at all; such a mistake is the likeliest reason for
// a syntax error, and the parser's own message would point elsewhere.
func unbalanced(toks []lexer.Token) *diag.Diagnostic {
	pairs := map[string]string{"(": ")", "[": "]", "<": ">"}
	var stack []lexer.Token
	for _, t := range toks {
		if t.Type != tPunct {
			continue
		}
		switch t.Value {
		case "(", "[", "<":
			stack = append(stack, t)
		case ")", "]", ">":
			if len(stack) == 0 {
				return &diag.Diagnostic{Severity: diag.Error, Code: diag.SyntaxError, Range: tokenRange(t),
					Message: fmt.Sprintf("syntax error: %q closes nothing", t.Value)}
			}
			open := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if want := pairs[open.Value]; t.Value != want {
				d := &diag.Diagnostic{Severity: diag.Error, Code: diag.SyntaxError, Range: tokenRange(open),
					Message: fmt.Sprintf("syntax error: %q is not closed before the %q at %d:%d", open.Value, t.Value, t.Pos.Line, t.Pos.Column)}
				return d.Note("hint", "add %q", want)
			}
		}
	}
	if len(stack) > 0 {
		open := stack[len(stack)-1]
		d := &diag.Diagnostic{Severity: diag.Error, Code: diag.SyntaxError, Range: tokenRange(open),
			Message: fmt.Sprintf("syntax error: %q is never closed", open.Value)}
		return d.Note("hint", "add %q at the end of the declaration", pairs[open.Value])
	}
	return nil
}

func describe(t lexer.Token) string {
	switch {
	case t.EOF():
		return "end of file"
	case t.Type == tPunct && t.Value == ";":
		return "end of line"
	}
	return fmt.Sprintf("%q", t.Value)
}

func tokenRange(t lexer.Token) diag.Range {
	end := t.Pos
	end.Advance(t.Value)
	if t.Type == tPunct && t.Value == ";" && t.Pos.Offset > 0 {
		// An inserted ';' has no text: point at the end of the line.
		end = t.Pos
	}
	return Range(t.Pos, end)
}

// Range converts two participle positions to a diagnostic range.
func Range(start, end lexer.Position) diag.Range {
	return diag.Range{Start: DiagPos(start), End: DiagPos(end)}
}

// DiagPos converts a participle position to a diagnostic position.
func DiagPos(p lexer.Position) diag.Pos {
	return diag.Pos{File: p.Filename, Offset: p.Offset, Line: p.Line, Col: p.Column}
}
