package runtime

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/cnnc/cnnc/runtime/kernel"
)

// An instance is one arena with the steps that compute a batch in it. A
// Program keeps idle instances per batch size; a Run takes one, so
// concurrent Runs never share memory and steady-state Runs allocate
// nothing.
type instance struct {
	plan  *plan
	arena []float32
	in    []float32
	out   []float32
	steps []step
}

type step struct {
	c   *cop
	run func()
}

// InputSize and OutputSize are the per-sample element counts.
func (p *Program) InputSize() int  { return p.g.Values[p.g.Input].Numel() }
func (p *Program) OutputSize() int { return p.g.Values[p.g.Output].Numel() }

// Run computes n samples: src holds n inputs laid out one after another,
// dst receives n outputs. It stops between ops when ctx is done.
func (p *Program) Run(ctx context.Context, dst, src []float32, n int) error {
	return p.run(ctx, dst, src, n, nil)
}

func (p *Program) run(ctx context.Context, dst, src []float32, n int, each func(i int, c *cop, d time.Duration, inst *instance)) error {
	if n < 1 {
		return fmt.Errorf("runtime: batch size %d", n)
	}
	if len(src) != n*p.InputSize() || len(dst) != n*p.OutputSize() {
		return fmt.Errorf("runtime: %d samples need %d input and %d output values, have %d and %d",
			n, n*p.InputSize(), n*p.OutputSize(), len(src), len(dst))
	}
	inst := p.acquire(n)
	defer p.release(inst)
	copy(inst.in, src)
	for i, s := range inst.steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("stopped before %s: %w", s.c.op.Where(), err)
		}
		if each == nil {
			s.run()
			continue
		}
		t := time.Now()
		s.run()
		each(i, s.c, time.Since(t), inst)
	}
	copy(dst, inst.out)
	return nil
}

// An OpTime is how long one op of a Program took.
type OpTime struct {
	Name, Where string
	Kind        OpKind
	Fused       string // what fusion folded into the op, e.g. "+bn+relu"
	Time        time.Duration
	MACs        int64
}

// Profile runs a batch once and times every op.
func (p *Program) Profile(ctx context.Context, dst, src []float32, n int) ([]OpTime, error) {
	var times []OpTime
	err := p.run(ctx, dst, src, n, func(_ int, c *cop, d time.Duration, _ *instance) {
		times = append(times, OpTime{Name: c.name(), Where: c.op.Where(), Kind: c.kind, Fused: c.fused(), Time: d, MACs: int64(n) * c.macs(p.g)})
	})
	return times, err
}

// FirstNonFinite runs a batch and names the first op whose output holds a
// NaN or an infinity, or returns "" if none does.
func (p *Program) FirstNonFinite(ctx context.Context, src []float32, n int) (string, error) {
	found := ""
	dst := make([]float32, n*p.OutputSize())
	err := p.run(ctx, dst, src, n, func(_ int, c *cop, _ time.Duration, inst *instance) {
		if found != "" {
			return
		}
		for k, o := range c.outs() {
			for _, v := range inst.value(o) {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					found = c.op.Where()
					if k > 0 {
						found = c.siblings[k-1].op.Where()
					}
					return
				}
			}
		}
	})
	return found, err
}

func (c *cop) fused() string {
	s := ""
	if c.op.Kind != c.kind {
		s += "+" + c.op.Kind.String()
	}
	if c.residual >= 0 {
		s += "+add"
	}
	if c.act != ActNone && c.kind != OpAct {
		s += "+" + actNames[c.act]
	}
	return s
}

var actNames = [...]string{"none", "relu", "sigmoid", "tanh", "leakyrelu"}

func (c *cop) macs(g *Graph) int64 {
	out := g.Values[c.out]
	switch c.kind {
	case OpConv:
		in := g.Values[c.in[0]].Shape
		n := 0
		for _, v := range c.outs() {
			n += g.Values[v].Numel()
		}
		return int64(n) * int64(in[0]/max(c.op.Groups, 1)*c.op.Window.KH*c.op.Window.KW)
	case OpDense:
		return int64(out.Numel()) * int64(g.Values[c.in[0]].Numel())
	}
	return 0
}

func (p *Program) acquire(n int) *instance {
	p.mu.Lock()
	defer p.mu.Unlock()
	if idle := p.instances[n]; len(idle) > 0 {
		inst := idle[len(idle)-1]
		p.instances[n] = idle[:len(idle)-1]
		return inst
	}
	pl, ok := p.plans[n]
	if !ok {
		pl = p.plan(n)
		p.plans[n] = pl
	}
	return p.newInstance(pl)
}

// maxIdle bounds the arenas kept per batch size after a burst of
// concurrent Runs.
const maxIdle = 4

func (p *Program) release(inst *instance) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.instances[inst.plan.n]) < maxIdle {
		p.instances[inst.plan.n] = append(p.instances[inst.plan.n], inst)
	}
}

// ArenaBytes is the memory one Run of batch n uses for activations and
// scratch.
func (p *Program) ArenaBytes(n int) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	pl, ok := p.plans[n]
	if !ok {
		pl = p.plan(n)
		p.plans[n] = pl
	}
	return int64(pl.size) * 4
}

// value returns the memory of v: n images, stride apart.
func (inst *instance) value(v ValueID) []float32 {
	s := inst.plan.slots[v]
	return inst.arena[s.off : s.off+(inst.plan.n-1)*s.stride+s.size]
}

func (p *Program) newInstance(pl *plan) *instance {
	g, n, pool := p.g, pl.n, p.pool
	inst := &instance{plan: pl, arena: make([]float32, pl.size)}
	inst.in = inst.value(g.Input)
	inst.out = inst.value(g.Output)
	scratch := inst.arena[pl.scratch : pl.scratch+pl.scrLen]
	for _, c := range p.ops {
		src, ss := inst.value(c.in[0]), pl.slots[c.in[0]].stride
		dst, ds := inst.value(c.out), pl.slots[c.out].stride
		in, out := g.Values[c.in[0]].Shape, g.Values[c.out].Shape
		var run func()
		switch c.kind {
		case OpConv:
			ep := kernel.Epilogue{Act: kernelAct(c.act), DstImageStride: ds}
			if c.residual >= 0 {
				ep.Residual, ep.ResImageStride = inst.value(c.residual), pl.slots[c.residual].stride
			}
			if len(c.siblings) > 0 {
				// Merged siblings: every output, this op's first.
				for _, v := range c.outs() {
					ep.Outputs = append(ep.Outputs, kernel.ConvOutput{Channels: g.Values[v].Shape[0], Dst: inst.value(v), ImageStride: pl.slots[v].stride})
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
				OpMaxPool: maxPool, OpAvgPool: avgPool, OpAdaptiveAvg: adaptiveAvg}[c.kind](geom, src, ss, dst, ds, n)
			run = func() { t.run(pool) }
		case OpAct:
			t := activate(c.act, c.slope, src, ss, dst, ds, n, g.Values[c.out].Numel())
			run = func() { t.run(pool) }
		case OpBatchNorm:
			t := affine(c.scale, c.shift, g.Values[c.out].Numel()/in[0], src, ss, dst, ds, n)
			run = func() { t.run(pool) }
		case OpAdd:
			b, bs := inst.value(c.in[1]), pl.slots[c.in[1]].stride
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
			run = p.concatStep(inst, c)
		case OpReshape:
			if pl.slots[c.in[0]].off == pl.slots[c.out].off {
				continue // the same memory
			}
			t := copyImages(src, ss, dst, ds, n, g.Values[c.out].Numel())
			run = func() { t.run(pool) }
		}
		if run != nil {
			inst.steps = append(inst.steps, step{c: c, run: run})
		}
	}
	return inst
}

// concatStep copies the inputs that were not computed in place into their
// channel slices.
func (p *Program) concatStep(inst *instance, c *cop) func() {
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
			t.run(p.pool)
		}
	}
}

const leakyKernelSlope = kernel.LeakySlope

func kernelAct(a Act) kernel.Activation {
	switch a {
	case ActReLU:
		return kernel.ActReLU
	case ActSigmoid:
		return kernel.ActSigmoid
	case ActTanh:
		return kernel.ActTanh
	case ActLeakyReLU:
		return kernel.ActLeakyReLU
	}
	return kernel.ActNone
}
