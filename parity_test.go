package cnnc_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/tensorio"
)

// TestPyTorchParity runs every fixture of tools/reference.py: a model with
// random weights, a batch-2 input and PyTorch's eval-mode output. The
// largest difference must be at most 1e-4 of the largest output magnitude.
// CNNC_PARITY_DIR adds the fixtures of another directory (the ten
// full-size models: /usr/bin/python3 tools/reference.py --all).
func TestPyTorchParity(t *testing.T) {
	fixtures, _ := filepath.Glob("testdata/parity/*/io.safetensors")
	if dir := os.Getenv("CNNC_PARITY_DIR"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "*", "io.safetensors"))
		fixtures = append(fixtures, more...)
	}
	if len(fixtures) < 9 {
		t.Fatalf("found %d fixtures", len(fixtures))
	}
	for _, io := range fixtures {
		dir := filepath.Dir(io)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			worst, err := parity(dir)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("max |cnnc - pytorch| / max |pytorch| = %.2e", worst)
		})
	}
}

// parity runs one fixture and returns the largest difference relative to
// the largest output magnitude, or an error naming the first values that
// differ by more than the bound.
func parity(dir string) (float64, error) {
	f, err := tensorio.OpenSafetensors(filepath.Join(dir, "io.safetensors"))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	model := f.Metadata["cnn"]
	if model == "" {
		return 0, fmt.Errorf("%s: no cnn metadata", dir)
	}
	m, err := cnnc.CompileFile(model)
	if err != nil {
		return 0, err
	}
	if err := m.LoadWeights(filepath.Join(dir, "weights.safetensors")); err != nil {
		return 0, err
	}
	x, xs, err := f.Float32("input")
	if err != nil {
		return 0, err
	}
	want, _, err := f.Float32("output")
	if err != nil {
		return 0, err
	}
	n := int(xs[0])
	got := make([]float32, len(want))
	if err := m.Run(context.Background(), got, x, n); err != nil {
		return 0, err
	}
	scale := 0.0
	for _, v := range want {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	worst, at := 0.0, -1
	for i := range want {
		if d := math.Abs(float64(got[i]) - float64(want[i])); d > worst {
			worst, at = d, i
		}
	}
	rel := worst / scale
	if rel > 1e-4 {
		per := len(want) / n
		return rel, fmt.Errorf("%s: output[%d][%d] is %g, PyTorch's %g: a difference of %.2e of max|output| %g (bound 1e-4)\nfirst values: got %v\n              want %v",
			model, at/per, at%per, got[at], want[at], rel, scale, got[:min(6, len(got))], want[:min(6, len(want))])
	}
	return rel, nil
}
