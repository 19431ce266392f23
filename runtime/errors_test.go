package runtime

// Compile's and Run's errors: weights that do not fit (every problem
// reported, by key), graphs that are not well formed (an error, never a
// panic), and Run's arguments.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cnnc/cnnc/act"
)

// errorNet is a small network with one parameter of each kind of layer.
func errorNet() (*Graph, Weights) {
	m := newNet(40, 3, 8, 8)
	x := m.bn(m.conv(m.in(), 8, sq(3, 1, 1), 1, true))
	return m.graph(m.dense(m.flatten(x), 4, true)), m.w
}

func TestCompileReportsEveryWeightProblem(t *testing.T) {
	g, w := errorNet()
	delete(w, "conv1.weight")
	w["bn2.running_var"] = w["bn2.running_var"][:3]
	w["fc3.bias"] = append(w["fc3.bias"], 1)
	delete(w, "fc3.weight")
	p, err := Compile(g, w, nil)
	if err == nil {
		t.Fatalf("Compile gave a Program, want an error")
	}
	if p != nil {
		t.Errorf("Compile gave a Program with its error")
	}
	for _, want := range []string{
		"conv1.weight: missing (conv1 (test))",
		"bn2.running_var: 3 values, bn2 (test) needs 8",
		"fc3.bias: 5 values, fc3 (test) needs 4",
		"fc3.weight: missing (fc3 (test))",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n := strings.Count(err.Error(), "\n"); n != 4 {
		t.Errorf("error has %d lines, want a headline and 4 problems:\n%v", n+1, err)
	}
	// The weights that fit are untouched by a failed Compile.
	if _, ok := w["conv1.bias"]; !ok {
		t.Errorf("a failed Compile deleted conv1.bias")
	}
}

// TestCompileListsTheFirstProblems checks that weights missing from a
// large graph are listed up to 20, then counted.
func TestCompileListsTheFirstProblems(t *testing.T) {
	m := newNet(41, 4)
	x := m.in()
	for range 30 {
		x = m.dense(x, 4, true)
	}
	g := m.graph(x)
	_, err := Compile(g, Weights{}, nil)
	if err == nil {
		t.Fatal("Compile gave a Program without weights")
	}
	msg := err.Error()
	if !strings.Contains(msg, "(60 problems)") || !strings.HasSuffix(msg, "\n\t... and 40 more") {
		t.Errorf("error does not count 60 problems and end with 40 more:\n%v", err)
	}
	if n := strings.Count(msg, "\n"); n != 21 {
		t.Errorf("error has %d lines, want a headline, 20 problems and a count:\n%v", n+1, err)
	}
}

func TestCompileRejectsInvalidGraphs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(g *Graph)
		want   string
	}{
		{"undefined value", func(g *Graph) { g.Ops[1].In[0] = 99 }, "uses a value before it is computed"},
		{"negative value", func(g *Graph) { g.Ops[1].In[0] = -1 }, "uses a value before it is computed"},
		{"used before computed", func(g *Graph) { g.Ops[0], g.Ops[1] = g.Ops[1], g.Ops[0] }, "uses a value before it is computed"},
		{"computed twice", func(g *Graph) { g.Ops[1].Out = g.Ops[0].Out }, "computes a value twice"},
		{"overwrites the input", func(g *Graph) { g.Ops[0].Out = g.Input }, "computes a value twice"},
		{"output never computed", func(g *Graph) { g.Output = ValueID(len(g.Values)); g.Values = append(g.Values, Value{Shape: []int{4}}) }, "never computes its output"},
		{"output out of range", func(g *Graph) { g.Output = 99 }, "out of range"},
		{"no inputs", func(g *Graph) { g.Ops[1].In = nil }, "0 inputs"},
		{"two inputs", func(g *Graph) { g.Ops[1].In = append(g.Ops[1].In, g.Input) }, "2 inputs"},
		{"conv of a vector", func(g *Graph) { g.Values[g.Input].Shape = []int{192} }, "needs [C, H, W] shapes"},
		{"conv window", func(g *Graph) { g.Ops[0].Window.PH = 0 }, "the window gives 6x8, the graph says 8x8"},
		{"batchnorm shape", func(g *Graph) { g.Values[g.Ops[1].Out].Shape = []int{8, 8, 7} }, "maps [8 8 8] to [8 8 7]"},
		{"flatten size", func(g *Graph) { g.Values[g.Ops[2].Out].Shape = []int{500} }, "reshapes [8 8 8] into [500]"},
		{"dense output", func(g *Graph) { g.Values[g.Output].Shape = []int{4, 1, 1} }, "dense output [4 1 1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, w := errorNet()
			tt.mutate(g)
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Compile panicked: %v", r)
				}
			}()
			_, err := Compile(g, w, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compile: %v, want an error saying %q", err, tt.want)
			}
		})
	}

	// Graphs built for the case, each with an op that does not fit. Before
	// validate checked them, the conv, batchnorm and adaptive ones made
	// Compile or Run panic, the pools' read past their planes.
	one := func(shape []int, op *Op, out []int, w Weights) func() (*Graph, Weights) {
		return func() (*Graph, Weights) {
			m := newNet(41, shape...)
			op.In = []ValueID{m.in()}
			return m.graph(m.op(op, out)), w
		}
	}
	shapes := []struct {
		name string
		g    func() (*Graph, Weights)
		want string
	}{
		{"conv groups", one([]int{6, 4, 4}, &Op{Kind: OpConv, Window: sq(3, 1, 1), Groups: 4, Weight: "w"}, []int{8, 4, 4},
			Weights{"w": make([]float32, 8*6/4*9)}), "bad convolution"},
		{"conv negative groups", one([]int{4, 4, 4}, &Op{Kind: OpConv, Window: sq(3, 1, 1), Groups: -1, Weight: "w"}, []int{4, 4, 4},
			Weights{"w": make([]float32, 4*4*9)}), "bad convolution"},
		{"conv window past the input", one([]int{4, 2, 2}, &Op{Kind: OpConv, Window: sq(3, 2, 0), Weight: "w"}, []int{4, 1, 1},
			Weights{"w": make([]float32, 4*4*9)}), "larger than the padded 2x2 input"},
		{"conv without weight", one([]int{4, 4, 4}, &Op{Kind: OpConv, Window: sq(3, 1, 1)}, []int{4, 4, 4}, nil), "bad convolution"},
		{"conv leaves nothing", one([]int{4, 4, 4}, &Op{Kind: OpConv, Window: sq(9, 1, 0), Weight: "w"}, []int{4, -4, -4},
			Weights{"w": make([]float32, 4*4*81)}), "a value of shape [4 -4 -4]"},
		{"dense without weight", one([]int{4}, &Op{Kind: OpDense}, []int{4}, nil), `weight ""`},
		{"batchnorm without parameters", one([]int{4, 4, 4}, &Op{Kind: OpBatchNorm}, []int{4, 4, 4}, nil), "needs a weight, bias, mean and variance"},
		{"adaptive fewer channels", one([]int{4, 4, 4}, &Op{Kind: OpAdaptiveAvg}, []int{2, 2, 2}, nil), "maps [4 4 4] to [2 2 2]"},
		{"adaptive more channels", one([]int{4, 4, 4}, &Op{Kind: OpAdaptiveAvg}, []int{8, 2, 2}, nil), "maps [4 4 4] to [8 2 2]"},
		{"maxpool output too large", one([]int{4, 4, 4}, &Op{Kind: OpMaxPool, Window: sq(2, 2, 0)}, []int{4, 9, 9}, nil),
			"the window gives 2x2, the graph says 9x9"},
		{"avgpool output without ceil", one([]int{4, 14, 14}, &Op{Kind: OpAvgPool, Window: sq(3, 2, 0)}, []int{4, 7, 7}, nil),
			"the window gives 6x6, the graph says 7x7"},
		{"maxpool padding", one([]int{4, 4, 4}, &Op{Kind: OpMaxPool, Window: sq(3, 1, 2)}, []int{4, 6, 6}, nil), "bad window"},
		{"pool channels", one([]int{4, 4, 4}, &Op{Kind: OpMaxPool, Window: sq(2, 2, 0)}, []int{5, 2, 2}, nil), "bad window"},
		{"pool zero stride", one([]int{4, 4, 4}, &Op{Kind: OpAvgPool, Window: Window{KH: 2, KW: 2}}, []int{4, 2, 2}, nil), "bad window"},
		{"unknown op", one([]int{4}, &Op{Kind: numOpKinds}, []int{4}, nil), "unknown op kind 13"},
		{"negative op", one([]int{4}, &Op{Kind: -1}, []int{4}, nil), "unknown op kind -1"},
		{"unknown activation", one([]int{4}, &Op{Kind: OpAct, Act: act.Func{Kind: act.NumKinds}}, []int{4}, nil), "unknown activation 15"},
		{"unknown fused activation", one([]int{4}, &Op{Kind: OpDense, Weight: "w", Act: act.Func{Kind: act.NumKinds}}, []int{4},
			Weights{"w": make([]float32, 16)}), "unknown activation 15"},
		{"hardtanh bounds", one([]int{4}, &Op{Kind: OpAct, Act: act.Func{Kind: act.HardTanh, A: 1, B: -1}}, []int{4}, nil), "lower bound 1 must be below"},
		{"prelu slopes", one([]int{4, 2, 2}, &Op{Kind: OpPReLU, Weight: "w", Groups: 3}, []int{4, 2, 2},
			Weights{"w": make([]float32, 3)}), "3 slopes for 4 channels"},
		{"add shapes", func() (*Graph, Weights) {
			m := newNet(42, 4, 4, 4)
			a := m.pool(OpMaxPool, m.in(), sq(2, 2, 0))
			return m.graph(m.op(&Op{Kind: OpAdd, In: []ValueID{a, m.in()}}, m.shape(a))), nil
		}, "adds [4 2 2] and [4 4 4]"},
		{"concat channels", func() (*Graph, Weights) {
			m := newNet(43, 4, 4, 4)
			return m.graph(m.op(&Op{Kind: OpConcat, In: []ValueID{m.in(), m.in()}}, []int{7, 4, 4})), nil
		}, "joins 8 channels into [7 4 4]"},
		{"concat maps", func() (*Graph, Weights) {
			m := newNet(44, 4, 4, 4)
			a := m.pool(OpMaxPool, m.in(), sq(2, 2, 0))
			return m.graph(m.op(&Op{Kind: OpConcat, In: []ValueID{m.in(), a}}, []int{8, 4, 4})), nil
		}, "joins [4 2 2] into [8 4 4]"},
	}
	for _, tt := range shapes {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Compile panicked: %v", r)
				}
			}()
			g, w := tt.g()
			_, err := Compile(g, w, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compile: %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	g, w := errorNet()
	p, err := Compile(g, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	in, out := p.InputSize(), p.OutputSize()
	if in != 3*8*8 || out != 4 {
		t.Fatalf("InputSize, OutputSize = %d, %d, want 192, 4", in, out)
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name        string
		dst, src, n int
		want        string
	}{
		{"short src", 2 * out, 2*in - 1, 2, "2 samples need 384 input and 8 output values, have 383 and 8"},
		{"long src", 2 * out, 3 * in, 2, "have 576 and 8"},
		{"correct", out, in, 1, ""}, // a control for the others
		{"short dst", out - 1, in, 1, "have 192 and 3"},
		{"wrong dst", 2*out + 1, 2 * in, 2, "have 384 and 9"},
		{"zero batch", 0, 0, 0, "batch size 0"},
		{"negative batch", 0, 0, -1, "batch size -1"},
	} {
		err := p.Run(ctx, make([]float32, tt.dst), make([]float32, tt.src), tt.n)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: Run: %v", tt.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Run: %v, want an error saying %q", tt.name, err, tt.want)
		}
	}
	// A cancelled context stops a Run op by op (batch 1) and a batch split
	// among the workers (batch 2) before it starts.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, n := range []int{1, 2} {
		err = p.Run(cancelled, make([]float32, n*out), make([]float32, n*in), n)
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped before conv1") {
			t.Errorf("batch %d: Run with a cancelled context: %v", n, err)
		}
	}
}
