package compiler

import (
	"testing"

	"github.com/cnnc/cnnc/diag"
)

// TestFixes checks the diagnostics that carry a fix: applying it to the
// source must give a file that checks without errors.
func TestFixes(t *testing.T) {
	for _, tc := range []struct {
		name, src, code, message, want string
	}{
		{"in of a flatten", "model m (input 3x6x6) < conv 4 k1; flatten; dense 10 in 6*6*3 >\n",
			"MismatchedShape", "write `in 6*6*4`", "model m (input 3x6x6) < conv 4 k1; flatten; dense 10 in 6*6*4 >\n"},
		{"in of a vector", "model m (input 1x2x2) < flatten; dense 8; dense 10 in 9 >\n",
			"MismatchedShape", "write `in 8`", "model m (input 1x2x2) < flatten; dense 8; dense 10 in 8 >\n"},
		{"missing flatten", "model m (input 1x4x4) <\n  c: conv 2 k1\n  fc: dense 10\n>\n",
			"NeedsFlatten", "insert `flatten` before it", "model m (input 1x4x4) <\n  c: conv 2 k1\n  flatten; fc: dense 10\n>\n"},
		{"short attribute", "model m (input 1x4x4) < conv 2 ke3 >\n",
			"UnknownAttribute", "write k3", "model m (input 1x4x4) < conv 2 k3 >\n"},
		{"flag", "model m (input 1x4x4) < conv 2 k3 nobais >\n",
			"UnknownAttribute", "write nobias", "model m (input 1x4x4) < conv 2 k3 nobias >\n"},
		{"keyed attribute", "model m (input 1x4x4) < conv 2 kernal=3 >\n",
			"UnknownAttribute", "write kernel", "model m (input 1x4x4) < conv 2 kernel=3 >\n"},
		{"layer", "model m (input 1x4x4) < conv 2 k3; rleu >\n",
			"UnknownLayer", "write relu", "model m (input 1x4x4) < conv 2 k3; relu >\n"},
		{"parameter key", "def b(width) = < conv width k3 >\nmodel m (input 1x4x4) < b(widht=2) >\n",
			"UnknownAttribute", "write width", "def b(width) = < conv width k3 >\nmodel m (input 1x4x4) < b(width=2) >\n"},
		{"constant", "let width = 4\nmodel m (input 1x4x4) < conv widht k3 >\n",
			"UndefinedName", "write width", "let width = 4\nmodel m (input 1x4x4) < conv width k3 >\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Check("f.cnn", []byte(tc.src), nil)
			var fix *diag.Fix
			for _, d := range r.Diags {
				if string(d.Code) == tc.code && len(d.Fixes) > 0 {
					fix = &d.Fixes[0]
				}
			}
			if fix == nil {
				t.Fatalf("no %s diagnostic with a fix: %v", tc.code, r.Diags)
			}
			if fix.Message != tc.message {
				t.Errorf("fix message %q, want %q", fix.Message, tc.message)
			}
			if fix.Range.Start.File != "f.cnn" || fix.Range.End.Offset < fix.Range.Start.Offset {
				t.Fatalf("fix range %+v", fix.Range)
			}
			got := tc.src[:fix.Range.Start.Offset] + fix.NewText + tc.src[fix.Range.End.Offset:]
			if got != tc.want {
				t.Errorf("fixed:\n%s\nwant:\n%s", got, tc.want)
			}
			if r := Check("f.cnn", []byte(got), nil); r.Diags.HasErrors() {
				t.Errorf("the fixed file has errors: %v", r.Diags)
			}
		})
	}
}
