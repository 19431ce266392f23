package runtime

// Small networks (LeNet-5: 0.4M multiply-adds an image) split a batch
// among the workers instead of splitting each op: every worker runs its
// group of images through the whole network in an instance of its own
// (its own arena: the plan shares memory between values in op order,
// which groups running apart do not keep), so a Run synchronises once
// instead of twice per op. Per-op parallelism on layers this small was
// mostly waiting: each op's work is a few microseconds, about what handing
// it to another core costs.

// splitBelow is the multiply-adds per image under which a batch splits.
const splitBelow = 10 << 20

// parts reports how many groups of images a batch of n splits into.
func (p *Program) parts(n int) int {
	w := p.pool.Workers()
	if n < 2 || w < 2 || p.macsPerImage() >= splitBelow {
		return 1
	}
	return min(n, w)
}

// partImages returns the first image and the count of group h of parts.
func partImages(n, parts, h int) (int, int) {
	i0, i1 := n*h/parts, n*(h+1)/parts
	return i0, i1 - i0
}

// partPlans returns the plans of the groups a batch of n splits into;
// p.mu is held.
func (p *Program) partPlans(n, parts int) []*plan {
	pls := make([]*plan, parts)
	for h := range pls {
		_, cnt := partImages(n, parts, h)
		pls[h] = p.planLocked(cnt)
	}
	return pls
}

func (p *Program) macsPerImage() int64 {
	var m int64
	for _, c := range p.ops {
		m += c.macs(p.g)
	}
	return m
}

// newSplitInstance makes the instance of a batch of n split into parts
// groups; p.mu is held. Its steps (for profiles and the search for
// non-finite values) run one op over all groups; whole runs each group
// through every op, one group per worker.
func (p *Program) newSplitInstance(pl *plan, parts int) *instance {
	n := pl.n
	inst := &instance{plan: pl}
	for _, sub := range p.partPlans(n, parts) {
		inst.subs = append(inst.subs, p.soloInstance(sub, nil))
	}
	subs, pool := inst.subs, p.pool
	// The loop bodies are made here, once: a closure made per Run would
	// allocate.
	for k, s := range subs[0].steps {
		op := func(h int) { subs[h].steps[k].run() }
		inst.steps = append(inst.steps, step{c: s.c, run: func() { pool.Run(parts, op) }})
	}
	group := func(h int) {
		for _, s := range subs[h].steps {
			s.run()
		}
	}
	inst.whole = func() { pool.Run(parts, group) }
	return inst
}

// load copies a batch's inputs into the instance.
func (inst *instance) load(src []float32) {
	if inst.subs == nil {
		copy(inst.in, src)
		return
	}
	for _, s := range inst.subs {
		src = src[copy(s.in, src):]
	}
}

// store copies the instance's outputs out.
func (inst *instance) store(dst []float32) {
	if inst.subs == nil {
		copy(dst, inst.out)
		return
	}
	for _, s := range inst.subs {
		dst = dst[copy(dst, s.out):]
	}
}

// values returns v's memory in every group of the batch.
func (inst *instance) values(v ValueID) []float32 {
	if inst.subs == nil {
		return inst.value(v)
	}
	var all []float32
	for _, s := range inst.subs {
		all = append(all, s.value(v)...)
	}
	return all
}
