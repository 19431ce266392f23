package runtime

import (
	"context"
	"fmt"
	"maps"
	"testing"
)

// TestProfileShapes checks what Profile reports of each op: its shapes,
// merged siblings' outputs and a fused residual included, and start times
// in execution order.
func TestProfileShapes(t *testing.T) {
	want := map[string][2]string{
		"inception":         {"[[32 12 12]]", "[[16 12 12] [12 12 12] [8 12 12]]"}, // the merged 1x1 reductions
		"resnet_basic_64":   {"[[64 14 14] [64 14 14]]", "[[64 14 14]]"},           // the second convolution, with the residual
		"resnet_projection": {"[[16 16 16]]", "[[32 8 8]]"},
	}
	for _, tc := range cases() {
		w, ok := want[tc.name]
		if !ok {
			continue
		}
		m := tc.net()
		g := m.graph(tc.out(m))
		p, err := Compile(g, maps.Clone(m.w), nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 2
		in := make([]float32, n*p.InputSize())
		ops, err := p.Profile(context.Background(), make([]float32, n*p.OutputSize()), in, n)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for i, o := range ops {
			if i > 0 && o.Start.Before(ops[i-1].Start.Add(ops[i-1].Time)) {
				t.Errorf("%s: op %d (%s) starts before op %d ends", tc.name, i, o.Name, i-1)
			}
			if o.Kind == OpConv && fmt.Sprint(o.In) == w[0] && fmt.Sprint(o.Out) == w[1] {
				found = true
			}
		}
		if !found {
			for _, o := range ops {
				t.Logf("%s %s: in %v, out %v", o.Name, o.Kind, o.In, o.Out)
			}
			t.Errorf("%s: no convolution reads %s and writes %s", tc.name, w[0], w[1])
		}
	}
}
