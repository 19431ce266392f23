package runtime

import "github.com/cnnc/cnnc/runtime/kernel"

// opSteps builds the instance's steps, one per op, on pool (nil: on the
// calling goroutine). Each op's kind builds its step; a kind returns no
// step only where the plan made the op free.
func (p *Program) opSteps(inst *instance, pool *kernel.Pool) []step {
	pl := inst.plan
	e := &stepEnv{p: p, inst: inst, pool: pool, n: pl.n, scratch: inst.arena[pl.scratch : pl.scratch+pl.scrLen]}
	var steps []step
	for _, c := range p.ops {
		if run := kinds[c.op.Kind].step(e, c); run != nil {
			steps = append(steps, step{c: c, run: run})
		}
	}
	return steps
}
