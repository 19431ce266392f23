package cnnc_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/tensorio"
)

// TestActivationValues runs every activation layer of
// testdata/parity/activation_values.safetensors (tools/activation_values.py:
// PyTorch 1.13's modules at large, tiny and ordinary inputs) as a model of
// its own, once alone (an elementwise pass) and once after a 1x1
// convolution of weight 1 (fused into the convolution's store), and
// compares each value: within 1e-6 absolute and 1e-5 relative, no
// infinity or NaN where PyTorch has a finite value.
func TestActivationValues(t *testing.T) {
	f, err := tensorio.OpenSafetensors("testdata/parity/activation_values.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, _, err := f.Float32("input")
	if err != nil {
		t.Fatal(err)
	}
	tested := 0
	for _, ti := range f.Tensors() {
		if ti.Name == "input" {
			continue
		}
		want, _, err := f.Float32(ti.Name)
		if err != nil {
			t.Fatal(err)
		}
		tested++
		for _, fused := range []bool{false, true} {
			name := ti.Name
			if fused {
				name += " fused"
			}
			t.Run(name, func(t *testing.T) {
				got, err := runLayer(ti.Name, x, fused)
				if err != nil {
					t.Fatal(err)
				}
				bad := 0
				for i, w := range want {
					g := float64(got[i])
					ok := math.Abs(g-float64(w)) <= 1e-6+1e-5*math.Abs(float64(w))
					if math.IsInf(float64(w), 0) {
						ok = g == float64(w)
					}
					if !ok && bad < 5 {
						t.Errorf("%s(%g) = %g, PyTorch %g", ti.Name, x[i], got[i], w)
					}
					if !ok {
						bad++
					}
				}
				if bad > 0 {
					t.Errorf("%d of %d values differ", bad, len(want))
				}
			})
		}
	}
	if tested < 20 {
		t.Fatalf("the fixture has %d activations", tested)
	}
}

// runLayer runs one layer on the values x laid out as a 1x1xK map, after
// a 1x1 convolution that copies its input when fused.
func runLayer(layer string, x []float32, fused bool) ([]float32, error) {
	body := layer
	if fused {
		body = "conv 1 k1; " + layer
	}
	src := fmt.Sprintf("model m (input 1x1x%d) < %s >\n", len(x), body)
	models, err := cnnc.Check("act.cnn", []byte(src))
	if err != nil {
		return nil, err
	}
	m, err := cnnc.New(models[0])
	if err != nil {
		return nil, err
	}
	w := map[string][]float32{}
	if fused {
		w["0.weight"], w["0.bias"] = []float32{1}, []float32{0}
	}
	if err := m.SetWeights(w); err != nil {
		return nil, err
	}
	out := make([]float32, len(x))
	return out, m.Run(context.Background(), out, x, 1)
}
