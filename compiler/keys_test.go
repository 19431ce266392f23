package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPyTorchKeys compares every model's parameters, names, shapes and
// order, with the state_dict of the PyTorch module it mirrors, as
// tools/export_keys.py wrote them to testdata/keys.
func TestPyTorchKeys(t *testing.T) {
	cases := map[string]string{}
	for _, g := range []struct{ glob, prefix string }{
		{"../models/*.cnn", ""}, {"../models/torchvision/*.cnn", "torchvision_"}, {"../testdata/parity/*.cnn", ""},
	} {
		files, _ := filepath.Glob(g.glob)
		for _, f := range files {
			cases[f] = "../testdata/keys/" + g.prefix + strings.TrimSuffix(filepath.Base(f), ".cnn") + ".txt"
		}
	}
	if len(cases) < 18 {
		t.Fatalf("found %d models", len(cases))
	}
	for model, keys := range cases {
		t.Run(filepath.Base(keys), func(t *testing.T) {
			want, err := os.ReadFile(keys)
			if err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(model)
			if err != nil {
				t.Fatal(err)
			}
			r := Check(model, src, nil)
			if len(r.Diags) > 0 || len(r.Models) != 1 {
				t.Fatalf("%s: %v", model, r.Diags)
			}
			var got []string
			for _, p := range r.Models[0].Params {
				got = append(got, fmt.Sprintf("%s %s", p.Name, p.Shape.Dims()))
			}
			wantLines := strings.Split(strings.TrimSpace(string(want)), "\n")
			for i := 0; i < max(len(got), len(wantLines)); i++ {
				g, w := "(none)", "(none)"
				if i < len(got) {
					g = got[i]
				}
				if i < len(wantLines) {
					w = wantLines[i]
				}
				if g != w {
					t.Fatalf("%s: entry %d is %q, PyTorch has %q", model, i, g, w)
				}
			}
		})
	}
}
