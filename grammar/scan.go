package grammar

import (
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// A scanner splits a source into the tokens lexRules gives, EOF last, in
// one pass by hand: participle's lexer tries each rule's regular expression
// in turn at every token, which took most of a parse's time once
// expressions were parsed by hand (a megabyte of `1+1+...`: 1.7 s of 2.5).
// lexRules stays the definition, for the parser's symbols, and a test
// checks that both give the same tokens. Positions carry the offset and
// the line and column a lineCounter gives.
type scanner struct {
	src   string
	off   int
	lines *lineCounter
}

func newScanner(filename, src string) *scanner {
	return &scanner{src: src, lines: newLineCounter(filename, src)}
}

// next returns the next token; at the end, EOF tokens.
func (s *scanner) next() lexer.Token {
	if s.off >= len(s.src) {
		return lexer.EOFToken(s.lines.at(len(s.src)))
	}
	typ, n := scanOne(s.src[s.off:])
	t := lexer.Token{Type: typ, Value: s.src[s.off : s.off+n], Pos: s.lines.at(s.off)}
	s.off += n
	return t
}

var tArrow = symbols["Arrow"]

// countTokens returns how many tokens lex may return for src: each token,
// a ';' for each newline, and EOF.
func countTokens(src string) int {
	n := 1
	for i := 0; i < len(src); {
		typ, size := scanOne(src[i:])
		n++
		if typ == tNewline {
			n++
		}
		i += size
	}
	return n
}

// scanOne returns the type and length of the token at the start of s,
// which is not empty, trying the rules of lexRules in their order.
func scanOne(s string) (lexer.TokenType, int) {
	c := s[0]
	switch {
	case c == '#':
		n := 1
		for n < len(s) && s[n] != '\n' && s[n] != '\r' {
			n++
		}
		return tComment, n
	case c == '\r':
		if len(s) > 1 && s[1] == '\n' {
			return tNewline, 2
		}
		return tNewline, 1
	case c == '\n':
		return tNewline, 1
	case c == ' ' || c == '\t':
		n := 1
		for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
			n++
		}
		return tSpace, n
	case c == '"':
		if n := scanString(s); n > 0 {
			return tString, n
		}
	case isDigit(c):
		return scanNumber(s)
	case isLetter(c):
		n := 1
		for n < len(s) && (isLetter(s[n]) || isDigit(s[n])) {
			n++
		}
		for _, k := range Keywords {
			if s[:n] == k {
				return tKeyword, n
			}
		}
		return tIdent, n
	case c == '-' && len(s) > 1 && s[1] == '>':
		return tArrow, 2
	case isPunctByte(c):
		return tPunct, 1
	}
	_, n := utf8.DecodeRuneInString(s)
	return tIllegal, n
}

// scanString returns the length of the string literal at the start of s,
// or 0 if it does not end on its line: `"(\\[^\r\n]|[^"\\\r\n])*"`.
func scanString(s string) int {
	for i := 1; i < len(s); {
		switch s[i] {
		case '"':
			return i + 1
		case '\r', '\n':
			return 0
		case '\\':
			if i+1 >= len(s) || s[i+1] == '\r' || s[i+1] == '\n' {
				return 0
			}
			_, n := utf8.DecodeRuneInString(s[i+1:])
			i += 1 + n
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
	}
	return 0
}

// scanNumber scans a Float, Dims or Int, in that order of preference:
// `[0-9]+\.[0-9]+([eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+`, then
// `[0-9]+(x[0-9]+)+`, then `[0-9]+`.
func scanNumber(s string) (lexer.TokenType, int) {
	d := digits(s, 0)
	if d < len(s) && s[d] == '.' {
		if f := digits(s, d+1); f > d+1 {
			return tFloat, exponent(s, f)
		}
	}
	if e := exponent(s, d); e > d {
		return tFloat, e
	}
	n := d
	for n < len(s) && s[n] == 'x' {
		m := digits(s, n+1)
		if m == n+1 {
			break
		}
		n = m
	}
	if n > d {
		return tDims, n
	}
	return tInt, d
}

// exponent returns the end of `[eE][-+]?[0-9]+` at s[i:], or i if there is
// none.
func exponent(s string, i int) int {
	if i >= len(s) || s[i] != 'e' && s[i] != 'E' {
		return i
	}
	j := i + 1
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	if k := digits(s, j); k > j {
		return k
	}
	return i
}

// digits returns the end of the run of digits at s[i:].
func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

func isPunctByte(c byte) bool {
	switch c {
	case '-', '+', '*', '/', '%', '(', ')', '[', ']', '<', '>', ',', ';', ':', '=', '|', '?':
		return true
	}
	return false
}
