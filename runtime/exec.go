package runtime

import (
	"context"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/internal/hugepage"
	"github.com/cnnc/cnnc/runtime/kernel"
)

// An instance is one arena with the steps that compute a batch in it. A
// Program keeps idle instances per batch size, within a limit (cache.go);
// a Run takes one, so concurrent Runs never share memory and steady-state
// Runs allocate nothing.
type instance struct {
	plan  *plan
	arena []float32
	in    []float32
	out   []float32
	steps []step
	// A split batch (see parts): the groups of images, each an instance
	// of its own run on one worker, and whole, which runs them all.
	subs  []*instance
	whole func()
	// While whole runs: the Run's context, which every group checks
	// between ops, and the first step a group did not run because it was
	// done (len(steps): none).
	ctx    context.Context
	stopAt atomic.Int64
	// For the cache of idle instances (cache.go): the arenas' bytes, the
	// Program's clock when the instance was last returned, and the
	// Program's generation (its count of Releases) when it was made.
	bytes      int64
	lastUse    uint64
	generation uint64
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
	inst.load(src)
	if each == nil && inst.whole != nil {
		// A batch split among the workers runs through the network in one
		// go (see parts); each group checks ctx between ops.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("stopped before %s: %w", inst.steps[0].c.op.Where(), err)
		}
		inst.ctx = ctx
		inst.stopAt.Store(int64(len(inst.steps)))
		inst.whole()
		inst.ctx = nil
		if k := inst.stopAt.Load(); k < int64(len(inst.steps)) {
			return fmt.Errorf("stopped before %s: %w", inst.steps[k].c.op.Where(), ctx.Err())
		}
		inst.store(dst)
		return nil
	}
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
	inst.store(dst)
	return nil
}

// An OpTime is how long one op of a Program took.
type OpTime struct {
	Name, Where string
	Kind        OpKind
	Fused       string // what fusion folded into the op, e.g. "+bn+relu"
	Start       time.Time
	Time        time.Duration
	MACs        int64
	// The per-sample shapes of the values the op reads (a fused residual
	// last) and writes (merged siblings' after its own); the graph's, not
	// to be modified.
	In, Out [][]int
}

// Profile runs a batch once and times every op.
func (p *Program) Profile(ctx context.Context, dst, src []float32, n int) ([]OpTime, error) {
	var times []OpTime
	err := p.run(ctx, dst, src, n, func(_ int, c *cop, d time.Duration, _ *instance) {
		t := OpTime{Name: c.name(), Where: c.op.Where(), Kind: c.op.Kind, Fused: c.fused(), Start: time.Now().Add(-d), Time: d, MACs: int64(n) * c.macs(p.g)}
		ins := c.in
		if c.residual >= 0 {
			ins = append(ins[:len(ins):len(ins)], c.residual)
		}
		for _, v := range ins {
			t.In = append(t.In, p.g.Values[v].Shape)
		}
		for _, v := range c.outs() {
			t.Out = append(t.Out, p.g.Values[v].Shape)
		}
		times = append(times, t)
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
			for _, v := range inst.values(o) {
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
	if c.bn {
		s += "+bn"
	}
	if c.residual >= 0 {
		s += "+add"
	}
	if c.act.Kind != act.None && c.op.Kind != OpAct {
		s += "+" + c.act.Info().Name
	}
	return s
}

func (c *cop) macs(g *Graph) int64 {
	if m := kinds[c.op.Kind].macs; m != nil {
		return m(g, c)
	}
	return 0
}

// ArenaBytes is the memory one Run of batch n uses for activations and
// scratch.
func (p *Program) ArenaBytes(n int) int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	if parts := p.parts(n); parts > 1 {
		var size int64
		for _, sub := range p.partPlans(n, parts) {
			size += int64(sub.size) * 4
		}
		return size
	}
	return int64(p.planLocked(n).size) * 4
}

// planLocked returns the plan for batch n, making it once; p.mu is held.
func (p *Program) planLocked(n int) *plan {
	pl, ok := p.plans[n]
	if !ok {
		pl = p.plan(n)
		p.plans[n] = pl
	}
	return pl
}

// value returns the memory of v: n images, stride apart.
func (inst *instance) value(v ValueID) []float32 {
	s := inst.plan.slots[v]
	return inst.arena[s.off : s.off+(inst.plan.n-1)*s.stride+s.size]
}

func (p *Program) newInstance(pl *plan) *instance {
	if parts := p.parts(pl.n); parts > 1 {
		return p.newSplitInstance(pl, parts)
	}
	return p.soloInstance(pl, p.pool)
}

// soloInstance is an instance computing every op on pool.
func (p *Program) soloInstance(pl *plan, pool *kernel.Pool) *instance {
	inst := &instance{plan: pl, arena: hugepage.Float32s(pl.size)}
	inst.in = inst.value(p.g.Input)
	inst.out = inst.value(p.g.Output)
	inst.steps = p.opSteps(inst, pool)
	return inst
}
