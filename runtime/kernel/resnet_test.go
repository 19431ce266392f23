package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cnnc/cnnc/act"
)

// resnetStep is one convolution of ResNet-18 wired as in the model: src,
// dst and res name activation buffers (res < 0: no residual).
type resnetStep struct {
	p             ConvParams
	src, dst, res int
	act           act.Func
}

// resnet18 lists torchvision ResNet-18's convolutions (BatchNorm folded)
// in execution order over numbered buffers. Buffer 0 is the image, 1 the
// stem's output; the max-pool is not a kernel here, so layer1 starts from
// buffer 2, a 64x56x56 map standing in for its output.
func resnet18() (steps []resnetStep, sizes []int) {
	sizes = []int{3 * 224 * 224, 64 * 112 * 112, 64 * 56 * 56}
	buf := func(n int) int { sizes = append(sizes, n); return len(sizes) - 1 }
	steps = append(steps, resnetStep{ConvParams{C: 3, H: 224, W: 224, Cout: 64, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}, 0, 1, -1, actReLU})
	x, c, hw := 2, 64, 56
	for stage, cout := range []int{64, 128, 256, 512} {
		for block := 0; block < 2; block++ {
			s := 1
			if stage > 0 && block == 0 {
				s = 2
			}
			ohw := (hw+2-3)/s + 1
			mid, out := buf(cout*ohw*ohw), buf(cout*ohw*ohw)
			idn := x
			steps = append(steps, resnetStep{ConvParams{C: c, H: hw, W: hw, Cout: cout, KH: 3, KW: 3, SH: s, SW: s, PH: 1, PW: 1}, x, mid, -1, actReLU})
			if s == 2 {
				idn = buf(cout * ohw * ohw)
				steps = append(steps, resnetStep{ConvParams{C: c, H: hw, W: hw, Cout: cout, KH: 1, KW: 1, SH: 2, SW: 2}, x, idn, -1, actNone})
			}
			steps = append(steps, resnetStep{ConvParams{C: cout, H: ohw, W: ohw, Cout: cout, KH: 3, KW: 3, PH: 1, PW: 1}, mid, out, idn, actReLU})
			x, c, hw = out, cout, ohw
		}
	}
	return steps, sizes
}

type resnetNet struct {
	steps []resnetStep
	convs []*Conv
	bufs  [][]float32
	scr   []float32
	macs  int64
	n     int
}

func newResnetNet(n int) *resnetNet {
	r := rand.New(rand.NewPCG(1, 2))
	steps, sizes := resnet18()
	net := &resnetNet{steps: steps, n: n}
	for _, sz := range sizes {
		net.bufs = append(net.bufs, randSlice(r, n*sz))
	}
	for _, st := range steps {
		p := st.p
		// Small weights keep activations in range through 20 layers.
		w := randSlice(r, p.Cout*p.C*p.KH*p.KW)
		for i := range w {
			w[i] *= 0.05
		}
		cv := NewConv(p, w, randSlice(r, p.Cout))
		net.convs = append(net.convs, cv)
		net.scr = make([]float32, max(len(net.scr), cv.ScratchSize(n)))
		net.macs += p.MACs() * int64(n)
	}
	return net
}

func (net *resnetNet) step(pool *Pool, i int) {
	st := net.steps[i]
	ep := Epilogue{Act: st.act}
	if st.res >= 0 {
		ep.Residual = net.bufs[st.res]
	}
	net.convs[i].Run(pool, net.bufs[st.dst], net.bufs[st.src], net.n, ep, net.scr)
}

// BenchmarkResNet18Convs runs ResNet-18's convolutions as the model wires
// them (each reads the previous output; bias, ReLU and the residual adds
// fused). Pools and the 512x1000 dense layer are not included.
// onnxruntime runs the whole model in 10.9 ms (batch 1) and 80.5 ms
// (batch 8) on this machine.
func BenchmarkResNet18Convs(b *testing.B) {
	pool := NewPool(0)
	for _, n := range []int{1, 8} {
		b.Run(fmt.Sprintf("n%d", n), func(b *testing.B) {
			net := newResnetNet(n)
			run := func() {
				for i := range net.steps {
					net.step(pool, i)
				}
			}
			run()
			b.ResetTimer()
			for b.Loop() {
				run()
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(sec*1e3, "ms/op")
			b.ReportMetric(2*float64(net.macs)/sec/1e9, "GFLOPS")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// TestResNet18Layers prints each convolution's time within the sequence
// (best of 20 passes), with -tune.
func TestResNet18Layers(t *testing.T) {
	if !*tune {
		t.Skip("-tune not set")
	}
	pool := NewPool(0)
	for _, n := range []int{1, 8} {
		net := newResnetNet(n)
		best := make([]time.Duration, len(net.steps))
		sum := make([]time.Duration, len(net.steps))
		for i := range best {
			best[i] = time.Hour
		}
		const reps = 20
		var wall time.Duration
		for rep := 0; rep < reps; rep++ {
			w0 := time.Now()
			for i := range net.steps {
				t0 := time.Now()
				net.step(pool, i)
				d := time.Since(t0)
				best[i] = min(best[i], d)
				sum[i] += d
			}
			wall += time.Since(w0)
		}
		var tot, mean time.Duration
		for i, cv := range net.convs {
			tot += best[i]
			mean += sum[i] / reps
			fmt.Printf("n%d %-40v %-10s best %7.3f mean %7.3f ms\n", n, cv.Params(), cv.AlgorithmFor(n),
				best[i].Seconds()*1e3, (sum[i]/reps).Seconds()*1e3)
		}
		fmt.Printf("n%d total: best per layer %.3f ms, mean per layer %.3f ms, wall %.3f ms\n", n,
			tot.Seconds()*1e3, mean.Seconds()*1e3, (wall/reps).Seconds()*1e3)
	}
}
