package runtime

// These tests check compiled Programs against refRun (reference_test.go), a
// plain float64 interpreter of the unfused graph, at batch sizes 1, 3 and
// 8, on small graphs with random weights that between them take every path
// of the runtime: BatchNorm folding, activations and residual sums in a
// convolution's store, merged sibling 1x1 convolutions, zero-copy
// concatenation and flatten, split and unsplit batches, and the kernels'
// im2col, 1x1, depthwise and Winograd convolutions (and on AVX-512 the
// direct and transposed ones). Each case also states what fusion must make
// of its graph, so that a fusion that silently stops happening fails too.
// Further tests run a Program again and from several goroutines at once;
// errors_test.go covers the errors of Compile and Run.

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/runtime/kernel"
)

// A net builds a test graph and its random weights.
type net struct {
	b   Builder
	w   Weights
	r   *rand.Rand
	seq int
}

func newNet(seed uint64, shape ...int) *net {
	m := &net{w: Weights{}, r: rand.New(rand.NewPCG(seed, 7))}
	m.b.G.Input = m.b.Value(shape)
	return m
}

func (m *net) in() ValueID              { return m.b.G.Input }
func (m *net) shape(v ValueID) []int    { return m.b.G.Values[v].Shape }
func (m *net) key(kind string) string   { m.seq++; return fmt.Sprintf("%s%d", kind, m.seq) }
func (m *net) graph(out ValueID) *Graph { m.b.G.Output = out; return &m.b.G }

// param adds a tensor of n values uniform in [lo, hi) and returns its name.
func (m *net) param(name string, n int, lo, hi float64) string {
	t := make([]float32, n)
	for i := range t {
		t[i] = float32(lo + (hi-lo)*m.r.Float64())
	}
	m.w[name] = t
	return name
}

func (m *net) op(op *Op, shape []int) ValueID {
	op.Out = m.b.Value(shape)
	op.Source = "test"
	m.b.Op(op)
	return op.Out
}

// sq is a square window of stride s and padding p.
func sq(k, s, p int) Window { return Window{KH: k, KW: k, SH: s, SW: s, PH: p, PW: p, DH: 1, DW: 1} }

// conv adds a convolution whose weights keep the variance of its input.
func (m *net) conv(x ValueID, cout int, win Window, groups int, bias bool) ValueID {
	s := m.shape(x)
	oh := windowOut(s[1], win.KH, max(win.SH, 1), win.PH, max(win.DH, 1), false)
	ow := windowOut(s[2], win.KW, max(win.SW, 1), win.PW, max(win.DW, 1), false)
	key := m.key("conv")
	fanIn := s[0] / max(groups, 1) * win.KH * win.KW
	a := math.Sqrt(3 / float64(fanIn))
	op := &Op{Kind: OpConv, In: []ValueID{x}, Window: win, Groups: groups, Name: key,
		Weight: m.param(key+".weight", cout*fanIn, -a, a)}
	if bias {
		op.Bias = m.param(key+".bias", cout, -0.5, 0.5)
	}
	return m.op(op, []int{cout, oh, ow})
}

func (m *net) dense(x ValueID, out int, bias bool) ValueID {
	f := m.b.G.Values[x].Numel()
	key := m.key("fc")
	a := math.Sqrt(3 / float64(f))
	op := &Op{Kind: OpDense, In: []ValueID{x}, Name: key, Weight: m.param(key+".weight", out*f, -a, a)}
	if bias {
		op.Bias = m.param(key+".bias", out, -0.5, 0.5)
	}
	return m.op(op, []int{out})
}

func (m *net) bn(x ValueID) ValueID {
	c, key := m.shape(x)[0], m.key("bn")
	return m.op(&Op{Kind: OpBatchNorm, In: []ValueID{x}, Eps: 1e-5, Name: key,
		Weight: m.param(key+".weight", c, 0.5, 1.5), Bias: m.param(key+".bias", c, -0.5, 0.5),
		Mean: m.param(key+".running_mean", c, -0.5, 0.5), Var: m.param(key+".running_var", c, 0.5, 2)}, m.shape(x))
}

func (m *net) act(x ValueID, f act.Func) ValueID {
	return m.op(&Op{Kind: OpAct, In: []ValueID{x}, Act: f}, m.shape(x))
}

func (m *net) relu(x ValueID) ValueID { return m.act(x, act.Default(act.ReLU)) }

// leaky is a leaky ReLU of slope a.
func leaky(a float64) act.Func { return act.Func{Kind: act.LeakyReLU, A: a} }

func (m *net) pool(kind OpKind, x ValueID, win Window) ValueID {
	s := m.shape(x)
	oh := windowOut(s[1], win.KH, win.SH, win.PH, 1, win.Ceil)
	ow := windowOut(s[2], win.KW, win.SW, win.PW, 1, win.Ceil)
	return m.op(&Op{Kind: kind, In: []ValueID{x}, Window: win}, []int{s[0], oh, ow})
}

func ceil(w Window) Window { w.Ceil = true; return w }

func (m *net) adaptive(x ValueID, oh, ow int) ValueID {
	return m.op(&Op{Kind: OpAdaptiveAvg, In: []ValueID{x}}, []int{m.shape(x)[0], oh, ow})
}

func (m *net) softmax(x ValueID) ValueID {
	return m.op(&Op{Kind: OpSoftmax, In: []ValueID{x}}, m.shape(x))
}

func (m *net) add(a, b ValueID) ValueID {
	return m.op(&Op{Kind: OpAdd, In: []ValueID{a, b}}, m.shape(a))
}

func (m *net) concat(vs ...ValueID) ValueID {
	shape := slices.Clone(m.shape(vs[0]))
	shape[0] = 0
	for _, v := range vs {
		shape[0] += m.shape(v)[0]
	}
	return m.op(&Op{Kind: OpConcat, In: vs}, shape)
}

func (m *net) flatten(x ValueID) ValueID {
	return m.op(&Op{Kind: OpReshape, In: []ValueID{x}}, []int{m.b.G.Values[x].Numel()})
}

// A testCase is a graph, what fusion must make of it (see summary), and
// whether its batches must split among the workers.
type testCase struct {
	name  string
	in    []int                // the input's shape
	out   func(m *net) ValueID // builds the graph
	ops   string
	split int // 0: either; splitYes, splitNo
}

// net starts the case's graph, with weights drawn from a seed of its name.
func (tc testCase) net() *net { return newNet(seed(tc.name), tc.in...) }

func seed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

const (
	splitYes = 1
	splitNo  = 2
)

// summary lists a program's ops after fusion as profiles name them (a
// folded batchnorm, a residual sum, the activation in the store), an
// activation op by its activation, and (n) for n merged siblings.
func summary(p *Program) string {
	var s []string
	for _, c := range p.ops {
		k := c.op.Kind.String() + c.fused()
		if c.op.Kind == OpAct {
			k = c.act.Info().Name
		}
		if len(c.siblings) > 0 {
			k += fmt.Sprintf("(%d)", len(c.siblings)+1)
		}
		s = append(s, k)
	}
	return strings.Join(s, " ")
}

func cases() []testCase {
	return []testCase{
		{name: "conv_bn_relu", in: []int{3, 16, 16}, out: func(m *net) ValueID {
			x := m.relu(m.bn(m.conv(m.in(), 8, sq(3, 1, 1), 1, true)))
			return m.relu(m.bn(m.conv(x, 8, sq(3, 1, 1), 1, false)))
		}, ops: "conv+bn+relu conv+bn+relu"},

		// Tied weights: the second convolution uses the first's tensors,
		// and the first folds a BatchNorm into them.
		{name: "tied_weights", in: []int{8, 10, 10}, out: func(m *net) ValueID {
			x := m.relu(m.bn(m.conv(m.in(), 8, sq(3, 1, 1), 1, true)))
			x = m.conv(x, 8, sq(3, 1, 1), 1, true)
			first, second := m.b.G.Ops[0], m.b.G.Ops[len(m.b.G.Ops)-1]
			delete(m.w, second.Weight)
			delete(m.w, second.Bias)
			second.Weight, second.Bias = first.Weight, first.Bias
			return x
		}, ops: "conv+bn+relu conv"},

		// A ResNet basic block at 64 channels on 14x14 (Winograd; a batch
		// of 8 splits among the workers, as convolutional networks' do),
		// as compiler.Lower builds it.
		{name: "resnet_basic_64", in: []int{64, 14, 14}, out: func(m *net) ValueID {
			x := m.relu(m.bn(m.conv(m.in(), 64, sq(3, 1, 1), 1, false)))
			x = m.bn(m.conv(x, 64, sq(3, 1, 1), 1, false))
			return m.relu(m.add(x, m.in()))
		}, ops: "conv+bn+relu conv+bn+add+relu", split: splitYes},

		// A classifier whose dense layer holds most of the weights, as
		// VGG-16's and AlexNet's do: large enough that its ops split among
		// the workers, never its batches.
		{name: "dense_heavy", in: []int{64, 14, 14}, out: func(m *net) ValueID {
			x := m.relu(m.conv(m.in(), 64, sq(3, 1, 1), 1, true))
			return m.relu(m.dense(m.flatten(x), 512, true))
		}, ops: "conv+relu reshape dense+relu", split: splitNo},

		{name: "resnet_two_blocks", in: []int{16, 8, 8}, out: func(m *net) ValueID {
			x := m.in()
			for range 2 {
				y := m.relu(m.bn(m.conv(x, 16, sq(3, 1, 1), 1, false)))
				y = m.bn(m.conv(y, 16, sq(3, 1, 1), 1, false))
				x = m.relu(m.add(y, x))
			}
			return x
		}, ops: "conv+bn+relu conv+bn+add+relu conv+bn+relu conv+bn+add+relu", split: splitYes},

		// A downsampling block: the 1x1 stride-2 projection comes first, as
		// Lower orders it, and the sum runs in the body's last convolution.
		{name: "resnet_projection", in: []int{16, 16, 16}, out: func(m *net) ValueID {
			sc := m.bn(m.conv(m.in(), 32, sq(1, 2, 0), 1, false))
			x := m.relu(m.bn(m.conv(m.in(), 32, sq(3, 2, 1), 1, false)))
			x = m.bn(m.conv(x, 32, sq(3, 1, 1), 1, false))
			return m.relu(m.add(x, sc))
		}, ops: "conv+bn conv+bn+relu conv+bn+add+relu"},

		// The projection written after the body: the sum runs in the
		// projection's store instead.
		{name: "resnet_projection_last", in: []int{16, 16, 16}, out: func(m *net) ValueID {
			x := m.relu(m.bn(m.conv(m.in(), 32, sq(3, 2, 1), 1, false)))
			x = m.bn(m.conv(x, 32, sq(3, 1, 1), 1, false))
			sc := m.bn(m.conv(m.in(), 32, sq(1, 2, 0), 1, false))
			return m.relu(m.add(x, sc))
		}, ops: "conv+bn+relu conv+bn conv+bn+add+relu"},

		// Sums that no convolution can take: of pools and activations, and
		// of a convolution that already has an activation.
		{name: "add_unfused", in: []int{4, 8, 8}, out: func(m *net) ValueID {
			a := m.pool(OpMaxPool, m.in(), sq(3, 1, 1))
			b := m.relu(m.in())
			x := m.add(m.add(a, b), m.in())
			y := m.relu(m.conv(x, 4, sq(3, 1, 1), 1, true))
			return m.add(y, x)
		}, ops: "maxpool relu add add conv+relu add"},

		// An Inception block: three 1x1 convolutions of the input (with
		// folded, own and no bias) merge into one; the pool branch's does not.
		{name: "inception", in: []int{32, 12, 12}, out: func(m *net) ValueID {
			b1 := m.relu(m.bn(m.conv(m.in(), 16, sq(1, 1, 0), 1, false)))
			b2 := m.relu(m.conv(m.in(), 12, sq(1, 1, 0), 1, true))
			b2 = m.relu(m.bn(m.conv(b2, 16, sq(3, 1, 1), 1, false)))
			b3 := m.relu(m.conv(m.in(), 8, sq(1, 1, 0), 1, false))
			b3 = m.relu(m.conv(b3, 8, sq(5, 1, 2), 1, true))
			b4 := m.pool(OpMaxPool, m.in(), sq(3, 1, 1))
			b4 = m.relu(m.bn(m.conv(b4, 8, sq(1, 1, 0), 1, false)))
			return m.concat(b1, b2, b3, b4)
		}, ops: "conv+bn+relu(3) conv+bn+relu conv+relu maxpool conv+bn+relu concat"},

		// Siblings merge only with the first's activation; one output
		// concatenated twice is copied, not computed in place.
		{name: "siblings_mixed", in: []int{16, 8, 8}, out: func(m *net) ValueID {
			a := m.relu(m.conv(m.in(), 8, sq(1, 1, 0), 1, true))
			b := m.conv(m.in(), 8, sq(1, 1, 0), 1, true)
			c := m.relu(m.conv(m.in(), 4, sq(1, 1, 0), 1, false))
			d := m.conv(m.in(), 4, sq(1, 1, 0), 1, false)
			e := m.conv(m.in(), 4, sq(1, 1, 0), 1, false)
			return m.concat(a, b, c, d, e, e)
		}, ops: "conv+relu(2) conv conv conv concat"},

		// 1x1 convolutions of one input that must not merge: one with a
		// residual sum, a strided, a padded and a grouped one.
		{name: "siblings_not", in: []int{8, 6, 6}, out: func(m *net) ValueID {
			a := m.conv(m.in(), 8, sq(1, 1, 0), 1, true)
			b := m.add(m.conv(m.in(), 8, sq(1, 1, 0), 1, true), a)
			c := m.conv(m.in(), 8, sq(1, 2, 0), 1, true)
			d := m.conv(m.in(), 8, sq(1, 1, 1), 1, true)
			e := m.conv(m.in(), 8, sq(1, 1, 0), 2, true)
			return m.concat(m.flatten(b), m.flatten(c), m.flatten(d), m.flatten(e))
		}, ops: "conv conv+add conv conv conv reshape reshape reshape reshape concat"},

		{name: "grouped", in: []int{8, 10, 10}, out: func(m *net) ValueID {
			return m.relu(m.conv(m.in(), 16, sq(3, 1, 1), 4, true))
		}, ops: "conv+relu"},

		// Depthwise (multiplier 1 and 2, stride 1 and 2) and pointwise.
		{name: "depthwise", in: []int{16, 12, 12}, out: func(m *net) ValueID {
			x := m.relu(m.bn(m.conv(m.in(), 16, sq(3, 1, 1), 16, false)))
			x = m.relu(m.conv(x, 32, sq(3, 2, 1), 16, true))
			return m.conv(x, 32, sq(1, 1, 0), 1, false)
		}, ops: "conv+bn+relu conv+relu conv"},

		{name: "dilated", in: []int{8, 15, 15}, out: func(m *net) ValueID {
			x := m.relu(m.conv(m.in(), 8, Window{KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 2, DH: 2, DW: 2}, 1, true))
			return m.conv(x, 8, Window{KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 3, DH: 2, DW: 3}, 1, true)
		}, ops: "conv+relu conv"},

		// Rectangular windows everywhere, so that H and W cannot be swapped.
		{name: "rectangular", in: []int{4, 11, 9}, out: func(m *net) ValueID {
			x := m.conv(m.in(), 6, Window{KH: 3, KW: 5, SH: 2, SW: 1, PH: 1, PW: 2, DH: 1, DW: 1}, 1, true)
			x = m.pool(OpMaxPool, x, Window{KH: 2, KW: 3, SH: 2, SW: 1, PW: 1})
			return m.pool(OpAvgPool, x, Window{KH: 1, KW: 3, SH: 1, SW: 2, PW: 1})
		}, ops: "conv maxpool avgpool"},

		// Zero strides, dilations and groups mean 1.
		{name: "zero_defaults", in: []int{4, 6, 6}, out: func(m *net) ValueID {
			return m.conv(m.in(), 4, Window{KH: 3, KW: 3, PH: 1, PW: 1}, 0, true)
		}, ops: "conv"},

		{name: "strided_5x5", in: []int{3, 27, 27}, out: func(m *net) ValueID {
			return m.relu(m.conv(m.in(), 16, sq(5, 2, 2), 1, true))
		}, ops: "conv+relu"},

		{name: "alexnet_stem", in: []int{3, 63, 63}, out: func(m *net) ValueID {
			x := m.relu(m.conv(m.in(), 16, sq(11, 4, 2), 1, true))
			return m.pool(OpMaxPool, x, sq(3, 2, 0))
		}, ops: "conv+relu maxpool"},

		// 256 channels on 7x7: the transposed GEMM at batch 1, im2col at 3,
		// Winograd in each group of 4 at 8.
		{name: "wide_256", in: []int{256, 7, 7}, out: func(m *net) ValueID {
			return m.relu(m.bn(m.conv(m.in(), 256, sq(3, 1, 1), 1, false)))
		}, ops: "conv+bn+relu", split: splitYes},

		// LeNet-5: the direct convolution, 2x2 average pooling, a classifier;
		// small enough that a batch splits among the workers.
		{name: "lenet", in: []int{1, 28, 28}, out: func(m *net) ValueID {
			x := m.relu(m.conv(m.in(), 6, sq(5, 1, 2), 1, true))
			x = m.pool(OpAvgPool, x, sq(2, 2, 0))
			x = m.relu(m.conv(x, 16, sq(5, 1, 0), 1, true))
			x = m.flatten(m.pool(OpAvgPool, x, sq(2, 2, 0)))
			x = m.relu(m.dense(x, 120, true))
			x = m.relu(m.dense(x, 84, true))
			return m.softmax(m.dense(x, 10, true))
		}, ops: "conv+relu avgpool conv+relu avgpool reshape dense+relu dense+relu dense softmax", split: splitYes},

		// 14 -> 7 only with ceil; 7 -> 4 where PyTorch drops a last window
		// that would start in the right padding; 3x3 stride 1 keeping the size.
		{name: "maxpool_ceil", in: []int{4, 14, 14}, out: func(m *net) ValueID {
			x := m.pool(OpMaxPool, m.in(), ceil(sq(3, 2, 0)))
			x = m.pool(OpMaxPool, x, ceil(sq(2, 2, 1)))
			return m.pool(OpMaxPool, x, sq(3, 1, 1))
		}, ops: "maxpool maxpool maxpool"},

		{name: "maxpool_resnet_stem", in: []int{8, 16, 16}, out: func(m *net) ValueID {
			return m.pool(OpMaxPool, m.in(), sq(3, 2, 1))
		}, ops: "maxpool"},

		// Padding counted in the average; a ceil-mode window past the
		// padding divides by its part inside it.
		{name: "avgpool_pad_ceil", in: []int{4, 12, 12}, out: func(m *net) ValueID {
			x := m.pool(OpAvgPool, m.in(), sq(3, 2, 1))    // 6
			x = m.pool(OpAvgPool, x, ceil(sq(3, 2, 1)))    // 4
			x = m.pool(OpAvgPool, x, ceil(sq(3, 2, 0)))    // 2
			return m.pool(OpAvgPool, x, ceil(sq(2, 2, 0))) // 1
		}, ops: "avgpool avgpool avgpool avgpool"},

		{name: "avgpool_ceil_nopad", in: []int{3, 7, 7}, out: func(m *net) ValueID {
			return m.pool(OpAvgPool, m.in(), ceil(sq(2, 2, 0)))
		}, ops: "avgpool"},

		{name: "adaptive_13", in: []int{8, 13, 13}, out: func(m *net) ValueID {
			return m.concat(m.flatten(m.adaptive(m.in(), 6, 6)), m.flatten(m.adaptive(m.in(), 1, 1)))
		}, ops: "adaptiveavgpool reshape adaptiveavgpool reshape concat"},

		{name: "adaptive_7", in: []int{8, 7, 7}, out: func(m *net) ValueID {
			return m.concat(m.flatten(m.adaptive(m.in(), 6, 6)), m.flatten(m.adaptive(m.in(), 1, 1)),
				m.flatten(m.adaptive(m.in(), 3, 5)))
		}, ops: "adaptiveavgpool reshape adaptiveavgpool reshape adaptiveavgpool reshape concat"},

		// torchvision's AlexNet: a 6x6 map pooled to 6x6, each window one
		// pixel (a copy).
		{name: "adaptive_same", in: []int{8, 6, 6}, out: func(m *net) ValueID {
			return m.concat(m.flatten(m.adaptive(m.in(), 6, 6)), m.flatten(m.adaptive(m.in(), 2, 3)))
		}, ops: "adaptiveavgpool reshape adaptiveavgpool reshape concat"},

		// A classifier with BatchNorm1d folded into dense layers with and
		// without a bias.
		{name: "classifier", in: []int{16, 4, 4}, out: func(m *net) ValueID {
			x := m.relu(m.bn(m.dense(m.flatten(m.in()), 64, true)))
			x = m.bn(m.dense(x, 32, false))
			return m.softmax(m.dense(x, 10, true))
		}, ops: "reshape dense+bn+relu dense+bn dense softmax"},

		{name: "dense_on_map", in: []int{4, 3, 3}, out: func(m *net) ValueID {
			return m.dense(m.in(), 5, false)
		}, ops: "dense"},

		{name: "activations", in: []int{6, 5, 5}, out: func(m *net) ValueID {
			in := m.in()
			return m.concat(m.act(in, act.Default(act.Sigmoid)), m.act(in, act.Default(act.Tanh)), m.act(in, leaky(0.2)),
				m.act(in, leaky(0.01)), m.relu(in), m.softmax(in))
		}, ops: "sigmoid tanh leakyrelu leakyrelu relu softmax concat"},

		// Activations in a convolution's store: clamps in its registers
		// (a leaky ReLU of any slope, relu6, hardtanh), the others on each
		// stored tile.
		{name: "conv_acts", in: []int{8, 10, 10}, out: func(m *net) ValueID {
			c := func() ValueID { return m.conv(m.in(), 4, sq(3, 1, 1), 1, true) }
			return m.concat(m.act(c(), act.Default(act.Sigmoid)), m.act(c(), act.Default(act.Tanh)), m.act(c(), leaky(0.01)),
				m.act(c(), leaky(0.2)), m.relu(c()), m.act(c(), act.Default(act.ReLU6)),
				m.act(c(), act.Func{Kind: act.HardTanh, A: -0.5, B: 2}), m.act(c(), act.Default(act.HardSwish)),
				m.act(c(), act.Default(act.GELU)), m.act(c(), act.Func{Kind: act.ELU, A: 0.7}))
		}, ops: "conv+sigmoid conv+tanh conv+leakyrelu conv+leakyrelu conv+relu conv+relu6 conv+hardtanh conv+hardswish conv+gelu conv+elu concat"},

		{name: "dense_acts", in: []int{20}, out: func(m *net) ValueID {
			x := m.act(m.dense(m.in(), 16, true), act.Default(act.Tanh))
			x = m.act(m.dense(x, 8, true), act.Default(act.Sigmoid))
			x = m.act(m.dense(x, 8, true), leaky(0.01))
			x = m.act(m.dense(x, 4, true), leaky(0.2))
			return m.softmax(x)
		}, ops: "dense+tanh dense+sigmoid dense+leakyrelu dense+leakyrelu softmax"},

		// BatchNorm with no layer to fold into: of the input, of a pool, of
		// a convolution whose output is used again.
		{name: "batchnorm_unfused", in: []int{6, 7, 7}, out: func(m *net) ValueID {
			x := m.pool(OpMaxPool, m.bn(m.in()), sq(3, 1, 1))
			y := m.conv(m.bn(x), 6, sq(3, 1, 1), 1, false)
			return m.add(m.bn(y), y)
		}, ops: "batchnorm maxpool batchnorm conv batchnorm add"},

		// Activations set on the graph's layers themselves.
		{name: "graph_acts", in: []int{4, 8, 8}, out: func(m *net) ValueID {
			x := m.conv(m.in(), 8, sq(3, 1, 1), 1, true)
			m.b.G.Ops[len(m.b.G.Ops)-1].Act = act.Default(act.ReLU)
			x = m.dense(m.bn(x), 6, true)
			m.b.G.Ops[len(m.b.G.Ops)-1].Act = act.Default(act.Tanh)
			return x
		}, ops: "conv+relu batchnorm dense+tanh"},

		{name: "dead_branch", in: []int{4, 6, 6}, out: func(m *net) ValueID {
			m.conv(m.in(), 4, sq(3, 1, 1), 1, true)
			return m.relu(m.in())
		}, ops: "conv relu"},

		{name: "identity", in: []int{2, 3, 3}, out: func(m *net) ValueID {
			return m.in()
		}, ops: ""},
	}
}

var batches = []int{1, 3, 8}

// randInput returns n images of size values.
func randInput(seed uint64, n, size int) []float32 {
	r := rand.New(rand.NewPCG(seed, 99))
	s := make([]float32, n*size)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// checkClose fails t unless max|got - want| <= 1e-4 * max(1, max|want|).
func checkClose(t *testing.T, what string, got []float32, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	scale, worst, at := 1.0, 0.0, -1
	for _, w := range want {
		scale = math.Max(scale, math.Abs(w))
	}
	for i := range got {
		d := math.Abs(float64(got[i]) - want[i])
		if d > worst || math.IsNaN(d) && !math.IsNaN(worst) {
			worst, at = d, i
		}
	}
	if !(worst <= 1e-4*scale) {
		t.Errorf("%s: max |diff| %.3g at [%d] (got %g, want %g), tolerance %.3g", what, worst, at, got[at], want[at], 1e-4*scale)
	}
}

// prepared is a compiled case with its input and reference output for
// the largest batch (a smaller batch is a prefix of both).
type prepared struct {
	p        *Program
	src      []float32
	want     []float64
	in, out  int // per-image sizes
	maxBatch int
}

// refCache keeps each case's reference output: the largest cases' take
// most of the tests' time, and several tests compare with them.
var refCache sync.Map // case name -> []float64

func prepare(t *testing.T, tc testCase, pool *kernel.Pool) prepared {
	t.Helper()
	m := tc.net()
	g := m.graph(tc.out(m))
	maxBatch := slices.Max(batches)
	in, out := g.Values[g.Input].Numel(), g.Values[g.Output].Numel()
	src := randInput(seed(tc.name), maxBatch, in)
	cached, ok := refCache.Load(tc.name)
	if !ok {
		cached, _ = refCache.LoadOrStore(tc.name, refRun(g, m.w, src, maxBatch))
	}
	want := cached.([]float64)
	p, err := Compile(g, m.w, pool) // the reference is done with m.w
	if err != nil {
		t.Fatal(err)
	}
	return prepared{p: p, src: src, want: want, in: in, out: out, maxBatch: maxBatch}
}

func (pr prepared) run(t *testing.T, n int) []float32 {
	t.Helper()
	dst := make([]float32, n*pr.out)
	if err := pr.p.Run(context.Background(), dst, pr.src[:n*pr.in], n); err != nil {
		t.Fatalf("batch %d: %v", n, err)
	}
	return dst
}

func TestMatchesReference(t *testing.T) {
	algos := map[string]bool{}
	ran := 0
	for _, tc := range cases() {
		t.Run(tc.name, func(t *testing.T) {
			ran++
			pr := prepare(t, tc, nil)
			p := pr.p
			if got := summary(p); got != tc.ops {
				t.Errorf("fused ops: %q, want %q", got, tc.ops)
			}
			switch split := p.parts(pr.maxBatch) > 1; {
			case tc.split == splitYes && !split && p.pool.Workers() > 1:
				t.Errorf("%d MACs per image: a batch of %d does not split", p.macsPerImage(), pr.maxBatch)
			case tc.split == splitNo && split:
				t.Errorf("%d MACs per image: a batch of %d splits", p.macsPerImage(), pr.maxBatch)
			}
			first := map[int][]float32{}
			for _, n := range batches {
				got := pr.run(t, n)
				checkClose(t, fmt.Sprintf("batch %d", n), got, pr.want[:n*pr.out])
				first[n] = got
				for _, c := range p.ops {
					if c.conv != nil {
						algos[c.conv.AlgorithmFor(n)] = true
					}
				}
			}
			// Again, in another order: the instances and plans kept from
			// the first runs must give the same bits.
			for _, n := range []int{3, 8, 1} {
				if got := pr.run(t, n); !slices.Equal(got, first[n]) {
					t.Errorf("batch %d: a second Run differs from the first", n)
				}
			}
		})
	}
	if ran < len(cases()) {
		return // -run picked some cases
	}
	want := []string{"im2col", "1x1", "depthwise", "winograd"}
	if kernel.CurrentISA() == kernel.AVX512 {
		want = append(want, "direct", "transposed")
	}
	for _, a := range want {
		if !algos[a] {
			t.Errorf("no case ran a %s convolution (ran %v)", a, algos)
		}
	}
}

// TestSplitPool runs a network that splits its batches on a pool of three
// workers: groups of unequal size.
func TestSplitPool(t *testing.T) {
	pool := kernel.NewPool(3)
	for _, tc := range cases() {
		if tc.name != "lenet" && tc.name != "inception" {
			continue
		}
		pr := prepare(t, tc, pool)
		if pr.p.parts(8) != 3 || pr.p.parts(3) != 3 {
			t.Fatalf("%s: batches of 8 and 3 split %d and %d ways, want 3", tc.name, pr.p.parts(8), pr.p.parts(3))
		}
		for _, n := range []int{8, 5, 3, 2, 1} {
			checkClose(t, fmt.Sprintf("%s batch %d", tc.name, n), pr.run(t, n), pr.want[:n*pr.out])
		}
	}
}

// TestConcurrentRuns runs a Program from four goroutines at once, each with
// its own batch size, and expects what a Run alone gives: one whose batches
// split among the workers, and one whose ops do.
func TestConcurrentRuns(t *testing.T) {
	for _, tc := range cases() {
		if tc.name != "inception" && tc.name != "resnet_basic_64" {
			continue
		}
		pr := prepare(t, tc, nil)
		sizes := []int{1, 3, 8, 3}
		alone := map[int][]float32{}
		for _, n := range sizes {
			alone[n] = pr.run(t, n)
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(sizes))
		for _, n := range sizes {
			wg.Go(func() {
				for range 5 {
					dst := make([]float32, n*pr.out)
					if err := pr.p.Run(context.Background(), dst, pr.src[:n*pr.in], n); err != nil {
						errs <- err
						return
					}
					if !slices.Equal(dst, alone[n]) {
						errs <- fmt.Errorf("%s: batch %d run concurrently differs from alone", tc.name, n)
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for _, n := range sizes {
			checkClose(t, fmt.Sprintf("%s batch %d", tc.name, n), alone[n], pr.want[:n*pr.out])
		}
	}
}
