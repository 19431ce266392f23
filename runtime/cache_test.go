package runtime

// The cache of idle instances (cache.go): bounded by bytes, emptied by
// Release, correct after either, and free of allocations for a repeated
// batch size whatever the limit.

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// caseNamed returns the test case of that name.
func caseNamed(t *testing.T, name string) testCase {
	for _, tc := range cases() {
		if tc.name == name {
			return tc
		}
	}
	t.Fatalf("no case %s", name)
	return testCase{}
}

// tiled runs a batch of n images, the case's images over and over, and
// checks it against the reference.
func (pr prepared) tiled(t *testing.T, n int) {
	t.Helper()
	src := make([]float32, 0, n*pr.in)
	want := make([]float64, 0, n*pr.out)
	for i := range n {
		k := i % pr.maxBatch
		src = append(src, pr.src[k*pr.in:(k+1)*pr.in]...)
		want = append(want, pr.want[k*pr.out:(k+1)*pr.out]...)
	}
	dst := make([]float32, n*pr.out)
	if err := pr.p.Run(context.Background(), dst, src, n); err != nil {
		t.Fatalf("batch %d: %v", n, err)
	}
	checkClose(t, fmt.Sprintf("batch %d", n), dst, want)
}

// TestRetainLimit runs LeNet-5 at every batch size from 1 to 96 and
// requires the idle arenas kept to stay within the limit (or the one
// arena just used, when that is larger), the plans and batch sizes kept
// to stay bounded, and the results to stay right after evictions.
func TestRetainLimit(t *testing.T) {
	pr := prepare(t, caseNamed(t, "lenet"), nil)
	p := pr.p
	limit := 3 * p.ArenaBytes(16)
	p.SetRetainLimit(limit)
	for n := 1; n <= 96; n++ {
		pr.tiled(t, n)
		bound := max(limit, p.ArenaBytes(n))
		if got := p.RetainedBytes(); got > bound || got <= 0 {
			t.Fatalf("after batch %d: %d bytes retained, want 1 to %d", n, got, bound)
		}
		p.mu.Lock()
		plans, sizes := len(p.plans), len(p.instances)
		p.mu.Unlock()
		if plans > maxPlans+8 || sizes > maxPlans {
			t.Fatalf("after batch %d: %d plans and %d batch sizes kept", n, plans, sizes)
		}
	}
	// Batch 96 is kept, being the last; the small ones were evicted and
	// are made again.
	for _, n := range []int{96, 1, 5, 8, 3} {
		pr.tiled(t, n)
	}
	if got := p.RetainedBytes(); got > limit {
		t.Errorf("%d bytes retained, over the limit of %d", got, limit)
	}
	// A lower limit trims at once, to the last arena used.
	p.SetRetainLimit(0)
	if got, last := p.RetainedBytes(), p.ArenaBytes(3); got != last {
		t.Errorf("limit 0: %d bytes retained, want the last arena's %d", got, last)
	}
}

// TestRelease empties the cache and runs again.
func TestRelease(t *testing.T) {
	pr := prepare(t, caseNamed(t, "inception"), nil)
	p := pr.p
	first := map[int][]float32{}
	for _, n := range batches {
		first[n] = pr.run(t, n)
	}
	if p.RetainedBytes() == 0 {
		t.Fatal("nothing retained after Runs")
	}
	p.Release()
	if got := p.RetainedBytes(); got != 0 {
		t.Errorf("%d bytes retained after Release", got)
	}
	p.mu.Lock()
	plans, sizes := len(p.plans), len(p.instances)
	p.mu.Unlock()
	if plans != 0 || sizes != 0 {
		t.Errorf("%d plans and %d batch sizes kept after Release", plans, sizes)
	}
	for _, n := range batches {
		if got := pr.run(t, n); !slices.Equal(got, first[n]) {
			t.Errorf("batch %d: a Run after Release differs from the first", n)
		}
	}
}

// TestRunAllocsAtLimitZero requires a repeated Run to allocate nothing
// even when the Program keeps no other arena, for a batch that runs whole
// and one split among the workers.
func TestRunAllocsAtLimitZero(t *testing.T) {
	for _, name := range []string{"lenet", "resnet_basic_64"} {
		pr := prepare(t, caseNamed(t, name), nil)
		pr.p.SetRetainLimit(0)
		for _, n := range []int{1, 4} {
			src, dst := pr.src[:n*pr.in], make([]float32, n*pr.out)
			pr.run(t, 2) // another size in between: evicted by the next
			allocs := testing.AllocsPerRun(10, func() {
				if err := pr.p.Run(context.Background(), dst, src, n); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%s batch %d: %v allocations per Run", name, n, allocs)
			}
		}
	}
}

// TestConcurrentRunsEvicting runs a Program from four goroutines at
// different batch sizes under a limit that evicts nearly every arena,
// while another goroutine releases the cache over and over: each Run must
// still give what it gives alone.
func TestConcurrentRunsEvicting(t *testing.T) {
	pr := prepare(t, caseNamed(t, "lenet"), nil)
	sizes := []int{1, 3, 8, 5}
	alone := map[int][]float32{}
	for _, n := range sizes {
		alone[n] = pr.run(t, n)
	}
	pr.p.SetRetainLimit(pr.p.ArenaBytes(3))
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, len(sizes))
	for _, n := range sizes {
		wg.Go(func() {
			for range 20 {
				dst := make([]float32, n*pr.out)
				if err := pr.p.Run(context.Background(), dst, pr.src[:n*pr.in], n); err != nil {
					errs <- err
					return
				}
				if !slices.Equal(dst, alone[n]) {
					errs <- fmt.Errorf("batch %d under eviction differs from alone", n)
					return
				}
			}
		})
	}
	releaser := make(chan struct{})
	go func() {
		defer close(releaser)
		for {
			select {
			case <-stop:
				return
			default:
				pr.p.Release()
				pr.p.RetainedBytes()
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-releaser
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got, bound := pr.p.RetainedBytes(), pr.p.ArenaBytes(8); got > bound {
		t.Errorf("%d bytes retained, over the limit (or the largest arena) %d", got, bound)
	}
}
