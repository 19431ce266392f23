package lsp

import (
	"strings"
	"testing"

	"github.com/cnnc/cnnc/compiler"
)

// TestLineEnds: a lone "\r" ends a line, "\r\n" is one line end, as LSP
// and the grammar's lexer say.
func TestLineEnds(t *testing.T) {
	x := newLineIndex([]byte("ab\rcd\r\nef\ng"))
	if x.lines() != 4 {
		t.Fatalf("%d lines, want 4", x.lines())
	}
	for _, tc := range []struct {
		off int
		p   Position
	}{{0, Position{0, 0}}, {3, Position{1, 0}}, {7, Position{2, 0}}, {10, Position{3, 0}}} {
		if got := x.position(tc.off); got != tc.p {
			t.Errorf("position(%d) = %v, want %v", tc.off, got, tc.p)
		}
		if got := x.offset(tc.p); got != tc.off {
			t.Errorf("offset(%v) = %d, want %d", tc.p, got, tc.off)
		}
	}
	for line, want := range map[int]int{0: 2, 1: 5, 2: 9} {
		if got := x.offset(Position{line, 99}); got != want {
			t.Errorf("past the end of line %d: %d, want %d", line, got, want)
		}
	}
	for l, want := range []string{"ab", "cd", "ef", "g"} {
		if got := x.lineText(l); got != want {
			t.Errorf("line %d: %q, want %q", l, got, want)
		}
	}
}

// TestLineEndsAgree: the compiler's line for a diagnostic and the
// language server's are the same, whatever the line ends.
func TestLineEndsAgree(t *testing.T) {
	const src = "# c\nlet a = 1\nmodel m (input 1x8x8) <\n  conv 8 k3 nobais\n>\n"
	for _, text := range []string{src, strings.ReplaceAll(src, "\n", "\r\n"), strings.ReplaceAll(src, "\n", "\r")} {
		r := compiler.Check("m.cnn", []byte(text), nil)
		if len(r.Diags) == 0 {
			t.Fatal("no diagnostic")
		}
		d := r.Diags[0]
		p := newLineIndex([]byte(text)).position(d.Range.Start.Offset)
		if p.Line != d.Range.Start.Line-1 || p.Line != 3 {
			t.Errorf("%q: compiler line %d, server line %d (from 0), want 4 and 3", text, d.Range.Start.Line, p.Line)
		}
	}
}
