package grammar

import (
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/cnnc/cnnc/diag"
)

// The lexer is participle's simple regexp lexer with two passes on top:
//
//   - Newlines become ';' where the line's last token could end a member
//     (an identifier, a literal, ')', ']' or '>'), Go's rule, except inside
//     parentheses and brackets, where a newline is only space.
//   - Whitespace and comments stay in the stream as tokens the parser elides,
//     so a node's EndPos is where its text ends and the formatter finds the
//     comments between the tokens.
//   - A line ends at "\n", "\r\n" or a lone "\r", and a byte order mark
//     at the start is space: a lineCounter counts lines and columns.
//
// The rules define the tokens and their names for the parser; a scanner
// (scan.go) finds them, faster than participle's lexer and to the same
// tokens.
var lexRules = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `#[^\r\n]*`},
	{Name: "Newline", Pattern: `\r\n?|\n`},
	{Name: "Whitespace", Pattern: `[ \t]+`},
	{Name: "String", Pattern: `"(\\[^\r\n]|[^"\\\r\n])*"`},
	{Name: "Float", Pattern: `[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+`},
	{Name: "Dims", Pattern: `[0-9]+(x[0-9]+)+`},
	{Name: "Int", Pattern: `[0-9]+`},
	{Name: "Keyword", Pattern: `(concat|def|import|in|let|model|repeat|residual|shortcut|then)\b`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Arrow", Pattern: `->`},
	{Name: "Punct", Pattern: `[-+*/%()\[\]<>,;:=|?]`},
	{Name: "Illegal", Pattern: `.`},
})

// Keywords are the reserved words; they cannot name anything.
// (`block`, which may start a sequence, is not one: a definition may be
// called block.)
var Keywords = []string{"concat", "def", "import", "in", "let", "model", "repeat", "residual", "shortcut", "then"}

var (
	symbols   = lexRules.Symbols()
	tComment  = symbols["Comment"]
	tNewline  = symbols["Newline"]
	tSpace    = symbols["Whitespace"]
	tString   = symbols["String"]
	tFloat    = symbols["Float"]
	tDims     = symbols["Dims"]
	tInt      = symbols["Int"]
	tKeyword  = symbols["Keyword"]
	tIdent    = symbols["Ident"]
	tPunct    = symbols["Punct"]
	tIllegal  = symbols["Illegal"]
	elideable = []string{"Comment", "Whitespace", "Newline"}
)

// lex splits src into tokens, inserting ';' for significant newlines. The
// result ends with an EOF token.
func lex(filename string, src string, diags *diag.List, bad map[int]bool) []lexer.Token {
	sc := newScanner(filename, src)
	out := make([]lexer.Token, 0, countTokens(src)) // grown by a quarter at a time, it copied gigabytes
	depth := 0
	last := lexer.EOF // type of the last significant token
	lastValue := ""
	for {
		t := sc.next()
		if isBOM(t) {
			t.Type = tSpace
		}
		switch t.Type {
		case tNewline:
			if depth == 0 && endsMember(last, lastValue) {
				out = append(out, lexer.Token{Type: tPunct, Value: ";", Pos: t.Pos})
				last, lastValue = tPunct, ";"
				continue
			}
		case tComment, tSpace:
		case tString:
			u, err := strconv.Unquote(t.Value)
			if err != nil {
				diags.Add(tokenRange(t), diag.SyntaxError, "syntax error: invalid escape in string %s", t.Value).
					Note("hint", `strings take Go's escapes: \\, \", \n, \t, \u00e9`)
				u = t.Value[1 : len(t.Value)-1]
				bad[t.Pos.Offset] = true
			}
			t.Value = u
			last, lastValue = t.Type, t.Value
		case lexer.EOF:
			if depth == 0 && endsMember(last, lastValue) {
				out = append(out, lexer.Token{Type: tPunct, Value: ";", Pos: t.Pos})
			}
			return append(out, t)
		default:
			switch t.Value {
			case "(", "[":
				if t.Type == tPunct {
					depth++
				}
			case ")", "]":
				if t.Type == tPunct && depth > 0 {
					depth--
				}
			}
			last, lastValue = t.Type, t.Value
		}
		out = append(out, t)
	}
}

// isBOM reports whether t is the byte order mark that may start a source.
func isBOM(t lexer.Token) bool {
	return t.Type == tIllegal && t.Pos.Offset == 0 && t.Value == BOM
}

func endsMember(typ lexer.TokenType, value string) bool {
	switch typ {
	case tIdent, tInt, tFloat, tDims, tString:
		return true
	case tPunct:
		return value == ")" || value == "]" || value == ">"
	}
	return false
}

// sliceLexer replays a slice of tokens that ends with EOF.
type sliceLexer struct {
	toks []lexer.Token
	i    int
}

func (s *sliceLexer) Next() (lexer.Token, error) {
	t := s.toks[s.i]
	if s.i < len(s.toks)-1 {
		s.i++
	}
	return t, nil
}

// commentText returns a comment without its '#' and one following space.
func commentText(c string) string {
	c = strings.TrimPrefix(c, "#")
	return strings.TrimPrefix(c, " ")
}
