package cnnc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"

	"gorgonia.org/tensor"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/internal/lower"
	"github.com/cnnc/cnnc/runtime"
)

// ErrNoWeights is returned by Forward and Run before weights are loaded.
var ErrNoWeights = errors.New("the model has no weights; load them with LoadWeights")

// executable holds what running a model needs: its graph, compiled with
// weights once they are loaded.
type executable struct {
	mu    sync.RWMutex
	graph *runtime.Graph
	prog  *runtime.Program
}

func newExecutable(m *compiler.Model) (*executable, error) {
	g, err := lower.Lower(m)
	if err != nil {
		return nil, err
	}
	return &executable{graph: g}, nil
}

func (e *executable) program() *runtime.Program {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.prog
}

// SetWeights compiles the model with the given tensors, named and shaped as
// Params lists them (BatchNorm's num_batches_tracked is not needed). The
// model keeps no reference to w or its tensors.
func (m *Model) SetWeights(w map[string][]float32) error {
	if err := m.checkWeightShapes(w); err != nil {
		return err
	}
	own := make(runtime.Weights, len(m.Params))
	for _, p := range m.Params {
		own[p.Name] = slices.Clone(w[p.Name])
	}
	return m.setWeights(own)
}

// setWeights compiles the model with tensors it may take over: the runtime
// folds into them and lets each go once packed (runtime.Compile).
func (m *Model) setWeights(w runtime.Weights) error {
	prog, err := runtime.Compile(m.exec.graph, w, nil)
	if err != nil {
		return err
	}
	m.exec.mu.Lock()
	old := m.exec.prog
	m.exec.prog = prog
	m.exec.mu.Unlock()
	if old != nil {
		old.Release() // its arenas, at once, rather than when collected
	}
	return nil
}

func (m *Model) checkWeightShapes(w map[string][]float32) error {
	var problems []string
	for _, p := range m.Params {
		t, ok := w[p.Name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: missing (model wants %v)", p.Name, []int64(p.Shape)))
		case int64(len(t)) != p.Shape.Numel():
			problems = append(problems, fmt.Sprintf("%s: %d values, model wants %v = %d", p.Name, len(t), []int64(p.Shape), p.Shape.Numel()))
		}
	}
	if len(problems) > 0 {
		return &WeightsError{Problems: problems}
	}
	return nil
}

// Forward runs the model on a batch: x is a float32 tensor of shape
// [N, C, H, W] (or [C, H, W] for one sample) matching the model's input;
// the result has shape [N, ...] of the model's output. It is safe to call
// from many goroutines at once.
func (m *Model) Forward(ctx context.Context, x *tensor.Dense) (*tensor.Dense, error) {
	if x == nil {
		return nil, fmt.Errorf("model %s: nil input", m.Name)
	}
	data, ok := x.Data().([]float32)
	if !ok || x.Dtype() != tensor.Float32 {
		return nil, fmt.Errorf("model %s: input is %v, want float32", m.Name, x.Dtype())
	}
	n, err := m.batchOf(x.Shape())
	if err != nil {
		return nil, err
	}
	if !x.IsNativelyAccessible() || !x.DataOrder().IsRowMajor() || x.RequiresIterator() {
		x = x.Clone().(*tensor.Dense)
		data = x.Data().([]float32)
	}
	out := make([]float32, n*int(m.Output.Numel()))
	if err := m.Run(ctx, out, data, n); err != nil {
		return nil, err
	}
	shape := append([]int{n}, ints(m.Output)...)
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(out)), nil
}

// batchOf checks a tensor shape against the model's input and returns N.
func (m *Model) batchOf(shape tensor.Shape) (int, error) {
	want := ints(m.Input)
	got := []int(shape)
	if len(got) == len(want) {
		got = append([]int{1}, got...)
	}
	if len(got) != len(want)+1 {
		return 0, fmt.Errorf("model %s takes [N, %s], have a tensor of shape %v", m.Name, dimsList(want), []int(shape))
	}
	for i, d := range want {
		if got[i+1] != d {
			what := []string{"channels", "height", "width"}[min(i, 2)]
			return 0, fmt.Errorf("model %s takes [N, %s], have %v: %d %s, want %d", m.Name, dimsList(want), []int(shape), got[i+1], what, d)
		}
	}
	if got[0] < 1 {
		return 0, fmt.Errorf("model %s: empty batch", m.Name)
	}
	return got[0], nil
}

// Run is Forward on raw memory: src holds n samples laid out one after
// another as the model's input shape, dst receives n outputs. In steady
// state it allocates nothing. Inputs holding NaN or infinity are refused;
// an output that holds one names the first layer that produced it.
func (m *Model) Run(ctx context.Context, dst, src []float32, n int) error {
	prog := m.exec.program()
	if prog == nil {
		return fmt.Errorf("model %s: %w", m.Name, ErrNoWeights)
	}
	if n < 1 || len(src) != n*int(m.Input.Numel()) || len(dst) != n*int(m.Output.Numel()) {
		return fmt.Errorf("model %s: %d samples need %d input and %d output values, have %d and %d",
			m.Name, n, n*int(m.Input.Numel()), n*int(m.Output.Numel()), len(src), len(dst))
	}
	if i := firstNonFinite(src); i >= 0 {
		per := int(m.Input.Numel())
		return fmt.Errorf("model %s: input sample %d holds %v at element %d", m.Name, i/per, src[i], i%per)
	}
	if err := prog.Run(ctx, dst, src, n); err != nil {
		return fmt.Errorf("model %s: %w", m.Name, err)
	}
	if i := firstNonFinite(dst); i >= 0 {
		where, err := prog.FirstNonFinite(ctx, src, n)
		if err != nil || where == "" {
			where = "an unknown layer"
		}
		return fmt.Errorf("model %s: the output holds %v; the first layer to produce one is %s", m.Name, dst[i], where)
	}
	return nil
}

func firstNonFinite(x []float32) int {
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return i
		}
	}
	return -1
}

func ints(s compiler.Shape) []int {
	out := make([]int, len(s))
	for i, d := range s {
		out[i] = int(d)
	}
	return out
}

func dimsList(d []int) string {
	s := ""
	for i, x := range d {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprint(x)
	}
	return s
}
