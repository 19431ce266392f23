package runtime

// Small networks (LeNet-5: 0.4M multiply-adds an image) split a batch
// among the workers instead of splitting each op: every worker runs its
// group of images through the whole network in an instance of its own
// (its own arena: the plan shares memory between values in op order,
// which groups running apart do not keep), so a Run synchronises once
// instead of twice per op. Per-op parallelism on layers this small was
// mostly waiting: each op's work is a few microseconds, about what handing
// it to another core costs.
//
// Convolutional networks of any size split too, for another reason: on
// this project's machine a cache line written by one core costs the other
// about 250 ns to read (a round trip between the two cores measures 500
// ns), more than memory, and an op split among the workers reads what the
// previous op wrote on the other core. Groups keep their activations on
// their own core. At batch 8: ResNet-50 -5-11%, ResNet-18 -10%,
// GoogLeNet -15%. Networks whose dense layers hold most of the weights
// (VGG-16, AlexNet) stay whole: there every group would stream those
// weights from memory on its own (VGG-16 at batch 8: +3%).

// splitBelow is the multiply-adds per image under which a batch always
// splits.
const splitBelow = 10 << 20

// parts reports how many groups of images a batch of n splits into.
func (p *Program) parts(n int) int {
	w := p.pool.Workers()
	if n < 2 || w < 2 {
		return 1
	}
	parts := min(n, w)
	if p.macsPerImage() < splitBelow {
		return parts
	}
	// Larger networks: when dense layers hold at most a quarter of the
	// weights, and the groups are even enough (3 images on 2 workers
	// would leave one idle for a third of the time).
	if dense, all := p.weightCounts(); 4*dense > all || 4*(n+parts-1)/parts*parts > 5*n {
		return 1
	}
	return parts
}

// weightCounts reports the weights of the dense layers and of all
// convolution and dense layers.
func (p *Program) weightCounts() (dense, all int64) {
	for _, c := range p.ops {
		switch c.op.Kind {
		case OpDense:
			n := int64(p.g.Values[c.out].Numel()) * int64(p.g.Values[c.in[0]].Numel())
			dense += n
			all += n
		case OpConv:
			in := p.g.Values[c.in[0]].Shape
			for _, v := range c.outs() {
				all += int64(p.g.Values[v].Shape[0]) * int64(in[0]/max(c.op.Groups, 1)*c.op.Window.KH*c.op.Window.KW)
			}
		}
	}
	return dense, all
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
		for k, s := range subs[h].steps {
			if inst.ctx.Err() != nil {
				inst.stopped(k)
				return
			}
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

// stopped records that a group stopped before step k: the Run reports the
// earliest step a group did not run.
func (inst *instance) stopped(k int) {
	for {
		cur := inst.stopAt.Load()
		if int64(k) >= cur || inst.stopAt.CompareAndSwap(cur, int64(k)) {
			return
		}
	}
}
