package runtime

import "github.com/cnnc/cnnc/runtime/kernel"

// opSteps builds the instance's steps, one per op, on pool (nil: on the
// calling goroutine).
func (p *Program) opSteps(inst *instance, pool *kernel.Pool) []step {
	g, pl, n := p.g, inst.plan, inst.plan.n
	scratch := inst.arena[pl.scratch : pl.scratch+pl.scrLen]
	var steps []step
	part := func(v ValueID) ([]float32, int) {
		return inst.value(v), pl.slots[v].stride
	}
	for _, c := range p.ops {
		src, ss := part(c.in[0])
		dst, ds := part(c.out)
		in, out := g.Values[c.in[0]].Shape, g.Values[c.out].Shape
		var run func()
		switch c.op.Kind {
		case OpConv:
			ep := kernel.Epilogue{Act: kernelAct(c.act), DstImageStride: ds}
			if c.residual >= 0 {
				ep.Residual, ep.ResImageStride = part(c.residual)
			}
			if len(c.siblings) > 0 {
				// Merged siblings: every output, this op's first.
				for _, v := range c.outs() {
					d, s := part(v)
					ep.Outputs = append(ep.Outputs, kernel.ConvOutput{Channels: g.Values[v].Shape[0], Dst: d, ImageStride: s})
				}
			}
			conv := c.conv
			run = func() { conv.Run(pool, dst, src, n, ep, scratch) }
		case OpDense:
			dense, act := c.dense, kernelAct(c.act)
			run = func() { dense.Run(pool, dst, src, n, act) }
		case OpMaxPool, OpAvgPool, OpAdaptiveAvg:
			geom := poolGeom{c: in[0], h: in[1], w: in[2], oh: out[1], ow: out[2], win: c.op.Window}
			t := map[OpKind]func(poolGeom, []float32, int, []float32, int, int) task{
				OpMaxPool: maxPool, OpAvgPool: avgPool, OpAdaptiveAvg: adaptiveAvg}[c.op.Kind](geom, src, ss, dst, ds, n)
			run = func() { t.run(pool) }
		case OpAct:
			t := activate(c.act, c.slope, src, ss, dst, ds, n, g.Values[c.out].Numel())
			run = func() { t.run(pool) }
		case OpBatchNorm:
			t := affine(c.scale, c.shift, g.Values[c.out].Numel()/in[0], src, ss, dst, ds, n)
			run = func() { t.run(pool) }
		case OpAdd:
			b, bs := part(c.in[1])
			t := add(src, ss, b, bs, dst, ds, n, g.Values[c.out].Numel())
			run = func() { t.run(pool) }
		case OpSoftmax:
			plane := 1
			if len(in) == 3 {
				plane = in[1] * in[2]
			}
			t := softmax(in[0], plane, src, ss, dst, ds, n)
			run = func() { t.run(pool) }
		case OpConcat:
			run = p.concatStep(inst, c, pool)
		case OpReshape:
			if pl.slots[c.in[0]].off == pl.slots[c.out].off {
				continue // the same memory
			}
			t := copyImages(src, ss, dst, ds, n, g.Values[c.out].Numel())
			run = func() { t.run(pool) }
		}
		if run != nil {
			steps = append(steps, step{c: c, run: run})
		}
	}
	return steps
}

// concatStep copies the inputs that were not computed in place into their
// channel slices.
func (p *Program) concatStep(inst *instance, c *cop, pool *kernel.Pool) func() {
	pl, g, n := inst.plan, p.g, inst.plan.n
	dst, ds := inst.value(c.out), pl.slots[c.out].stride
	out := g.Values[c.out].Shape
	plane := 1
	if len(out) == 3 {
		plane = out[1] * out[2]
	}
	var tasks []task
	off := 0
	for _, v := range c.in {
		s := pl.slots[v]
		if !s.view {
			tasks = append(tasks, copyImages(inst.value(v), s.stride, dst[off*plane:], ds, n, s.size))
		}
		off += g.Values[v].Shape[0]
	}
	return func() {
		for _, t := range tasks {
			t.run(pool)
		}
	}
}
