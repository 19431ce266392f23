package runtime

import (
	"fmt"

	"github.com/cnnc/cnnc/act"
)

// A Graph is a network as the runtime executes it: values, each a tensor
// of static per-sample shape, and ops in an order that computes every value
// before it is used.
type Graph struct {
	Values []Value
	Ops    []*Op
	Input  ValueID
	Output ValueID
}

// A ValueID names a value of a graph.
type ValueID int

// A Value is a tensor of the graph, Shape its per-sample shape: [C, H, W]
// or [F].
type Value struct {
	Shape []int
}

// Numel is the number of elements of one sample of v.
func (v Value) Numel() int {
	n := 1
	for _, d := range v.Shape {
		n *= d
	}
	return n
}

// An OpKind is one of the runtime's operations. What the runtime does with
// each kind (validation, weights, preparation, memory needs, the step that
// runs it) is its opKind in the kinds table; a graph with an op of a kind
// the table lacks does not compile.
type OpKind int

// The operations.
const (
	OpConv        OpKind = iota // In[0] -> Out, Conv attributes, Weight and Bias
	OpDense                     // [F] -> [Out], Weight [Out, F], Bias
	OpMaxPool                   // Pool attributes
	OpAvgPool                   // Pool attributes; padding counts in the average
	OpAdaptiveAvg               // average over PyTorch's adaptive windows to Out's H x W
	OpBatchNorm                 // per channel: (x - mean) / sqrt(var + eps) * weight + bias
	OpAct                       // Act elementwise
	OpSoftmax                   // over channels ([C, H, W]) or features ([F])
	OpAdd                       // In[0] + In[1]
	OpConcat                    // In... joined on the channel axis
	OpReshape                   // the same data under another shape (flatten)
	OpPReLU                     // x for x > 0, else Weight[c] * x (one weight, or one per channel)
	OpLogSoftmax                // log of OpSoftmax, computed stably
	numOpKinds
)

func (k OpKind) String() string {
	if k >= 0 && k < numOpKinds && kinds[k] != nil {
		return kinds[k].name
	}
	return fmt.Sprintf("op%d", int(k))
}

// An Op is one operation of a graph.
type Op struct {
	Kind OpKind
	In   []ValueID
	Out  ValueID

	Window Window   // convolutions and pools
	Groups int      // convolutions; for prelu, the number of slopes (1 or the channels)
	Act    act.Func // OpAct, and what fusion attaches to convolutions and dense layers
	Eps    float32

	// Parameters by state_dict name; "" where absent.
	Weight, Bias, Mean, Var string

	Name   string // the layer's key, e.g. layer2.0.conv1
	Source string // where the layer is written, e.g. models/resnet18.cnn:7:3
}

// A Window is the geometry of a convolution or pooling window.
type Window struct {
	KH, KW, SH, SW, PH, PW, DH, DW int
	Ceil                           bool
}

// Where names an op for messages: "layer2.0.conv1 (models/resnet18.cnn:7:3)".
func (o *Op) Where() string {
	switch {
	case o.Name != "" && o.Source != "":
		return o.Name + " (" + o.Source + ")"
	case o.Source != "":
		return o.Kind.String() + " at " + o.Source
	case o.Name != "":
		return o.Name
	}
	return o.Kind.String()
}

// Builder adds values and ops to a graph.
type Builder struct{ G Graph }

// Value adds a value of the given per-sample shape.
func (b *Builder) Value(shape []int) ValueID {
	b.G.Values = append(b.G.Values, Value{Shape: shape})
	return ValueID(len(b.G.Values) - 1)
}

// Op appends an op; its Out must have been added with Value.
func (b *Builder) Op(op *Op) { b.G.Ops = append(b.G.Ops, op) }
