package kernel

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolRunsEveryIndexOnce(t *testing.T) {
	p := NewPool(4)
	for _, n := range []int{0, 1, 2, 3, 7, 100, 1000} {
		hits := make([]atomic.Int32, n)
		p.Run(n, func(i int) { hits[i].Add(1) })
		for i := range hits {
			if h := hits[i].Load(); h != 1 {
				t.Fatalf("n=%d: index %d ran %d times", n, i, h)
			}
		}
	}
}

// Several goroutines share one pool, and loops nest: none may deadlock or
// lose an index.
func TestPoolConcurrentAndNested(t *testing.T) {
	p := NewPool(2)
	var wg sync.WaitGroup
	var total atomic.Int64
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 200; r++ {
				p.Run(5, func(i int) {
					p.Run(3, func(int) { total.Add(1) })
				})
			}
		}()
	}
	wg.Wait()
	if want := int64(8 * 200 * 5 * 3); total.Load() != want {
		t.Fatalf("ran %d bodies, want %d", total.Load(), want)
	}
}

func TestPoolSlotsAreExclusive(t *testing.T) {
	p := NewPool(3)
	var busy [3]atomic.Int32
	tk := slotChecker{busy: &busy, t: t}
	for r := 0; r < 100; r++ {
		p.run(50, 3, tk)
	}
}

type slotChecker struct {
	busy *[3]atomic.Int32
	t    *testing.T
}

func (s slotChecker) do(slot, i int) {
	if s.busy[slot].Add(1) != 1 {
		s.t.Errorf("slot %d used by two goroutines at once", slot)
	}
	s.busy[slot].Add(-1)
}

func TestPoolLongLoop(t *testing.T) {
	p := NewPool(2)
	var n atomic.Int64
	p.Run(maxJob+10, func(int) { n.Add(1) })
	if n.Load() != maxJob+10 {
		t.Fatalf("ran %d, want %d", n.Load(), maxJob+10)
	}
}

func TestNilPool(t *testing.T) {
	var p *Pool
	s := 0
	p.Run(4, func(i int) { s += i })
	if s != 6 {
		t.Fatalf("sum %d, want 6", s)
	}
}

// A helper starts on its own range, not on the caller's: with the caller
// held in index 0 of 4, the helper's first index is 2, the start of the
// second range. (The ranges keep a map's rows on the same core op after
// op.)
func TestPoolHelperStartsOnItsRange(t *testing.T) {
	p := NewPool(2)
	started := make(chan int, 4)
	second := make(chan struct{})
	p.Run(4, func(i int) {
		started <- i
		if i == 2 {
			close(second)
		}
		if i == 0 {
			select {
			case <-second:
			case <-time.After(time.Second):
			}
		}
	})
	close(started)
	var order []int
	for i := range started {
		order = append(order, i)
	}
	select {
	case <-second:
	default:
		t.Skip("the helper took no index while the caller was held")
	}
	for _, i := range order {
		if i == 1 {
			t.Fatalf("start order %v: index 1 started before 2 while the caller held 0", order)
		}
		if i == 2 {
			return
		}
	}
}
