package runtime

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cnnc/cnnc/internal/hugepage"
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
}

// A cop is a compiled op: the op as fusion left it, and its kernel.
type cop struct {
	op       *Op
	in       []ValueID
	out      ValueID
	act      Act
	slope    float32
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
	p := &Program{g: g, pool: pool, plans: map[int]*plan{}, instances: map[int][]*instance{}}
	ops := make([]*cop, len(g.Ops))
	for i, op := range g.Ops {
		ops[i] = &cop{op: op, in: append([]ValueID(nil), op.In...), out: op.Out, act: op.Act, slope: op.Slope, residual: -1}
	}
	ops = fuse(g, ops, w)
	ops = fuseSiblings(ops)
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
		ops[i].prepare(g, own[i])
		ops[i].release(own[i])
		own[i] = nil
	})
	p.ops = ops
	return p, nil
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
	want := map[OpKind]int{OpAdd: 2, OpConcat: -1}
	n, ok := want[op.Kind]
	if !ok {
		n = 1
	}
	if n > 0 && len(op.In) != n || n < 0 && len(op.In) == 0 {
		return fmt.Errorf("%d inputs", len(op.In))
	}
	if op.Kind > OpReshape || op.Act > ActLeakyReLU || op.Act < ActNone {
		return fmt.Errorf("unknown op %v or activation %d", op.Kind, op.Act)
	}
	if (op.Kind == OpConv || op.Kind == OpDense) && !fusible(op.Act, op.Slope) {
		return fmt.Errorf("a leaky ReLU of slope %g cannot run in the layer's store (its slope is %g)", op.Slope, leakyKernelSlope)
	}
	in, out := g.Values[op.In[0]].Shape, g.Values[op.Out].Shape
	switch op.Kind {
	case OpConv, OpMaxPool, OpAvgPool, OpAdaptiveAvg:
		if len(in) != 3 || len(out) != 3 {
			return fmt.Errorf("needs [C, H, W] shapes, have %v -> %v", in, out)
		}
		w := op.Window
		switch op.Kind {
		case OpConv:
			gr := max(op.Groups, 1)
			if op.Weight == "" || w.KH < 1 || w.KW < 1 || min(w.SH, w.SW, w.PH, w.PW, w.DH, w.DW, op.Groups) < 0 ||
				in[0]%gr != 0 || out[0]%gr != 0 {
				return fmt.Errorf("bad convolution (window %+v, groups %d, weight %q) for %v -> %v", w, op.Groups, op.Weight, in, out)
			}
			if in[1]+2*w.PH < max(w.DH, 1)*(w.KH-1)+1 || in[2]+2*w.PW < max(w.DW, 1)*(w.KW-1)+1 {
				return fmt.Errorf("the %dx%d window is larger than the padded %dx%d input", w.KH, w.KW, in[1]+2*w.PH, in[2]+2*w.PW)
			}
			if p := convParams(op, in, out[0]); p.OutH() != out[1] || p.OutW() != out[2] {
				return fmt.Errorf("the window gives %dx%d, the graph says %dx%d", p.OutH(), p.OutW(), out[1], out[2])
			}
			return nil
		case OpAdaptiveAvg:
			if out[0] != in[0] {
				return fmt.Errorf("maps %v to %v", in, out)
			}
			return nil
		}
		if w.KH < 1 || w.KW < 1 || w.SH < 1 || w.SW < 1 || w.PH < 0 || w.PW < 0 || 2*w.PH > w.KH || 2*w.PW > w.KW || out[0] != in[0] {
			return fmt.Errorf("bad window %+v for %v -> %v", w, in, out)
		}
		if oh, ow := kernel.WindowOut(in[1], w.KH, w.SH, w.PH, 1, w.Ceil), kernel.WindowOut(in[2], w.KW, w.SW, w.PW, 1, w.Ceil); oh != out[1] || ow != out[2] {
			return fmt.Errorf("the window gives %dx%d, the graph says %dx%d", oh, ow, out[1], out[2])
		}
	case OpDense:
		if len(out) != 1 || op.Weight == "" {
			return fmt.Errorf("dense output %v, weight %q", out, op.Weight)
		}
	case OpBatchNorm:
		if op.Weight == "" || op.Bias == "" || op.Mean == "" || op.Var == "" {
			return fmt.Errorf("needs a weight, bias, mean and variance, has %q, %q, %q, %q", op.Weight, op.Bias, op.Mean, op.Var)
		}
		if !slices.Equal(in, out) {
			return fmt.Errorf("maps %v to %v", in, out)
		}
	case OpAdd:
		if !slices.Equal(g.Values[op.In[1]].Shape, in) || !slices.Equal(out, in) {
			return fmt.Errorf("adds %v and %v into %v", in, g.Values[op.In[1]].Shape, out)
		}
	case OpConcat:
		c := 0
		for _, v := range op.In {
			s := g.Values[v].Shape
			if len(s) != len(out) || len(s) == 3 && (s[1] != out[1] || s[2] != out[2]) {
				return fmt.Errorf("joins %v into %v", s, out)
			}
			c += s[0]
		}
		if c != out[0] {
			return fmt.Errorf("joins %d channels into %v", c, out)
		}
	case OpReshape:
		if g.Values[op.In[0]].Numel() != g.Values[op.Out].Numel() {
			return fmt.Errorf("reshapes %v into %v", in, out)
		}
	default:
		if !slices.Equal(in, out) {
			return fmt.Errorf("maps %v to %v", in, out)
		}
	}
	return nil
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
		in, out := g.Values[op.In[0]].Shape, g.Values[op.Out].Shape
		switch op.Kind {
		case OpConv:
			groups := max(op.Groups, 1)
			need(op, op.Weight, out[0]*in[0]/groups*op.Window.KH*op.Window.KW)
			need(op, op.Bias, out[0])
		case OpDense:
			need(op, op.Weight, out[0]*g.Values[op.In[0]].Numel())
			need(op, op.Bias, out[0])
		case OpBatchNorm:
			for _, n := range []string{op.Weight, op.Bias, op.Mean, op.Var} {
				need(op, n, in[0])
			}
		}
	}
	if len(problems) == 0 {
		return nil
	}
	sort.Strings(problems)
	return fmt.Errorf("runtime: the weights do not fit the model:\n\t%s", strings.Join(problems, "\n\t"))
}

// convParams is the kernel's description of a convolution of op from a map
// of shape in to cout channels.
func convParams(op *Op, in []int, cout int) kernel.ConvParams {
	win := op.Window
	return kernel.ConvParams{C: in[0], H: in[1], W: in[2], Cout: cout, KH: win.KH, KW: win.KW,
		SH: win.SH, SW: win.SW, PH: win.PH, PW: win.PW, DH: win.DH, DW: win.DW, Groups: max(op.Groups, 1)}
}

// prepare builds the op's kernel from its (possibly folded) weights;
// validate and checkWeights have made sure it can.
func (c *cop) prepare(g *Graph, w Weights) {
	in, out := g.Values[c.in[0]].Shape, g.Values[c.out].Shape
	switch c.op.Kind {
	case OpConv:
		weight, bias := c.foldedParams(w, out[0])
		cout := out[0]
		if len(c.siblings) > 0 {
			weight, bias, cout = c.siblingParams(g, w, weight, bias, cout)
		}
		c.conv = kernel.NewConv(convParams(c.op, in, cout), weight, bias)
	case OpDense:
		weight, bias := c.foldedParams(w, out[0])
		c.dense = kernel.NewDense(g.Values[c.in[0]].Numel(), out[0], weight, bias)
	case OpBatchNorm:
		c.scale, c.shift = bnAffine(w, c.op, in[0])
	}
}

// release gives back the memory of the convolution weights the op's
// kernel has packed (NewConv keeps none): the collector would take them
// only after many more have been read and packed, and in a heap of
// buffers of every size it rarely reuses their memory for the packed
// forms, so the model was held about twice at the peak of loading.
func (c *cop) release(w Weights) {
	if c.op.Kind != OpConv {
		return
	}
	for _, o := range append([]*cop{c}, c.siblings...) {
		hugepage.ReleaseFloat32s(w[o.op.Weight])
	}
}

// foldedParams returns the weight and bias of a convolution or dense layer
// with any BatchNorm fused into it folded in: per output channel o,
// w' = w * s and b' = (b - mean) * s + beta, with s = gamma / sqrt(var + eps).
func (c *cop) foldedParams(w Weights, cout int) ([]float32, []float32) {
	weight := w[c.op.Weight]
	var bias []float32
	if c.op.Bias != "" {
		bias = w[c.op.Bias]
	}
	if c.scale == nil {
		return weight, bias
	}
	if bias == nil {
		bias = make([]float32, cout)
	}
	per := len(weight) / cout
	for o := range cout {
		s := c.scale[o]
		for i := o * per; i < (o+1)*per; i++ {
			weight[i] *= s
		}
		bias[o] = bias[o]*s + c.shift[o]
	}
	c.scale, c.shift = nil, nil
	return weight, bias
}

// bnAffine turns BatchNorm's four tensors into a per-channel scale and shift,
// computed in float64 as PyTorch's inference kernel does in effect.
func bnAffine(w Weights, op *Op, ch int) ([]float32, []float32) {
	scale, shift := make([]float32, ch), make([]float32, ch)
	gamma, beta, mean, vr := w[op.Weight], w[op.Bias], w[op.Mean], w[op.Var]
	for i := range ch {
		s := float64(gamma[i]) / math.Sqrt(float64(vr[i])+float64(op.Eps))
		scale[i] = float32(s)
		shift[i] = float32(float64(beta[i]) - float64(mean[i])*s)
	}
	return scale, shift
}
