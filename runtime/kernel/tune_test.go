package kernel

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
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
	for _, bc := range benchConvs {
		for _, n := range []int{1, 8} {
			p := bc.p
			r := rand.New(rand.NewPCG(1, 2))
			cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
			src := randSlice(r, n*p.C*p.H*p.W)
			dst := make([]float32, n*p.Cout*cv.OutH()*cv.OutW())
			scratch := make([]float32, cv.ScratchSize(n))
			ep := Epilogue{Act: ActReLU}
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
			fmt.Printf("%-16s n%d %-9s %7.1f GFLOPS/core %8.3f ms\n", bc.name, n, cv.AlgorithmFor(n),
				2*float64(p.MACs())*float64(n)/best.Seconds()/1e9, best.Seconds()*1e3)
		}
	}
}
