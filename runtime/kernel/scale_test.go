package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

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
			ep := Epilogue{Act: ActReLU}
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
