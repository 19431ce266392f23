package kernel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// A Pool runs index-parallel loops on persistent worker goroutines.
//
// The calling goroutine always takes part in its own loop, and helpers only
// pick up indices nobody has claimed yet, so a Run finishes even when every
// helper is busy with another Run (several Forward calls may share one Pool),
// and a Run nested inside fn cannot deadlock.
type Pool struct {
	workers int
	tickets chan ticket

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

// A job is one loop, its indices cut into contiguous ranges, one per
// participant: the caller starts on the first, helper h on range h (mod
// the count), and each moves on to the others' once its own is done. So a
// loop over a map's rows gives the same rows to the same goroutine, op
// after op, and its thread reads what it wrote itself: on this project's
// machine a line another core wrote costs about 250 ns to fetch, more than
// memory. Each range's claim state packs a generation, its end and its
// next index into one word, so a helper holding a stale ticket (for a loop
// that finished and whose job was reused) can never claim an index of the
// new loop by mistake: its compare-and-swap names the old generation.
type job struct {
	ranges  [maxRanges]atomic.Uint64 // gen<<40 | end<<20 | next
	nranges atomic.Int32
	n       atomic.Int64 // indices
	done    atomic.Int64 // indices finished
	slots   atomic.Int64 // participants so far
	waiting atomic.Int32 // 1 while the caller blocks on finish, 2 once signalled
	t       task         // written before the ranges publish a generation
	gen     uint64       // the last generation; the caller's alone
	finish  chan struct{}
}

// maxRanges bounds the ranges of a job; more participants share them.
const maxRanges = 16

type ticket struct {
	j   *job
	gen uint64
}

const (
	idxBits = 20
	idxMask = 1<<idxBits - 1
	maxJob  = idxMask // indices per job; Run splits longer loops
)

// NewPool starts a pool of the given parallelism (the caller counts as one
// worker); workers <= 0 means runtime.NumCPU().
func NewPool(workers int) *Pool {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	p := &Pool{workers: workers, tickets: make(chan ticket, 64*workers)}
	for i := 1; i < workers; i++ {
		go p.helper(i)
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

// offsetTask shifts the indices of a long loop cut into jobs.
type offsetTask struct {
	t   task
	off int
}

func (o *offsetTask) do(slot, i int) { o.t.do(slot, o.off+i) }

// run runs t.do(slot, i) for i in [0,n) on at most par goroutines; slots
// are in [0, par).
func (p *Pool) run(n, par int, t task) {
	if n <= 0 {
		return
	}
	par = min(par, n)
	if p == nil || par <= 1 {
		for i := 0; i < n; i++ {
			t.do(0, i)
		}
		return
	}
	if n > maxJob {
		for off := 0; off < n; off += maxJob {
			p.run(min(maxJob, n-off), par, &offsetTask{t, off})
		}
		return
	}
	j := p.get()
	j.gen = (j.gen + 1) & (1<<(64-2*idxBits) - 1)
	gen := j.gen
	j.t = t
	j.done.Store(0)
	j.slots.Store(0)
	j.waiting.Store(0)
	j.n.Store(int64(n))
	r := min(par, maxRanges)
	j.nranges.Store(int32(r))
	for k := range r {
		j.ranges[k].Store(gen<<(2*idxBits) | uint64(n*(k+1)/r)<<idxBits | uint64(n*k/r))
	}
	for k := 1; k < par; k++ {
		select {
		case p.tickets <- ticket{j, gen}:
		default: // helpers are swamped; the caller does the work
		}
	}
	j.work(gen, 0)
	j.wait(int64(n))
	j.t = nil
	p.mu.Lock()
	p.free = append(p.free, j)
	p.mu.Unlock()
}

// spinFor is how long an idle goroutine of the pool polls before it
// blocks. Waking a parked thread takes 100-200 us on this machine (an idle
// virtual CPU), as long as a whole layer at batch 1; layers follow each
// other closely, so the helpers spin between them, as OpenMP runtimes do.
const spinFor = 500 * time.Microsecond

// wait returns once all n indices are done: spinning first (the helpers'
// last indices usually end within microseconds), then blocking.
func (j *job) wait(n int64) {
	if j.done.Load() == n {
		return
	}
	start := time.Now()
	for i := 0; j.done.Load() < n; i++ {
		if i&spinCheck != spinCheck {
			continue
		}
		if time.Since(start) < spinFor {
			runtime.Gosched() // now and then, for other goroutines of this P
			continue
		}
		// Block: a helper finishing the last index signals if it sees
		// waiting == 1; whoever wins the CAS decides.
		j.waiting.Store(1)
		if j.done.Load() == n && j.waiting.CompareAndSwap(1, 0) {
			return
		}
		<-j.finish
		return
	}
}

// spinCheck masks the spin iterations between clock reads and yields.
// Spinning on a load rather than on runtime.Gosched matters: two
// goroutines yielding in a loop (an idle helper, a waiting caller) spent
// a fifth of a small model's time in the scheduler's locks, and in some
// processes kept the helper from taking work at all.
const spinCheck = 1023

// work claims and runs indices of generation gen until none are left,
// reporting whether this goroutine finished the job's last index.
func (j *job) work(gen uint64, home int) (last bool) {
	slot := -1
	r := int(j.nranges.Load())
	for i := range r {
		rs := &j.ranges[(home+i)%r]
		for {
			s := rs.Load()
			next, end := s&idxMask, s>>idxBits&idxMask
			if s>>(2*idxBits) != gen || next >= end {
				break
			}
			if !rs.CompareAndSwap(s, s+1) {
				continue
			}
			if slot < 0 {
				slot = int(j.slots.Add(1) - 1)
			}
			j.t.do(slot, int(next))
			if j.done.Add(1) == j.n.Load() {
				last = true
			}
		}
	}
	return last
}

func (p *Pool) helper(home int) {
	for {
		tk, ok := p.poll()
		if !ok {
			tk = <-p.tickets
		}
		if tk.j.work(tk.gen, home) && tk.j.waiting.CompareAndSwap(1, 2) {
			tk.j.finish <- struct{}{}
		}
	}
}

// poll looks for a ticket for up to spinFor, spinning on the channel's
// length (a plain load) and receiving only when one is there.
func (p *Pool) poll() (ticket, bool) {
	start := time.Now()
	for i := 0; ; i++ {
		if len(p.tickets) > 0 {
			select {
			case tk := <-p.tickets:
				return tk, true
			default:
			}
		}
		if i&spinCheck == spinCheck {
			if time.Since(start) > spinFor {
				return ticket{}, false
			}
			runtime.Gosched()
		}
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
	return &job{finish: make(chan struct{}, 1)}
}
