package runtime

import (
	"fmt"
	"slices"

	"github.com/cnnc/cnnc/runtime/kernel"
)

// An opKind is everything the runtime knows of one kind of op, in one
// place: Compile, the memory plan and the steps ask it instead of
// switching on kinds, so a new op is one entry in kinds (and one file),
// and an op whose kind has no entry is an error of the graph, never an
// identity.
type opKind struct {
	name string
	// inputs is the number of inputs the op takes; -1: one or more.
	inputs int
	// check validates the op's attributes against its input and output
	// shapes (in is In[0]'s). Nil: the output has the input's shape.
	check func(g *Graph, op *Op, in, out []int) error
	// weights lists the tensors the op reads and the element count each
	// must have. Nil: none.
	weights func(g *Graph, op *Op, in, out []int) []weightNeed
	// prepare builds what the op runs with from its (possibly folded)
	// tensors: packed kernels, per-channel tables. Nil: nothing.
	prepare func(c *cop, g *Graph, w Weights)
	// inPlace: the op may write its output over an input that dies at it
	// (elementwise ops).
	inPlace bool
	// strided: the op can write its output as a channel slice of a
	// concatenation (images further apart than their size).
	strided bool
	// step returns the work of the op on one instance. It returns nil
	// only where the plan made the op free (a reshape on the same memory).
	step func(e *stepEnv, c *cop) func()
	// macs counts the op's multiply-accumulates for one sample. Nil: 0.
	macs func(g *Graph, c *cop) int64
}

// A weightNeed is one tensor an op reads: its state_dict name and size.
type weightNeed struct {
	name string
	size int
}

// kinds holds every op kind the runtime runs; the op_*.go files fill it.
var kinds [numOpKinds]*opKind

func register(k OpKind, ok *opKind) {
	if kinds[k] != nil {
		panic(fmt.Sprintf("runtime: op kind %d registered twice", k))
	}
	if ok.step == nil {
		panic(fmt.Sprintf("runtime: op kind %s has no step", ok.name))
	}
	kinds[k] = ok
}

// kindOf returns the op's kind, or an error for a kind the runtime lacks.
func kindOf(op *Op) (*opKind, error) {
	if op.Kind < 0 || op.Kind >= numOpKinds || kinds[op.Kind] == nil {
		return nil, fmt.Errorf("unknown op kind %d", int(op.Kind))
	}
	return kinds[op.Kind], nil
}

// A stepEnv is what building an instance's steps needs: where each value
// lives, the batch, the scratch space and the pool the steps run on.
type stepEnv struct {
	p       *Program
	inst    *instance
	pool    *kernel.Pool
	n       int
	scratch []float32
}

// part returns the memory of v and the distance between its images.
func (e *stepEnv) part(v ValueID) ([]float32, int) {
	return e.inst.value(v), e.inst.plan.slots[v].stride
}

func (e *stepEnv) shape(v ValueID) []int { return e.p.g.Values[v].Shape }

func (e *stepEnv) numel(v ValueID) int { return e.p.g.Values[v].Numel() }

// sameShape is the check of ops whose output has their input's shape.
func sameShape(_ *Graph, _ *Op, in, out []int) error {
	if !slices.Equal(in, out) {
		return fmt.Errorf("maps %v to %v", in, out)
	}
	return nil
}
