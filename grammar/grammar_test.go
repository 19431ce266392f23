package grammar

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and the grammar in docs/language.md")

var ebnfBlock = regexp.MustCompile("(?s)(```ebnf\n)(.*?)(```)")

// TestGrammarDoc keeps the grammar in docs/language.md equal to the one
// the parser is built from.
func TestGrammarDoc(t *testing.T) {
	const doc = "../docs/language.md"
	src, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	m := ebnfBlock.FindSubmatchIndex(src)
	if m == nil {
		t.Fatalf("%s has no ```ebnf block", doc)
	}
	want := EBNF() + "\n"
	if got := string(src[m[4]:m[5]]); got != want {
		if !*update {
			t.Fatalf("the grammar in %s differs from the parser's; run go test ./grammar -update\nparser:\n%s", doc, want)
		}
		out := append(append(append([]byte{}, src[:m[4]]...), want...), src[m[5]:]...)
		if err := os.WriteFile(doc, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFormat formats testdata/fmt/*.input and compares with the .golden
// files; formatting a golden file must change nothing.
func TestFormat(t *testing.T) {
	inputs, _ := filepath.Glob("testdata/fmt/*.input")
	if len(inputs) == 0 {
		t.Fatal("no inputs")
	}
	for _, in := range inputs {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		f, diags := Parse(in, src)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", in, diags)
		}
		got := Format(f)
		golden := in[:len(in)-len(".input")] + ".golden"
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: formatted output differs from %s:\n%s", in, golden, got)
		}
		f2, _ := Parse(golden, want)
		if again := Format(f2); !bytes.Equal(again, want) {
			t.Errorf("%s: formatting is not idempotent:\n%s", golden, again)
		}
	}
}

// TestFormatModels requires every shipped .cnn file to be formatted.
func TestFormatModels(t *testing.T) {
	var files []string
	for _, g := range []string{"../models/*.cnn", "../models/torchvision/*.cnn", "../stdlib/*.cnn", "../testdata/parity/*.cnn"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, diags := Parse(name, src)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		if got := Format(f); !bytes.Equal(got, src) {
			t.Errorf("%s is not formatted; run cnnc fmt -w %s", name, name)
		}
	}
}

// TestUserExamples parses the user's own examples as written.
func TestUserExamples(t *testing.T) {
	for _, src := range []string{
		"def f(c) = block < conv 64 k3 p1; relu; maxpool k2 s2 >",
		"model m (input 3x224x224) < inception(64, (96,128), (16,32), 32) >",
		"def r(c) = residual < conv c k3 p1; relu; conv c k3 p1 >",
		"def vgg(n, c) = block < repeat n < conv c k3 p1; relu >; maxpool k2 s2 >",
		"model vgg16 (input 1x224x224) <\n  block6: < flatten; dense 4096 in 7*7*512; relu; dense 4096; relu; dense 10 >\n>",
	} {
		if _, d := Parse("example.cnn", []byte(src)); len(d) > 0 {
			t.Errorf("%q: %v", src, d)
		}
	}
}

// TestDocComments takes the whole-line comments right above a declaration.
func TestDocComments(t *testing.T) {
	src := "let a = 1  # not a doc\n# first\n# second\ndef f(c) = conv c k1\n\n# detached\n\ndef g(c) = conv c k1\n"
	f, d := Parse("d.cnn", []byte(src))
	if len(d) > 0 {
		t.Fatal(d)
	}
	if got := f.Decls[1].Doc; got != "first\nsecond" {
		t.Errorf("f's doc is %q", got)
	}
	if got := f.Decls[2].Doc; got != "" {
		t.Errorf("g's doc is %q", got)
	}
	f, _ = Parse("d.cnn", []byte("relu_x := 1 # trailing\ndef h(c) = conv c k1\n"))
	for _, decl := range f.Decls {
		if decl.Def != nil && decl.Doc != "" {
			t.Errorf("h's doc is %q", decl.Doc)
		}
	}
}
