package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/cnnc/cnnc/diag"
)

func seeds(f *testing.F) {
	for _, g := range []string{"../models/*.cnn", "../models/torchvision/*.cnn", "../stdlib/*.cnn",
		"../testdata/errors/*.cnn", "../testdata/parity/*.cnn", "testdata/fmt/*.input"} {
		files, _ := filepath.Glob(g)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
}

// FuzzParse: the parser never panics, and its diagnostics render.
func FuzzParse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		_, diags := Parse("fuzz.cnn", src)
		for _, d := range diags {
			_ = diag.Format(d, func(string) []byte { return src })
		}
	})
}

// FuzzFormat: formatting a file that parses gives a file that parses to
// the same tokens, and formatting that changes nothing.
func FuzzFormat(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file, diags := Parse("fuzz.cnn", src)
		if diags.HasErrors() {
			return
		}
		out := Format(file)
		file2, diags2 := Parse("fuzz.cnn", out)
		if diags2.HasErrors() {
			t.Fatalf("formatted text does not parse: %v\n%s", diags2, out)
		}
		if again := Format(file2); !bytes.Equal(again, out) {
			t.Fatalf("formatting is not idempotent:\n%s\nthen\n%s", out, again)
		}
		if a, b := tokenText(src), tokenText(out); a != b {
			t.Fatalf("formatting changed the tokens:\n%s\nbecame\n%s", a, b)
		}
	})
}

// nextText is the text of the token after toks[i] that is not a comment
// or an inserted ';'.
func nextText(toks []Token, i int) string {
	for _, t := range toks[i+1:] {
		if t.Kind != TokenComment && t.Text != ";" {
			return t.Text
		}
	}
	return ""
}

// emptyOptions reports whether toks[i] is a bracket of `model M()`.
func emptyOptions(toks []Token, i int) bool {
	if toks[i].Text == ")" {
		i--
	}
	return i >= 2 && i+1 < len(toks) && toks[i].Text == "(" && toks[i+1].Text == ")" && toks[i-2].Text == "model"
}

// tokenText lists a text's tokens, one a line, without what formatting
// may drop or respell: comments (it moves them), ';' (newlines stand for
// it), '=' (optional after `in` and model options), a comma before ')'
// the quoting of strings, and the empty option list of `model M() < >`.
func tokenText(src []byte) string {
	var b bytes.Buffer
	toks := Tokens(src)
	for i, t := range toks {
		text := t.Text
		switch {
		case t.Kind == TokenComment || text == ";" || text == "=":
			continue
		case emptyOptions(toks, i):
			continue
		case text == "," && nextText(toks, i) == ")":
			continue
		case t.Kind == TokenString:
			if u, err := strconv.Unquote(text); err == nil {
				text = strconv.Quote(u)
			}
		}
		b.WriteString(text)
		b.WriteByte('\n')
	}
	return b.String()
}
