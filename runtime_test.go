package cnnc_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gorgonia.org/tensor"

	"github.com/cnnc/cnnc"
)

// runtimeCases are small models that exercise each op, each fusion and
// each memory-planning rule of the runtime.
var runtimeCases = map[string]string{
	"conv-bn-relu":    `model m (input 3x9x11) < conv 8 k3 p1 nobias; batchnorm; relu; conv 5 k1x3 s2 p=(0, 1); relu >`,
	"grouped-dilated": `model m (input 8x13x13) < conv 8 k3 g4 d2 p2; leakyrelu 0.2; conv 8 k3 g8; tanh; conv 4 k5 s3 >`,
	"pools": `model m (input 3x17x15) <
  maxpool k3 s2 p1 ceil; avgpool k3 s2 p1 ceil; avgpool k2; conv 4 k1 >`,
	"adaptive": `model m (input 2x7x5) < adaptiveavgpool 3x4; conv 3 k1; adaptiveavgpool 6x9; globalavgpool; flatten; dense 4; softmax >`,
	"concat": `model m (input 4x8x8) <
  concat < conv 3 k1; relu | maxpool k3 s1 p1 | < conv 2 k3 p1; batchnorm > | identity >
  batchnorm; sigmoid
  concat < conv 2 k1 | conv 2 k1; relu >
>`,
	"residual": `model m (input 4x10x10) <
  residual < conv 4 k3 p1 nobias; batchnorm; relu; conv 4 k3 p1 nobias; batchnorm > then relu
  residual < conv 8 k3 s2 p1; relu; conv 8 k3 p1 > shortcut < conv 8 k1 s2 nobias; batchnorm > then relu
  residual < batchnorm; relu > then leakyrelu
  residual < conv 8 k1 > shortcut? < conv 8 k1 >
>`,
	"dense": `model m (input 2x4x4) < flatten; dense 7; batchnorm; relu; dropout 0.3; dense 5 nobias; tanh; dense 3; softmax >`,
	// AlexNet's second convolution: a deep im2col (K = 96*5*5) over a small map.
	"deep-k":          `model m (input 96x27x27) < conv 8 k5 p2; relu; conv 4 k3 s2 >`,
	"bn-after-concat": `model m (input 3x6x6) < concat < conv 2 k1 | conv 3 k3 p1 >; batchnorm; relu; concat < identity | relu > >`,
}

func compileRandom(t testing.TB, src string, seed uint64) (*cnnc.Model, map[string][]float32) {
	t.Helper()
	m, err := cnnc.Compile("m.cnn", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	w := map[string][]float32{}
	for _, p := range m.Params {
		v := make([]float32, p.Shape.Numel())
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 0.5)
			if p.Buffer && p.Name[len(p.Name)-3:] == "var" {
				v[i] = float32(0.5 + rng.Float64())
			}
		}
		w[p.Name] = v
	}
	if err := m.SetWeights(w); err != nil {
		t.Fatal(err)
	}
	return m, w
}

func randomInput(n int, size int64, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 11))
	x := make([]float32, n*int(size))
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestRuntimeAgainstReference runs each case at batch 1, 2 and 3 and
// compares every output with the plain float64 interpreter.
func TestRuntimeAgainstReference(t *testing.T) {
	for name, src := range runtimeCases {
		t.Run(name, func(t *testing.T) {
			m, w := compileRandom(t, src, 1)
			for _, n := range []int{1, 2, 3} {
				x := randomInput(n, m.Input.Numel(), uint64(n))
				got := make([]float32, n*int(m.Output.Numel()))
				if err := m.Run(context.Background(), got, x, n); err != nil {
					t.Fatal(err)
				}
				per := int(m.Output.Numel())
				for s := range n {
					want := reference(m.Model, w, x[s*int(m.Input.Numel()):(s+1)*int(m.Input.Numel())])
					if err := within(got[s*per:(s+1)*per], want); err != nil {
						t.Fatalf("batch %d, sample %d: %v", n, s, err)
					}
				}
			}
		})
	}
}

// within checks got against want within 1e-4 of want's largest magnitude.
func within(got []float32, want []float64) error {
	scale := 1e-30
	for _, v := range want {
		scale = math.Max(scale, math.Abs(v))
	}
	for i := range want {
		if d := math.Abs(float64(got[i]) - want[i]); d > 1e-4*scale || math.IsNaN(float64(got[i])) {
			return fmt.Errorf("element %d is %g, want %g (max |want| %g)", i, got[i], want[i], scale)
		}
	}
	return nil
}

// TestForwardConcurrent runs Forward and Run from many goroutines at once
// (CI runs it with -race) and requires each result to equal the serial one, bit for bit.
func TestForwardConcurrent(t *testing.T) {
	m, _ := compileRandom(t, runtimeCases["residual"], 3)
	const workers, rounds = 8, 5
	inputs := make([][]float32, workers)
	serial := make([][]float32, workers)
	for i := range inputs {
		n := 1 + i%3
		inputs[i] = randomInput(n, m.Input.Numel(), uint64(100+i))
		serial[i] = make([]float32, n*int(m.Output.Numel()))
		if err := m.Run(context.Background(), serial[i], inputs[i], n); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 1 + i%3
			for range rounds {
				// Half the workers go through Forward's tensors, half
				// through Run's slices.
				got := make([]float32, len(serial[i]))
				if i%2 == 0 {
					shape := []int{n}
					for _, d := range m.Input {
						shape = append(shape, int(d))
					}
					x := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(inputs[i]))
					y, err := m.Forward(context.Background(), x)
					if err != nil {
						errs <- err
						return
					}
					got = y.Data().([]float32)
				} else if err := m.Run(context.Background(), got, inputs[i], n); err != nil {
					errs <- err
					return
				}
				for j := range got {
					if got[j] != serial[i][j] {
						errs <- fmt.Errorf("worker %d: element %d is %g, serially %g", i, j, got[j], serial[i][j])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestRunAllocs requires a steady-state Run to allocate nothing.
func TestRunAllocs(t *testing.T) {
	m, _ := compileRandom(t, runtimeCases["concat"], 5)
	for _, n := range []int{1, 4} {
		x := randomInput(n, m.Input.Numel(), 9)
		out := make([]float32, n*int(m.Output.Numel()))
		allocs := testing.AllocsPerRun(20, func() {
			if err := m.Run(context.Background(), out, x, n); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("batch %d: %v allocations per Run", n, allocs)
		}
	}
}

// TestForwardErrors checks Forward's answers to bad input: a message that
// names the model and the problem, never a panic.
func TestForwardErrors(t *testing.T) {
	m, _ := compileRandom(t, `model m (input 3x8x8) < conv 2 k3; flatten; dense 4 >`, 1)
	nan := tensor.New(tensor.WithShape(1, 3, 8, 8), tensor.WithBacking(randomInput(1, 192, 1)))
	nan.Data().([]float32)[5] = float32(math.NaN())
	unloaded, _ := cnnc.Compile("m.cnn", []byte(`model m (input 3x8x8) < relu >`))
	for _, c := range []struct {
		m    *cnnc.Model
		x    *tensor.Dense
		want string
	}{
		{m, tensor.New(tensor.WithShape(1, 1, 8, 8), tensor.WithBacking(make([]float32, 64))), "model m takes [N, 3, 8, 8], have [1 1 8 8]: 1 channels, want 3"},
		{m, tensor.New(tensor.WithShape(2, 96), tensor.WithBacking(make([]float32, 192))), "model m takes [N, 3, 8, 8], have a tensor of shape [2 96]"},
		{m, tensor.New(tensor.WithShape(1, 3, 8, 8), tensor.WithBacking(make([]float64, 192))), "input is float64, want float32"},
		{m, nan, "input sample 0 holds NaN at element 5"},
		{m, nil, "nil input"},
		{unloaded, tensor.New(tensor.WithShape(3, 8, 8), tensor.WithBacking(make([]float32, 192))), "no weights"},
	} {
		_, err := c.m.Forward(context.Background(), c.x)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Forward: %v, want an error containing %q", err, c.want)
		}
	}
	y, err := m.Forward(context.Background(), tensor.New(tensor.WithShape(3, 8, 8), tensor.WithBacking(make([]float32, 192))))
	if err != nil || fmt.Sprint(y.Shape()) != "(1, 4)" {
		t.Errorf("one sample without a batch: %v, %v", y, err)
	}
}

// TestNonFiniteOutput names the layer that first produced an infinity.
func TestNonFiniteOutput(t *testing.T) {
	m, w := compileRandom(t, `model m (input 1x4x4) < c1: conv 2 k1; flatten; f: dense 2 >`, 1)
	w["c1.weight"][0] = 3e38
	if err := m.SetWeights(w); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 16)
	for i := range x {
		x[i] = 10
	}
	err := m.Run(context.Background(), make([]float32, 2), x, 1)
	if err == nil || !strings.Contains(err.Error(), "the first layer to produce one is c1 (m.cnn:1:25)") {
		t.Errorf("got %v", err)
	}
}

// cancelAfter is a context that is done from its calls-th call to Err on,
// so a test can cancel in the middle of a run without timing. The groups
// of a split batch call Err at once.
type cancelAfter struct {
	context.Context
	calls atomic.Int32
}

func newCancelAfter(calls int32) *cancelAfter {
	c := &cancelAfter{Context: context.Background()}
	c.calls.Store(calls)
	return c
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(-1) <= 0 {
		return context.Canceled
	}
	return nil
}

// TestCancelMidway cancels a batch while it runs: Run stops before the next
// layer and names it. A batch of 3 runs each op on both workers, checking
// before each: the third check, before c3, finds the context done. A
// batch of 8 splits into two groups of 4, each checking before each op:
// after the check before the whole, whichever group checks second before
// c1 finds it done, and that is the earliest layer not run.
func TestCancelMidway(t *testing.T) {
	m, err := cnnc.Compile("m.cnn", []byte("model m (input 3x64x64) <\n  c1: conv 64 k3 p1; relu\n  c2: conv 64 k3 p1; relu\n  c3: conv 64 k3 p1\n>"))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetWeights(m.RandomWeights(1)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n      int
		before string
	}{{3, "c3 (m.cnn:4:3)"}, {8, "c1 (m.cnn:2:3)"}} {
		err = m.Run(newCancelAfter(3), make([]float32, tc.n*int(m.Output.Numel())), randomInput(tc.n, m.Input.Numel(), 1), tc.n)
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped before "+tc.before) {
			t.Errorf("batch %d: got %v, want a stop before %s", tc.n, err, tc.before)
		}
	}
}

// TestCancel stops a batch between layers when the context is done.
func TestCancel(t *testing.T) {
	m, _ := compileRandom(t, runtimeCases["residual"], 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := m.Run(ctx, make([]float32, 8*int(m.Output.Numel())), randomInput(8, m.Input.Numel(), 1), 8)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
