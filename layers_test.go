package cnnc_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/internal/lower"
)

// layerExamples writes each layer that needs arguments, or a vector input,
// as it is used on a 4x6x6 map; the others are written bare. A new layer
// that cannot be written bare needs a line here, or TestEveryLayerRuns
// fails.
var layerExamples = map[string]string{
	"conv":            "conv 5 k3 p1",
	"maxpool":         "maxpool k3 s2 p1",
	"avgpool":         "avgpool k2",
	"adaptiveavgpool": "adaptiveavgpool 4x3",
	"dense":           "flatten; dense 5",
	"linear":          "flatten; linear 5",
	"prelu":           "prelu 4",
	"hardtanh":        "hardtanh lower=-0.5 upper=2",
	"leakyrelu":       "leakyrelu 0.2",
	"elu":             "elu 0.7",
	"softplus":        "softplus beta=2 threshold=1",
	"gelu":            "gelu tanh",
}

// TestEveryLayerRuns checks every built-in layer (and alias) end to end:
// it checks, lowers to at least one runtime op unless the compiler
// declares it compute-free (and to none if it does), and the runtime's
// output on random weights and inputs matches the float64 reference
// interpreter (reference_test.go), which must know the layer.
func TestEveryLayerRuns(t *testing.T) {
	for _, name := range compiler.LayerNames() {
		t.Run(name, func(t *testing.T) {
			body, ok := layerExamples[name]
			if !ok {
				body = name
			}
			src := fmt.Sprintf("model m (input 4x6x6) < %s >\n", body)
			models, err := cnnc.Check("layer.cnn", []byte(src))
			if err != nil {
				t.Fatalf("%s: %v (add a usage to layerExamples)", src, err)
			}
			cm := models[0]
			g, err := lower.Lower(cm)
			if err != nil {
				t.Fatal(err)
			}
			if free := compiler.ComputeFree(compiler.Op(name)); free != (len(g.Ops) == 0) {
				t.Fatalf("compute-free %v, but lowers to %d ops", free, len(g.Ops))
			}
			m, err := cnnc.New(cm)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			w := m.RandomWeights(uint64(len(name)))
			for _, p := range cm.Params {
				for i := range w[p.Name] {
					w[p.Name][i] += float32(rng.NormFloat64() * 0.3)
				}
				if p.Buffer {
					for i := range w[p.Name] {
						w[p.Name][i] = float32(math.Abs(float64(w[p.Name][i]))) + 0.5
					}
				}
			}
			keep := map[string][]float32{}
			for k, v := range w {
				keep[k] = append([]float32(nil), v...)
			}
			if err := m.SetWeights(w); err != nil {
				t.Fatal(err)
			}
			const n = 2
			in, out := int(cm.Input.Numel()), int(cm.Output.Numel())
			x := make([]float32, n*in)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 3)
			}
			got := make([]float32, n*out)
			if err := m.Run(context.Background(), got, x, n); err != nil {
				t.Fatal(err)
			}
			for s := range n {
				want := reference(cm, keep, x[s*in:(s+1)*in])
				scale := 1e-30
				for _, v := range want {
					scale = math.Max(scale, math.Abs(v))
				}
				for i, v := range want {
					if d := math.Abs(float64(got[s*out+i]) - v); d > 1e-5*scale {
						t.Fatalf("sample %d, value %d: runtime %g, reference %g", s, i, got[s*out+i], v)
					}
				}
			}
		})
	}
}
