package runtime

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/runtime/kernel"
)

// Weights maps state_dict names to tensors laid out as PyTorch lays them out.
type Weights map[string][]float32

// A Program is a graph compiled for execution: fused, with its weights
// prepared for the kernels. It is safe for concurrent use.
type Program struct {
	g    *Graph
	ops  []*cop // live ops after fusion, in execution order
	pool *kernel.Pool

	mu        sync.Mutex
	plans     map[int]*plan
	instances map[int][]*instance // idle, by batch size
	// The idle instances' bounds and bookkeeping (cache.go).
	retainLimit  int64
	retained     int64
	clock        uint64
	generation   uint64
	lastReleased *instance
}

// A cop is a compiled op: the op as fusion left it, and its kernel.
type cop struct {
	op       *Op
	in       []ValueID
	out      ValueID
	act      act.Func
	residual ValueID // a value added before act (fused OpAdd), or -1
	siblings []*cop  // convolutions merged into this one (fuseSiblings)
	bn       bool    // a BatchNorm is folded in
	conv     *kernel.Conv
	dense    *kernel.Dense
	scale    []float32 // unfolded batchnorm: x*scale + shift per channel
	shift    []float32
}

// Compile checks the graph and the weights and prepares the graph to run.
// Every problem with the weights (missing, wrong size) is reported.
//
// Compile takes w's tensors: it deletes them from w, folds BatchNorm into
// them in place and, once a convolution's kernel holds its weights, gives
// the pages under that tensor back to the system (what it held is lost),
// so that a large model's weights are not held twice while it compiles. A
// caller that needs its tensors afterwards passes copies.
func Compile(g *Graph, w Weights, pool *kernel.Pool) (*Program, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	if err := checkWeights(g, w); err != nil {
		return nil, err
	}
	if pool == nil {
		pool = SharedPool()
	}
	p := &Program{g: g, pool: pool, plans: map[int]*plan{}, instances: map[int][]*instance{}, retainLimit: DefaultRetainLimit}
	ops := fusedOps(g, w)
	// Each op takes its tensors out of w into a map of its own, so the ops
	// can be prepared in parallel (packing and Winograd transforms are
	// most of a large model's load time) and each op's tensors go as soon
	// as its kernel holds them.
	own := claim(ops, w)
	// The largest first: a packed form is at least as large as its tensor
	// (Winograd's four times), so the memory in use only grows as ops are
	// prepared, and its peak comes at the end, with the small ops in flight
	// beside everything packed, instead of two of the largest.
	order := make([]int, len(ops))
	size := make([]int, len(ops))
	for i := range order {
		order[i] = i
		for _, t := range own[i] {
			size[i] += len(t)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return size[order[a]] > size[order[b]] })
	pool.Run(len(ops), func(k int) {
		i := order[k]
		if prep := kinds[ops[i].op.Kind].prepare; prep != nil {
			prep(ops[i], g, own[i])
		}
		own[i] = nil
	})
	p.ops = ops
	return p, nil
}

// fusedOps is the graph's ops as fusion leaves them (fuse, then
// fuseSiblings); w gives BatchNorm's statistics to fold, and may be nil
// where only the ops' shapes matter (PlanArenaBytes).
func fusedOps(g *Graph, w Weights) []*cop {
	ops := make([]*cop, len(g.Ops))
	for i, op := range g.Ops {
		ops[i] = &cop{op: op, in: append([]ValueID(nil), op.In...), out: op.Out, act: op.Act, residual: -1}
	}
	return fuseSiblings(fuse(g, ops, w))
}

// claim moves each op's tensors (and its merged siblings') from w into a
// map of the op's own. A tensor that two ops name (tied weights in a
// hand-built graph) goes to the first and a copy to each other, since
// prepare folds in place.
func claim(ops []*cop, w Weights) []Weights {
	own := make([]Weights, len(ops))
	taken := Weights{}
	for i, c := range ops {
		own[i] = Weights{}
		for _, o := range append([]*cop{c}, c.siblings...) {
			for _, name := range []string{o.op.Weight, o.op.Bias, o.op.Mean, o.op.Var} {
				if t, ok := w[name]; ok {
					own[i][name], taken[name] = t, t
					delete(w, name)
				} else if t, ok := taken[name]; ok {
					own[i][name] = slices.Clone(t)
				}
			}
		}
	}
	return own
}

var (
	poolOnce sync.Once
	shared   *kernel.Pool
)

// SharedPool is the worker pool, one worker per CPU, that programs
// compiled without a pool of their own share.
func SharedPool() *kernel.Pool {
	poolOnce.Do(func() { shared = kernel.NewPool(0) })
	return shared
}

// validate checks that the graph is well formed: every value made once
// before it is used, shapes that agree with each op.
func (g *Graph) validate() error {
	made := make([]bool, len(g.Values))
	valid := func(v ValueID) bool { return v >= 0 && int(v) < len(g.Values) }
	if !valid(g.Input) || !valid(g.Output) {
		return fmt.Errorf("runtime: graph input or output out of range")
	}
	for _, v := range g.Values {
		if len(v.Shape) == 0 || slices.Min(v.Shape) < 1 {
			return fmt.Errorf("runtime: a value of shape %v", v.Shape)
		}
	}
	made[g.Input] = true
	for _, op := range g.Ops {
		for _, v := range op.In {
			if !valid(v) || !made[v] {
				return fmt.Errorf("runtime: %s uses a value before it is computed", op.Where())
			}
		}
		if !valid(op.Out) || made[op.Out] {
			return fmt.Errorf("runtime: %s computes a value twice", op.Where())
		}
		made[op.Out] = true
		if err := g.checkOp(op); err != nil {
			return fmt.Errorf("runtime: %s: %v", op.Where(), err)
		}
	}
	if !made[g.Output] {
		return fmt.Errorf("runtime: the graph never computes its output")
	}
	return nil
}

func (g *Graph) checkOp(op *Op) error {
	k, err := kindOf(op)
	if err != nil {
		return err
	}
	if k.inputs > 0 && len(op.In) != k.inputs || k.inputs < 0 && len(op.In) == 0 {
		return fmt.Errorf("%d inputs", len(op.In))
	}
	if op.Kind != OpAct {
		if err := op.Act.Valid(); err != nil {
			return err
		}
	}
	in, out := g.Values[op.In[0]].Shape, g.Values[op.Out].Shape
	if k.check == nil {
		return sameShape(g, op, in, out)
	}
	return k.check(g, op, in, out)
}

// checkWeights reports, in one error, every parameter the graph needs
// that w lacks or holds with the wrong number of elements.
func checkWeights(g *Graph, w Weights) error {
	var problems []string
	need := func(op *Op, name string, size int) {
		if name == "" {
			return
		}
		t, ok := w[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: missing (%s)", name, op.Where()))
		case len(t) != size:
			problems = append(problems, fmt.Sprintf("%s: %d values, %s needs %d", name, len(t), op.Where(), size))
		}
	}
	for _, op := range g.Ops {
		if w := kinds[op.Kind].weights; w != nil {
			in, out := g.Values[op.In[0]].Shape, g.Values[op.Out].Shape
			for _, t := range w(g, op, in, out) {
				need(op, t.name, t.size)
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	// The first few are enough to see what is wrong; a hostile graph or
	// file could have hundreds of thousands.
	const show = 20
	total, more := len(problems), ""
	if total > show {
		more = fmt.Sprintf("\n\t... and %d more", total-show)
		problems = problems[:show]
	}
	return fmt.Errorf("runtime: the weights do not fit the model (%d problems):\n\t%s%s", total, strings.Join(problems, "\n\t"), more)
}
