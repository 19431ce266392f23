package lower_test

import (
	"context"
	"math"
	"testing"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/internal/lower"
	"github.com/cnnc/cnnc/runtime"
)

// layerUse writes a layer the way a model uses it, where its bare name
// would not check: a required argument, or a vector input.
var layerUse = map[string]string{
	"conv":            "conv 4 k3",
	"maxpool":         "maxpool k2",
	"avgpool":         "avgpool k2",
	"adaptiveavgpool": "adaptiveavgpool 2x2",
	"dense":           "flatten; dense 5",
	"linear":          "flatten; linear 5",
	"prelu":           "prelu 4",
}

// TestEveryLayerLowers checks, for every layer name the compiler knows,
// aliases included, that a model using it after a convolution (where an
// activation fuses into the store) lowers (ops has its lowering, or the
// layer is compute-free), compiles (the runtime has an op kind for it)
// and runs to a finite output. The float64 meaning of each is tested
// elsewhere (reference_test.go, testdata/parity).
func TestEveryLayerLowers(t *testing.T) {
	for _, name := range compiler.LayerNames() {
		t.Run(name, func(t *testing.T) {
			use, ok := layerUse[name]
			if !ok {
				use = name
			}
			src := "model m (input 4x6x6) < conv 4 k3 p1; " + use + " >\n"
			r := compiler.Check("layers.cnn", []byte(src), nil)
			if len(r.Diags) > 0 || len(r.Models) != 1 || !r.Models[0].OK {
				t.Fatalf("%s: %v (a layer that needs arguments needs an entry in layerUse)", src, r.Diags)
			}
			m := r.Models[0]
			g, err := lower.Lower(m)
			if err != nil {
				t.Fatalf("lower: %v", err)
			}
			w := runtime.Weights{}
			for _, p := range m.Params {
				x := make([]float32, p.Shape.Numel())
				for i := range x {
					x[i] = float32(i%7)/7 + 0.25 // positive: a valid running_var
				}
				w[p.Name] = x
			}
			prog, err := runtime.Compile(g, w, nil)
			if err != nil {
				t.Fatalf("runtime.Compile: %v", err)
			}
			in := make([]float32, prog.InputSize())
			for i := range in {
				in[i] = float32(i%11)/5 - 1
			}
			out := make([]float32, prog.OutputSize())
			if err := prog.Run(context.Background(), out, in, 1); err != nil {
				t.Fatalf("run: %v", err)
			}
			for i, v := range out {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("output %d is %v", i, v)
				}
			}
		})
	}
}
