package diag

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, é and 漢字":    "plain text, é and 漢字",
		"tab\tstays":              "tab\tstays",
		"\x1b[2J\x1b]0;pwned\x07": `\x1b[2J\x1b]0;pwned\x07`,
		"del\x7f and \u009b":      `del\x7f and \u009b`,
		"bidi \u202eevil\u2066":   `bidi \u202eevil\u2066`,
		"bad \xff byte":           `bad \xff byte`,
		"cr\r and nl\n":           `cr\x0d and nl\x0a`,
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEscapedSnippet: a comment holding escape sequences on an erroring
// line is printed escaped, the carets still under the subject.
func TestEscapedSnippet(t *testing.T) {
	src := []byte("model m (input 1x8x8) <\n  conv 8 k3 nobais  # \x1b[2J\x1b[31mred\n>\n")
	d := &Diagnostic{Code: UnknownAttribute, Message: "nobais is not an attribute of conv",
		Range: Range{Start: Pos{File: "m\x1b[1m.cnn", Offset: 36, Line: 2, Col: 13}, End: Pos{File: "m\x1b[1m.cnn", Offset: 42, Line: 2, Col: 19}}}
	d.Note("hint", "see \x1b[31m")
	got := Format(d, func(string) []byte { return src })
	if strings.ContainsAny(got, "\x1b") {
		t.Errorf("raw ESC in:\n%q", got)
	}
	want := "m\\x1b[1m.cnn:2:13: error[UnknownAttribute]: nobais is not an attribute of conv\n" +
		"  |\n" +
		"2 |   conv 8 k3 nobais  # \\x1b[2J\\x1b[31mred\n" +
		"  |             ^^^^^^\n" +
		"  = hint: see \\x1b[31m\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The subject itself holding a control character: the carets cover its
	// escaped form.
	src = []byte("let a = \x01\n")
	d = &Diagnostic{Code: SyntaxError, Message: "m", Range: Range{Start: Pos{File: "f", Offset: 8, Line: 1, Col: 9}, End: Pos{File: "f", Offset: 9, Line: 1, Col: 10}}}
	want = "f:1:9: error[SyntaxError]: m\n  |\n1 | let a = \\x01\n  |         ^^^^\n"
	if got := Format(d, func(string) []byte { return src }); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
}

// TestLineEndsInSnippets: lines end at "\n", "\r\n" or a lone "\r", and a
// byte order mark at the start is not shown.
func TestLineEndsInSnippets(t *testing.T) {
	for _, src := range []string{
		"let a = 1\nlet b = @\nlet c = 3\n",
		"let a = 1\r\nlet b = @\r\nlet c = 3\r\n",
		"let a = 1\rlet b = @\rlet c = 3\r",
		bom + "let a = 1\rlet b = @\rlet c = 3\r",
	} {
		off := strings.Index(src, "@")
		d := &Diagnostic{Code: SyntaxError, Message: "m", Range: Range{Start: Pos{File: "f", Offset: off, Line: 2, Col: 9}, End: Pos{File: "f", Offset: off + 1, Line: 2, Col: 10}}}
		want := "f:2:9: error[SyntaxError]: m\n  |\n2 | let b = @\n  |         ^\n"
		if got := Format(d, func(string) []byte { return []byte(src) }); got != want {
			t.Errorf("%q: got:\n%q\nwant:\n%q", src, got, want)
		}
	}
	src := bom + "let a = @\n"
	d := &Diagnostic{Code: SyntaxError, Message: "m", Range: Range{Start: Pos{File: "f", Offset: 11, Line: 1, Col: 9}, End: Pos{File: "f", Offset: 12, Line: 1, Col: 10}}}
	want := "f:1:9: error[SyntaxError]: m\n  |\n1 | let a = @\n  |         ^\n"
	if got := Format(d, func(string) []byte { return []byte(src) }); got != want {
		t.Errorf("BOM: got:\n%q\nwant:\n%q", got, want)
	}
}
