package compiler

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// FuzzCheck feeds arbitrary text to the parser, the checker, the
// diagnostic renderer and the formatter. Nothing may panic or hang, and
// formatting must be idempotent and keep the checked models as they were.
func FuzzCheck(f *testing.F) {
	for _, g := range []string{"../models/*.cnn", "../models/torchvision/*.cnn", "../stdlib/*.cnn",
		"../testdata/errors/*.cnn", "../testdata/parity/*.cnn", "../grammar/testdata/fmt/*.input"} {
		files, _ := filepath.Glob(g)
		for _, name := range files {
			src, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		r := check(src)
		for _, d := range r.Diags {
			_ = diag.Format(d, r.Source)
		}
		file, diags := grammar.Parse("fuzz.cnn", src)
		if diags.HasErrors() {
			return
		}
		out := grammar.Format(file)
		file2, diags2 := grammar.Parse("fuzz.cnn", out)
		if diags2.HasErrors() {
			t.Fatalf("formatted text does not parse: %v\n%s", diags2, out)
		}
		if again := grammar.Format(file2); !bytes.Equal(again, out) {
			t.Fatalf("formatting is not idempotent:\n%s\nthen\n%s", out, again)
		}
		if a, b := summary(r), summary(check(out)); a != b {
			t.Fatalf("formatting changed the models:\n%s\nbecame\n%s\nformatted:\n%s", a, b, out)
		}
	})
}

func check(src []byte) *Result {
	return Check("fuzz.cnn", src, &Options{
		ReadFile:    func(string) ([]byte, error) { return nil, os.ErrNotExist },
		MemoryLimit: 1 << 30,
	})
}

// summary prints what a check found, without positions.
func summary(r *Result) string {
	var b bytes.Buffer
	for _, m := range r.Models {
		b.WriteString(m.Name + " " + m.Output.String() + "\n")
		for _, p := range m.Params {
			b.WriteString(p.Name + " " + p.Shape.String() + "\n")
		}
	}
	for _, d := range r.Diags {
		b.WriteString(string(d.Code) + "\n")
	}
	return b.String()
}
