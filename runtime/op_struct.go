package runtime

import (
	"fmt"
	"slices"
)

// Structure: residual sums, concatenations and reshapes, which move data
// (or, planned well, none).

func init() {
	register(OpAdd, &opKind{name: "add", inputs: 2, check: checkAdd, inPlace: true, strided: true, step: addStep})
	register(OpConcat, &opKind{name: "concat", inputs: -1, check: checkConcat, step: concatStep})
	register(OpReshape, &opKind{name: "reshape", inputs: 1, check: checkReshape, step: reshapeStep})
}

func checkAdd(g *Graph, op *Op, in, out []int) error {
	if !slices.Equal(g.Values[op.In[1]].Shape, in) || !slices.Equal(out, in) {
		return fmt.Errorf("adds %v and %v into %v", in, g.Values[op.In[1]].Shape, out)
	}
	return nil
}

func addStep(e *stepEnv, c *cop) func() {
	a, as := e.part(c.in[0])
	b, bs := e.part(c.in[1])
	dst, ds := e.part(c.out)
	t, pool := add(a, as, b, bs, dst, ds, e.n, e.numel(c.out)), e.pool
	return func() { t.run(pool) }
}

func checkConcat(g *Graph, op *Op, _, out []int) error {
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
	return nil
}

// concatStep copies the inputs that were not computed in place into their
// channel slices.
func concatStep(e *stepEnv, c *cop) func() {
	pl := e.inst.plan
	dst, ds := e.part(c.out)
	out := e.shape(c.out)
	plane := 1
	if len(out) == 3 {
		plane = out[1] * out[2]
	}
	var tasks []task
	off := 0
	for _, v := range c.in {
		s := pl.slots[v]
		if !s.view {
			tasks = append(tasks, copyImages(e.inst.value(v), s.stride, dst[off*plane:], ds, e.n, s.size))
		}
		off += e.shape(v)[0]
	}
	pool := e.pool
	return func() {
		for _, t := range tasks {
			t.run(pool)
		}
	}
}

func checkReshape(g *Graph, op *Op, _, _ []int) error {
	if g.Values[op.In[0]].Numel() != g.Values[op.Out].Numel() {
		return fmt.Errorf("reshapes %v into %v", g.Values[op.In[0]].Shape, g.Values[op.Out].Shape)
	}
	return nil
}

// reshapeStep copies only where the plan could not make the output the
// input's memory.
func reshapeStep(e *stepEnv, c *cop) func() {
	pl := e.inst.plan
	if pl.slots[c.in[0]].off == pl.slots[c.out].off {
		return nil // the same memory
	}
	src, ss := e.part(c.in[0])
	dst, ds := e.part(c.out)
	t, pool := copyImages(src, ss, dst, ds, e.n, e.numel(c.out)), e.pool
	return func() { t.run(pool) }
}
