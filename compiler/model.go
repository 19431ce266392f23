package compiler

import (
	"fmt"
	"math"
	"strings"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/diag"
)

// A Shape is a tensor shape without the batch dimension: [C, H, W] for
// feature maps and [F] for feature vectors. A nil Shape is unknown: the
// layer that should have produced it failed to check.
type Shape []int64

// Known reports whether s is a real shape.
func (s Shape) Known() bool { return s != nil }

// IsMap reports whether s is a [C, H, W] feature map.
func (s Shape) IsMap() bool { return len(s) == 3 }

// Numel is the number of elements of one sample, or math.MaxInt64 if
// that overflows.
func (s Shape) Numel() int64 {
	n, ok := product(s...)
	if !ok {
		return math.MaxInt64
	}
	return n
}

// Equal reports whether s and t are the same shape.
func (s Shape) Equal(t Shape) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// String prints s with the batch, as [N, 64, 56, 56].
func (s Shape) String() string {
	if !s.Known() {
		return "?"
	}
	var b strings.Builder
	b.WriteString("[N")
	for _, d := range s {
		fmt.Fprintf(&b, ", %d", d)
	}
	b.WriteString("]")
	return b.String()
}

// Dims prints s without the batch, as 64x56x56.
func (s Shape) Dims() string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return strings.Join(parts, "x")
}

// A Model is a checked network: every layer with its shapes, parameters
// and cost, ready to be lowered to the runtime.
type Model struct {
	Name    string
	File    string
	Doc     string
	Range   diag.Range // the model's name in its declaration
	Input   Shape      // [C, H, W]
	Output  Shape
	Root    *Node // the model's body, a sequence
	Params  []*Param
	Options ModelOptions

	ParamCount int64 // trainable parameters, as PyTorch's parameters() counts them
	MACs       int64 // multiply-accumulates of one sample
	OK         bool  // the model checked without errors
}

// ModelOptions are a model's declared options beyond its input shape.
type ModelOptions struct {
	Mean, Std []float64 // per channel, or one value for all
	Labels    string    // path of the labels file, relative to the working directory
	Weights   string    // path of the default weights
}

// ParamBytes is the size of the model's state (parameters and buffers) in
// float32; math.MaxInt64 if that overflows.
func (m *Model) ParamBytes() int64 {
	var n int64
	for _, p := range m.Params {
		n = satAdd(n, satMul(p.Shape.Numel(), 4))
	}
	return n
}

// ActivationBytes is the size of the input and of every layer's output at
// batch 1 in float32, the figure torchsummary reports as the forward pass
// size; math.MaxInt64 if that overflows.
func (m *Model) ActivationBytes() int64 {
	var n int64
	if m.Input.Known() {
		n = satMul(m.Input.Numel(), 4)
	}
	m.Root.Walk(func(x *Node) bool {
		if x.Kind == KindLayer && x.Out.Known() {
			n = satAdd(n, satMul(x.Out.Numel(), 4))
		}
		return true
	})
	return n
}

func satAdd(a, b int64) int64 {
	if c, ok := addInt(a, b); ok {
		return c
	}
	return math.MaxInt64
}

func satMul(a, b int64) int64 {
	if c, ok := mulInt(a, b); ok {
		return c
	}
	return math.MaxInt64
}

// A Param is one tensor of the model's state_dict.
type Param struct {
	Name   string // e.g. layer2.0.bn1.running_var
	Shape  Shape
	Buffer bool // a BatchNorm running statistic, not a trainable parameter
	Layer  *Node
	Init   Init // how fresh weights start (cnnc init)
}

// An Init says how a parameter starts in fresh weights, as the seed's
// notes and PyTorch's modules initialise it.
type Init struct {
	Kind  InitKind
	Value float64 // InitConst's value, InitNormal's standard deviation
}

// The kinds of initialisation.
type InitKind int

const (
	InitZero    InitKind = iota // zeros: biases, running means
	InitConst                   // every value Value: BatchNorm's scale, PReLU's 0.25
	InitKaiming                 // Kaiming normal, fan in, ReLU gain: convolutions
	InitNormal                  // normal(0, Value): dense layers
)

// Kind says what a Node is.
type Kind int

// The kinds of nodes.
const (
	KindLayer Kind = iota
	KindSeq
	KindConcat
	KindResidual
)

// An Op is a layer's operation.
type Op string

// The layer operations.
const (
	OpConv        Op = "conv"
	OpMaxPool     Op = "maxpool"
	OpAvgPool     Op = "avgpool"
	OpAdaptiveAvg Op = "adaptiveavgpool"
	OpGlobalAvg   Op = "globalavgpool"
	OpDense       Op = "dense"
	OpFlatten     Op = "flatten"
	OpDropout     Op = "dropout"
	OpBatchNorm   Op = "batchnorm"
	OpReLU        Op = "relu"
	OpSigmoid     Op = "sigmoid"
	OpTanh        Op = "tanh"
	OpLeakyReLU   Op = "leakyrelu" // and every other activation of package act, by its name
	OpSoftmax     Op = "softmax"
	OpLogSoftmax  Op = "logsoftmax"
	OpPReLU       Op = "prelu"
	OpIdentity    Op = "identity"
)

// A Node is one element of a checked model: a layer, or a sequence, concat
// or residual of nodes.
type Node struct {
	Kind  Kind
	Op    Op     // for layers
	Key   string // the state_dict prefix, e.g. layer2.0.conv1 ("" for the model)
	Label string // how the node reads: "conv 64 k3 p1", "sequence", "residual"
	Call  string // the definition call the node stands for: "basic_block(128, 2)"
	In    Shape
	Out   Shape

	Params     []*Param // the layer's own state
	ParamCount int64    // trainable parameters, children included
	MACs       int64    // children included

	Children []*Node // sequence members, concat branches, or a residual's body
	Shortcut *Node   // a residual's projection; nil for the identity
	Then     *Node   // a residual's layer after the sum

	// Transparent marks a concat branch or residual body, which is not a
	// level of the parameter names and not a row of its own in a summary.
	Transparent bool
	Failed      bool // this node or one inside it did not check

	Range diag.Range   // the member in the source
	Calls []diag.Range // the definition calls that produced the node, outermost first

	Attrs Attrs
	Act   act.Func // an elementwise activation layer's function
}

// Attrs are a layer's attributes, normalised: pairs are [height, width].
type Attrs struct {
	Out      int64 // conv channels, dense features, prelu slopes
	Kernel   [2]int64
	Stride   [2]int64
	Padding  [2]int64
	Dilation [2]int64
	Groups   int64
	Bias     bool
	Ceil     bool
	Size     [2]int64 // adaptive pooling output
	Eps      float64
	Momentum float64
	P        float64 // dropout probability
}

// Walk calls fn for n and, while fn returns true, for every node inside it
// in source order.
func (n *Node) Walk(fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, c := range n.Children {
		c.Walk(fn)
	}
	n.Shortcut.Walk(fn)
	n.Then.Walk(fn)
}
