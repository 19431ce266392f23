package runtime

import "github.com/cnnc/cnnc/internal/hugepage"

// A Program keeps the instances (arenas and their steps) of finished Runs
// for the next Run of the same batch size, which then allocates nothing.
// Kept forever, they added up: LeNet-5 run at every batch size from 1 to
// 512 held 3.9 GB, ResNet-18 at 1 to 16 from 8 goroutines 3.7 GB. So the
// idle instances are bounded by bytes: past the limit, the least recently
// used go (their pages given back at once), except the one just returned,
// so that a Run repeated at one batch size, however large, still
// allocates nothing. An instance in use is never touched.

// DefaultRetainLimit is the bytes of idle arenas a Program keeps unless
// SetRetainLimit says otherwise.
const DefaultRetainLimit = 1 << 30

// maxIdle bounds the arenas kept per batch size after a burst of
// concurrent Runs.
const maxIdle = 4

// maxPlans bounds the plans kept (a plan is small, but one per batch size
// ever seen adds up); past it, the plans of batch sizes without an idle
// instance go.
const maxPlans = 64

// SetRetainLimit sets the bytes of idle arenas the Program keeps between
// Runs (DefaultRetainLimit until set), and trims what it keeps to it. The
// arena of the Run that finished last is kept whatever its size; 0 keeps
// that one only, and a negative limit restores the default.
func (p *Program) SetRetainLimit(bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if bytes < 0 {
		bytes = DefaultRetainLimit
	}
	p.retainLimit = bytes
	p.trimLocked(p.lastReleased)
}

// RetainedBytes reports the bytes of the idle arenas the Program keeps for
// later Runs; arenas of Runs in progress are not counted.
func (p *Program) RetainedBytes() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.retained
}

// Release gives back the memory of every idle arena and forgets every
// plan. Runs in progress finish normally and drop their arenas instead of
// keeping them; later Runs allocate afresh. The Program stays usable.
func (p *Program) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for n, idle := range p.instances {
		for _, inst := range idle {
			inst.free()
		}
		delete(p.instances, n)
	}
	clear(p.plans)
	p.retained, p.lastReleased = 0, nil
	p.generation++
}

func (p *Program) acquire(n int) *instance {
	p.mu.Lock()
	defer p.mu.Unlock()
	if idle := p.instances[n]; len(idle) > 0 {
		inst := idle[len(idle)-1]
		idle[len(idle)-1] = nil
		p.instances[n] = idle[:len(idle)-1]
		p.retained -= inst.bytes
		if p.lastReleased == inst {
			p.lastReleased = nil
		}
		return inst
	}
	if len(p.plans) >= maxPlans {
		p.dropPlansLocked()
	}
	inst := p.newInstance(p.planLocked(n))
	inst.generation = p.generation
	inst.bytes = int64(len(inst.arena)) * 4
	for _, s := range inst.subs {
		inst.bytes += int64(len(s.arena)) * 4
	}
	return inst
}

// release returns a finished Run's instance to the idle ones, unless its
// batch size has maxIdle already or Release was called during the Run,
// and trims the idle ones to the limit. In steady state (an idle slot
// that exists, nothing to trim) it allocates nothing.
func (p *Program) release(inst *instance) {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := inst.plan.n
	if inst.generation != p.generation || len(p.instances[n]) >= maxIdle {
		inst.free()
		return
	}
	p.clock++
	inst.lastUse = p.clock
	p.instances[n] = append(p.instances[n], inst)
	p.retained += inst.bytes
	p.lastReleased = inst
	p.trimLocked(inst)
}

// trimLocked drops the least recently used idle instances, keep excepted,
// until the idle ones fit the limit; p.mu is held.
func (p *Program) trimLocked(keep *instance) {
	for p.retained > p.retainLimit {
		var lru *instance
		at := -1
		for _, idle := range p.instances {
			for i, inst := range idle {
				if inst != keep && (lru == nil || inst.lastUse < lru.lastUse) {
					lru, at = inst, i
				}
			}
		}
		if lru == nil {
			return
		}
		n := lru.plan.n
		idle := p.instances[n]
		copy(idle[at:], idle[at+1:])
		idle[len(idle)-1] = nil
		if idle = idle[:len(idle)-1]; len(idle) == 0 {
			delete(p.instances, n)
			delete(p.plans, n)
		} else {
			p.instances[n] = idle
		}
		p.retained -= lru.bytes
		lru.free()
	}
}

// dropPlansLocked forgets the plans of batch sizes without an idle
// instance (instances in use keep theirs), and those sizes' empty lists.
// p.mu is held.
func (p *Program) dropPlansLocked() {
	for n := range p.plans {
		if len(p.instances[n]) == 0 {
			delete(p.plans, n)
		}
	}
	for n, idle := range p.instances {
		if len(idle) == 0 {
			delete(p.instances, n)
		}
	}
}

// free gives back the pages of an instance no Run uses and none will.
func (inst *instance) free() {
	if inst.arena != nil {
		hugepage.ReleaseFloat32s(inst.arena)
	}
	for _, s := range inst.subs {
		s.free()
	}
}
