package grammar

import "github.com/alecthomas/participle/v2/lexer"

// A TokenKind is the lexical class of a token, for editors (semantic
// highlighting) that need the tokens without a parse.
type TokenKind int

// The token kinds, one per rule of the lexer.
const (
	TokenComment TokenKind = iota
	TokenString
	TokenFloat
	TokenDims
	TokenInt
	TokenKeyword
	TokenIdent
	TokenArrow
	TokenPunct
	TokenIllegal
)

// tokenKinds maps the lexer's token types to the exported kinds;
// whitespace and newlines have none.
var tokenKinds = map[lexer.TokenType]TokenKind{
	tComment: TokenComment, tString: TokenString, tFloat: TokenFloat, tDims: TokenDims,
	tInt: TokenInt, tKeyword: TokenKeyword, tIdent: TokenIdent, symbols["Arrow"]: TokenArrow,
	tPunct: TokenPunct, tIllegal: TokenIllegal,
}

// A Token is one token of a source file as written: Text is the source
// text (a string keeps its quotes), Offset its byte offset, Line and Col
// where it starts (from 1, Col in bytes). No token spans lines.
type Token struct {
	Kind   TokenKind
	Text   string
	Offset int
	Line   int
	Col    int
}

// Tokens splits src into its tokens, comments included, whitespace and
// newlines left out. Unlike Parse it inserts no ';' for newlines, and it
// never fails: a character the language does not use is a TokenIllegal.
func Tokens(src []byte) []Token {
	sc := newScanner("", string(src))
	var out []Token
	for {
		t := sc.next()
		if t.EOF() {
			return out
		}
		k, ok := tokenKinds[t.Type]
		if !ok || isBOM(t) {
			continue // whitespace, newlines
		}
		out = append(out, Token{Kind: k, Text: t.Value, Offset: t.Pos.Offset, Line: t.Pos.Line, Col: t.Pos.Column})
	}
}
