//go:build linux

package kernel

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

var tune = flag.Bool("tune", false, "print single-thread CPU-time GFLOPS of the benchmark convolutions (stable on a busy machine)")

// threadCPU is the calling thread's CPU time: on a shared machine it tracks
// the work done, where wall time tracks the neighbours.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestTune(t *testing.T) {
	if !*tune {
		t.Skip("-tune not set")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The L1-resident micro-kernel, measured the same way between the
	// convolutions, is the yardstick: noise from neighbours scales both.
	ref := func() float64 {
		const k = 256
		id := pickKernel(isa, 64)
		r := rand.New(rand.NewPCG(1, 2))
		a, bb := randSlice(r, k*id.mr()), randSlice(r, k*id.nr())
		c := make([]float32, id.mr()*id.nr())
		kp := kparams{k: k, ldc: 4 * id.nr(), nmask: 1<<id.nr() - 1}
		c0, iters := threadCPU(), 0
		for threadCPU()-c0 < 50*time.Millisecond {
			for i := 0; i < 1000; i++ {
				callKernel(id, unsafe.Pointer(&a[0]), unsafe.Pointer(&bb[0]), unsafe.Pointer(&c[0]), &kp)
			}
			iters += 1000
		}
		return float64(2*k*id.mr()*id.nr()*iters) / (threadCPU() - c0).Seconds() / 1e9
	}
	for _, bc := range benchConvs {
		for _, n := range []int{1, 8} {
			p := bc.p
			r := rand.New(rand.NewPCG(1, 2))
			cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
			src := randSlice(r, n*p.C*p.H*p.W)
			dst := make([]float32, n*p.Cout*cv.OutH()*cv.OutW())
			scratch := make([]float32, cv.ScratchSize(n))
			ep := Epilogue{Act: actReLU}
			cv.Run(nil, dst, src, n, ep, scratch)
			// rusage advances in scheduler ticks: measure 100 ms at a time.
			best := time.Duration(1 << 62)
			for rep := 0; rep < 3; rep++ {
				c0 := threadCPU()
				iters := 0
				for threadCPU()-c0 < 100*time.Millisecond {
					cv.Run(nil, dst, src, n, ep, scratch)
					iters++
				}
				best = min(best, (threadCPU()-c0)/time.Duration(iters))
			}
			gf := 2 * float64(p.MACs()) * float64(n) / best.Seconds() / 1e9
			k := ref()
			fmt.Printf("%-16s n%d %-9s %7.1f GFLOPS/core %8.3f ms  %4.0f%% of the micro-kernel (%.0f)\n",
				bc.name, n, cv.AlgorithmFor(n), gf, best.Seconds()*1e3, 100*gf/k, k)
		}
	}
}

// TestScale compares one worker with two (wall time, best of three).
func TestScale(t *testing.T) {
	if !*tune {
		t.Skip("-tune not set")
	}
	p1, p2 := NewPool(1), NewPool(2)
	for _, bc := range benchConvs {
		for _, n := range []int{1, 8} {
			p := bc.p
			r := rand.New(rand.NewPCG(1, 2))
			cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
			src := randSlice(r, n*p.C*p.H*p.W)
			dst := make([]float32, n*p.Cout*cv.OutH()*cv.OutW())
			scratch := make([]float32, cv.ScratchSize(n))
			ep := Epilogue{Act: actReLU}
			best := [2]time.Duration{1 << 62, 1 << 62}
			for rep := 0; rep < 6; rep++ {
				pool := []*Pool{p1, p2}[rep%2]
				t0 := time.Now()
				iters := 0
				for time.Since(t0) < 50*time.Millisecond {
					cv.Run(pool, dst, src, n, ep, scratch)
					iters++
				}
				best[rep%2] = min(best[rep%2], time.Since(t0)/time.Duration(iters))
			}
			fmt.Printf("%-16s n%d 1 core %7.3f ms, 2 cores %7.3f ms: x%.2f\n", bc.name, n,
				best[0].Seconds()*1e3, best[1].Seconds()*1e3, best[0].Seconds()/best[1].Seconds())
		}
	}
}

func spin(d time.Duration) {
	t := time.Now()
	for time.Since(t) < d {
	}
}

// TestPoolLatency shows how close Run(2) gets to one task's time.
func TestPoolLatency(t *testing.T) {
	if !*tune {
		t.Skip("-tune not set")
	}
	p := NewPool(2)
	for _, d := range []time.Duration{10 * time.Microsecond, 50 * time.Microsecond, 200 * time.Microsecond} {
		best, tot := time.Hour, time.Duration(0)
		for r := 0; r < 200; r++ {
			t0 := time.Now()
			p.Run(2, func(int) { spin(d) })
			e := time.Since(t0)
			best = min(best, e)
			tot += e
		}
		fmt.Printf("2 tasks of %v: best %v, mean %v (serial %v)\n", d, best, tot/200, 2*d)
	}
}
