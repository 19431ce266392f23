package grammar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	src := "model m (input 1x28x28) <\n  c1: conv 6 k5 -> 6x24x24 # é\n  \"a\\n\" 0.5 ` >\n"
	want := []struct {
		kind      TokenKind
		text      string
		line, col int
	}{
		{TokenKeyword, "model", 1, 1}, {TokenIdent, "m", 1, 7}, {TokenPunct, "(", 1, 9}, {TokenIdent, "input", 1, 10},
		{TokenDims, "1x28x28", 1, 16}, {TokenPunct, ")", 1, 23}, {TokenPunct, "<", 1, 25},
		{TokenIdent, "c1", 2, 3}, {TokenPunct, ":", 2, 5}, {TokenIdent, "conv", 2, 7}, {TokenInt, "6", 2, 12},
		{TokenIdent, "k5", 2, 14}, {TokenArrow, "->", 2, 17}, {TokenDims, "6x24x24", 2, 20}, {TokenComment, "# é", 2, 28},
		{TokenString, `"a\n"`, 3, 3}, {TokenFloat, "0.5", 3, 9}, {TokenIllegal, "`", 3, 13}, {TokenPunct, ">", 3, 15},
	}
	got := Tokens([]byte(src))
	if len(got) != len(want) {
		t.Fatalf("%d tokens, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Kind != w.kind || g.Text != w.text || g.Line != w.line || g.Col != w.col || src[g.Offset:g.Offset+len(g.Text)] != g.Text {
			t.Errorf("token %d: %+v, want %+v", i, g, w)
		}
	}
}

// TestTokensCoverModels checks that the tokens of every model file, put
// back in place, leave only whitespace between them.
func TestTokensCoverModels(t *testing.T) {
	files, _ := filepath.Glob("../models/*.cnn")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rest := []byte(string(src))
		for _, tok := range Tokens(src) {
			copy(rest[tok.Offset:], strings.Repeat(" ", len(tok.Text)))
		}
		if s := strings.TrimSpace(string(rest)); s != "" {
			t.Errorf("%s: text outside any token: %q", f, s)
		}
	}
}
