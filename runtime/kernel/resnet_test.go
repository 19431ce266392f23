package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// resnet18Convs lists torchvision ResNet-18's convolutions (BatchNorm
// folded), in execution order; the max-pool after the stem is replaced by
// starting layer1 from a fresh 56x56 input.
func resnet18Convs() []ConvParams {
	cs := []ConvParams{{C: 3, H: 224, W: 224, Cout: 64, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}}
	c, hw := 64, 56
	for stage, cout := range []int{64, 128, 256, 512} {
		for block := 0; block < 2; block++ {
			s := 1
			if stage > 0 && block == 0 {
				s = 2
			}
			cs = append(cs, ConvParams{C: c, H: hw, W: hw, Cout: cout, KH: 3, KW: 3, SH: s, SW: s, PH: 1, PW: 1})
			ohw := (hw+2-3)/s + 1
			cs = append(cs, ConvParams{C: cout, H: ohw, W: ohw, Cout: cout, KH: 3, KW: 3, PH: 1, PW: 1})
			if s == 2 {
				cs = append(cs, ConvParams{C: c, H: hw, W: hw, Cout: cout, KH: 1, KW: 1, SH: 2, SW: 2})
			}
			c, hw = cout, ohw
		}
	}
	return cs
}

// BenchmarkResNet18Convs runs every convolution of ResNet-18 back to back
// (bias + ReLU fused; the graph's pools and its 512x1000 dense layer are
// not included), the kernels' share of a forward pass. onnxruntime does the
// whole model in 10.9 ms (batch 1) and 80.5 ms (batch 8) on this machine.
func BenchmarkResNet18Convs(b *testing.B) {
	pool := NewPool(0)
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprintf("n%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			type layer struct {
				cv       *Conv
				src, dst []float32
			}
			var ls []layer
			var scratch []float32
			var macs int64
			for _, p := range resnet18Convs() {
				cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
				ls = append(ls, layer{cv, randSlice(r, n*p.C*p.H*p.W), make([]float32, n*p.Cout*cv.OutH()*cv.OutW())})
				if s := cv.ScratchSize(n); s > len(scratch) {
					scratch = make([]float32, s)
				}
				macs += p.MACs() * int64(n)
			}
			run := func() {
				for _, l := range ls {
					l.cv.Run(pool, l.dst, l.src, n, Epilogue{Act: ActReLU}, scratch)
				}
			}
			run()
			b.ResetTimer()
			for b.Loop() {
				run()
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(sec*1e3, "ms/op")
			b.ReportMetric(2*float64(macs)/sec/1e9, "GFLOPS")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// TestResNet18Layers prints each convolution's time within the sequence.
func TestResNet18Layers(t *testing.T) {
	if !*tune {
		t.Skip("-tune not set")
	}
	pool := NewPool(0)
	n := 1
	r := rand.New(rand.NewPCG(1, 2))
	type layer struct {
		cv       *Conv
		src, dst []float32
	}
	var ls []layer
	var scratch []float32
	for _, p := range resnet18Convs() {
		cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
		ls = append(ls, layer{cv, randSlice(r, n*p.C*p.H*p.W), make([]float32, n*p.Cout*cv.OutH()*cv.OutW())})
		scratch = make([]float32, max(len(scratch), cv.ScratchSize(n)))
	}
	best := make([]time.Duration, len(ls))
	for i := range best {
		best[i] = time.Hour
	}
	for rep := 0; rep < 20; rep++ {
		for i, l := range ls {
			t0 := time.Now()
			l.cv.Run(pool, l.dst, l.src, n, Epilogue{Act: ActReLU}, scratch)
			best[i] = min(best[i], time.Since(t0))
		}
	}
	var tot time.Duration
	for i, l := range ls {
		tot += best[i]
		fmt.Printf("%-40v %-10s %8.3f ms\n", l.cv.Params(), l.cv.AlgorithmFor(n), best[i].Seconds()*1e3)
	}
	fmt.Printf("total (best per layer) %.3f ms\n", tot.Seconds()*1e3)
}
