package runtime

import (
	"fmt"

	"github.com/cnnc/cnnc/runtime/kernel"
)

// PlanArenaBytes reports what Program.ArenaBytes(n) reports once g is
// compiled (the activations and kernel scratch of one Run of batch n, as
// the memory plan places them) without weights: the ops are fused as
// Compile fuses them and each convolution's scratch is asked of its shape,
// so no kernel is prepared. Compiling VGG-16's 138M zero weights to ask
// takes seconds; this takes a millisecond.
func PlanArenaBytes(g *Graph, n int) (int64, error) {
	if n < 1 {
		return 0, fmt.Errorf("runtime: batch size %d", n)
	}
	if err := g.validate(); err != nil {
		return 0, err
	}
	p := &Program{g: g, pool: SharedPool(), plans: map[int]*plan{}, instances: map[int][]*instance{}}
	p.ops = fusedOps(g, nil)
	return p.ArenaBytes(n), nil
}

// scratchSize is the kernel scratch a batch of n needs for the op: its
// kernel's, or, before one is prepared, its shape's.
func (c *cop) scratchSize(g *Graph, n int) int {
	switch {
	case c.conv != nil:
		return c.conv.ScratchSize(n)
	case c.op.Kind == OpConv:
		in := g.Values[c.in[0]].Shape
		cout := 0
		for _, v := range c.outs() {
			cout += g.Values[v].Shape[0]
		}
		return kernel.ConvScratchSize(convParams(c.op, in, cout), n)
	}
	return 0
}
