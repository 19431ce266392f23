package grammar

import (
	"strings"
	"testing"
)

// TestLineEnds parses one source written with each kind of line end: the
// declarations, their lines and columns must be the same.
func TestLineEnds(t *testing.T) {
	const src = "# a comment\nlet a = 1  # after\nlet b = (\n  2, 3)\nmodel m (input 1x4x4) <\n  relu\n>\n"
	for _, tc := range []struct{ name, text string }{
		{"LF", src},
		{"CRLF", strings.ReplaceAll(src, "\n", "\r\n")},
		{"CR", strings.ReplaceAll(src, "\n", "\r")},
		{"BOM", BOM + src},
		{"BOM and CR", BOM + strings.ReplaceAll(src, "\n", "\r")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, diags := Parse("x.cnn", []byte(tc.text))
			if len(diags) > 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			if len(f.Decls) != 3 {
				t.Fatalf("%d declarations, want 3", len(f.Decls))
			}
			for i, want := range [][2]int{{2, 1}, {3, 1}, {5, 1}} {
				p := f.Decls[i].Pos
				if p.Line != want[0] || p.Column != want[1] {
					t.Errorf("declaration %d at %d:%d, want %d:%d", i, p.Line, p.Column, want[0], want[1])
				}
				if !strings.HasPrefix(tc.text[p.Offset:], []string{"let a", "let b", "model"}[i]) {
					t.Errorf("declaration %d: offset %d points at %.10q", i, p.Offset, tc.text[p.Offset:])
				}
			}
			if got := f.Decls[0].Doc; got != "a comment" {
				t.Errorf("doc comment %q", got)
			}
			relu := f.Decls[2].Model.Body.Members[0]
			if relu.Pos.Line != 6 || relu.Pos.Column != 3 {
				t.Errorf("relu at %d:%d, want 6:3", relu.Pos.Line, relu.Pos.Column)
			}
			lf, _ := Parse("x.cnn", []byte(src))
			if got, want := string(Format(f)), string(Format(lf)); got != want {
				t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
			}
			toks := Tokens([]byte(tc.text))
			if toks[0].Kind != TokenComment || toks[0].Line != 1 || toks[0].Col != 1 || toks[0].Text != "# a comment" {
				t.Errorf("first token %+v", toks[0])
			}
			last := toks[len(toks)-1]
			if last.Text != ">" || last.Line != 7 || last.Col != 1 {
				t.Errorf("last token %+v", last)
			}
		})
	}
}

// TestLoneCR: a comment ended by a lone CR once swallowed the rest of the
// file, model and all.
func TestLoneCR(t *testing.T) {
	f, diags := Parse("x.cnn", []byte("# comment\rmodel m (input 1x4x4) < relu >\r"))
	if len(diags) > 0 || len(f.Decls) != 1 || f.Decls[0].Model == nil {
		t.Fatalf("%d declarations, %v", len(f.Decls), diags)
	}
}

// TestStrayBOM: a byte order mark after the start is an illegal character.
func TestStrayBOM(t *testing.T) {
	_, diags := Parse("x.cnn", []byte("let a = 1\n"+BOM+"let b = 2\n"))
	if len(diags) != 1 || diags[0].Range.Start.Line != 2 || diags[0].Range.Start.Col != 1 {
		t.Fatalf("%v", diags)
	}
}
