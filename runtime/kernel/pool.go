package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// A Pool runs index-parallel loops on persistent worker goroutines.
//
// The calling goroutine always takes part in its own loop, and helpers only
// pick up indices nobody has claimed yet, so a Run finishes even when every
// helper is busy with another Run (several Forward calls may share one Pool),
// and a Run nested inside fn cannot deadlock.
type Pool struct {
	workers int
	tickets chan *job

	mu   sync.Mutex
	free []*job // finished jobs, reused so Run does not allocate
}

// A task is the allocation-free form of a loop body: slot is a small
// integer unique among the goroutines running the same job at one time (the
// index of a per-worker scratch area), i the loop index.
type task interface {
	do(slot, i int)
}

// funcTask adapts a plain func(i) for Run.
type funcTask func(i int)

func (f funcTask) do(_, i int) { f(i) }

type job struct {
	t      task
	n      int64
	next   atomic.Int64 // next index to claim
	done   atomic.Int64 // indices finished
	slots  atomic.Int64 // participants so far
	refs   atomic.Int64 // caller + tickets not yet dropped
	finish chan struct{}
	pool   *Pool
}

// NewPool starts a pool of the given parallelism (the caller counts as one
// worker); workers <= 0 means runtime.NumCPU().
func NewPool(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	p := &Pool{workers: workers, tickets: make(chan *job, 64*workers)}
	for i := 1; i < workers; i++ {
		go p.helper()
	}
	return p
}

// Workers reports the pool's parallelism.
func (p *Pool) Workers() int {
	if p == nil {
		return 1
	}
	return p.workers
}

// Run calls fn(0) .. fn(n-1) spread over the pool and returns when all have
// returned. A nil Pool runs them in order on the caller's goroutine.
func (p *Pool) Run(n int, fn func(i int)) {
	p.run(n, p.Workers(), funcTask(fn))
}

// Parallel is Run for a loop whose total cost is work multiply-adds: below
// about 64K it stays on the calling goroutine, where waking a helper costs
// more than it saves.
func (p *Pool) Parallel(work int64, n int, fn func(i int)) {
	par := p.Workers()
	if work < minParallelWork {
		par = 1
	}
	p.run(n, par, funcTask(fn))
}

// minParallelWork is the multiply-add count under which splitting a loop
// across cores costs more (a goroutine wake-up is microseconds) than it saves.
const minParallelWork = 64 << 10

// run runs t.do(slot, i) for i in [0,n) on at most par goroutines; slots
// are in [0, par).
func (p *Pool) run(n, par int, t task) {
	if n <= 0 {
		return
	}
	if par > n {
		par = n
	}
	if p == nil || par <= 1 {
		for i := 0; i < n; i++ {
			t.do(0, i)
		}
		return
	}
	j := p.get()
	j.t, j.n = t, int64(n)
	j.next.Store(0)
	j.done.Store(0)
	j.slots.Store(0)
	j.refs.Store(1)
	for k := 1; k < par; k++ {
		j.refs.Add(1)
		select {
		case p.tickets <- j:
		default:
			j.refs.Add(-1) // helpers are swamped; the caller does the work
		}
	}
	if !j.work() {
		<-j.finish
	}
	j.release()
}

// work claims and runs indices until none are left, reporting whether this
// goroutine finished the job's last index.
func (j *job) work() (last bool) {
	slot := -1
	for {
		i := j.next.Add(1) - 1
		if i >= j.n {
			return last
		}
		if slot < 0 {
			slot = int(j.slots.Add(1) - 1)
		}
		j.t.do(slot, int(i))
		if j.done.Add(1) == j.n {
			last = true
		}
	}
}

func (p *Pool) helper() {
	for j := range p.tickets {
		if j.work() {
			j.finish <- struct{}{}
		}
		j.release()
	}
}

func (p *Pool) get() *job {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k := len(p.free); k > 0 {
		j := p.free[k-1]
		p.free = p.free[:k-1]
		return j
	}
	return &job{finish: make(chan struct{}, 1), pool: p}
}

// release drops one reference; the last one recycles the job, so a helper
// that picks up a stale ticket never sees a job reused under it.
func (j *job) release() {
	if j.refs.Add(-1) != 0 {
		return
	}
	j.t = nil
	p := j.pool
	p.mu.Lock()
	p.free = append(p.free, j)
	p.mu.Unlock()
}
