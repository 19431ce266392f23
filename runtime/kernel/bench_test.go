package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/cnnc/cnnc/act"
)

// BenchmarkMicroKernel times one micro-kernel on L1-resident panels: the
// ceiling every GEMM here aims at.
func BenchmarkMicroKernel(b *testing.B) {
	for _, id := range []kernelID{kAVX512x8x32, kAVX512x12x32, kAVX512x8x16, kAVX2x6x16, kGeneric4x16} {
		if (id == kAVX2x6x16 && !Supported(AVX2)) || (id != kGeneric4x16 && id != kAVX2x6x16 && !Supported(AVX512)) {
			continue
		}
		b.Run(fmt.Sprintf("%dx%d", id.mr(), id.nr()), func(b *testing.B) {
			const k = 256
			r := rand.New(rand.NewPCG(1, 2))
			a := randSlice(r, k*id.mr())
			bb := randSlice(r, k*id.nr())
			c := make([]float32, id.mr()*id.nr())
			kp := kparams{k: k, ldc: 4 * id.nr(), nmask: 1<<id.nr() - 1}
			for b.Loop() {
				callKernel(id, unsafe.Pointer(&a[0]), unsafe.Pointer(&bb[0]), unsafe.Pointer(&c[0]), &kp)
			}
			b.ReportMetric(float64(2*k*id.mr()*id.nr())*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

func BenchmarkSgemm(b *testing.B) {
	for _, sz := range [][3]int{{256, 256, 256}, {512, 3136, 576}, {1024, 1024, 1024}, {512, 49, 4608}} {
		for _, workers := range []int{1, 2} {
			m, n, k := sz[0], sz[1], sz[2]
			b.Run(fmt.Sprintf("%dx%dx%d/w%d", m, n, k, workers), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				pa := PackA(m, k, randSlice(r, m*k), k)
				bm := randSlice(r, k*n)
				c := make([]float32, m*n)
				pool := NewPool(workers)
				scratch := make([]float32, pa.ScratchSize(workers))
				for b.Loop() {
					pa.Mul(pool, c, n, bm, n, n, GemmEpilogue{}, scratch)
				}
				b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		}
	}
}

var benchConvs = []struct {
	name string
	p    ConvParams
}{
	{"stem7x7s2", ConvParams{C: 3, H: 224, W: 224, Cout: 64, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}},
	{"c64_56_3x3", ConvParams{C: 64, H: 56, W: 56, Cout: 64, KH: 3, KW: 3, PH: 1, PW: 1}},
	{"c64_56_3x3s2", ConvParams{C: 64, H: 56, W: 56, Cout: 128, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1}},
	{"c128_56_3x3", ConvParams{C: 128, H: 56, W: 56, Cout: 128, KH: 3, KW: 3, PH: 1, PW: 1}},
	{"c128_28_3x3", ConvParams{C: 128, H: 28, W: 28, Cout: 128, KH: 3, KW: 3, PH: 1, PW: 1}},
	{"c256_14_3x3", ConvParams{C: 256, H: 14, W: 14, Cout: 256, KH: 3, KW: 3, PH: 1, PW: 1}},
	{"c512_7_3x3", ConvParams{C: 512, H: 7, W: 7, Cout: 512, KH: 3, KW: 3, PH: 1, PW: 1}},
	{"c256_56_1x1", ConvParams{C: 256, H: 56, W: 56, Cout: 64, KH: 1, KW: 1}},
	{"c128_28_1x1s2", ConvParams{C: 128, H: 28, W: 28, Cout: 256, KH: 1, KW: 1, SH: 2, SW: 2}},
}

// BenchmarkConv reports GFLOPS = 2 * MACs / time for ResNet-like layers at
// batch 1 and 8 on two workers, bias + ReLU fused.
func BenchmarkConv(b *testing.B) {
	pool := NewPool(0)
	for _, bc := range benchConvs {
		for _, n := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/n%d", bc.name, n), func(b *testing.B) {
				p := bc.p
				r := rand.New(rand.NewPCG(1, 2))
				cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
				src := randSlice(r, n*p.C*p.H*p.W)
				dst := make([]float32, n*p.Cout*cv.OutH()*cv.OutW())
				scratch := make([]float32, cv.ScratchSize(n))
				ep := Epilogue{Act: actReLU}
				cv.Run(pool, dst, src, n, ep, scratch)
				b.ResetTimer()
				for b.Loop() {
					cv.Run(pool, dst, src, n, ep, scratch)
				}
				b.ReportMetric(2*float64(p.MACs())*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
			})
		}
	}
}

// BenchmarkConvAct times the activations on two layers at batch 1: a
// Winograd 3x3 on 56x56 and a transposed 3x3 on 7x7 (the clamps are
// fused into their stores, SiLU runs after them).
func BenchmarkConvAct(b *testing.B) {
	pool := NewPool(0)
	for _, bc := range benchConvs {
		if bc.name != "c128_56_3x3" && bc.name != "c512_7_3x3" {
			continue
		}
		for _, f := range []act.Func{{}, actReLU, {Kind: act.ReLU6}, {Kind: act.LeakyReLU, A: 0.1}, act.Default(act.SiLU)} {
			p := bc.p
			b.Run(fmt.Sprintf("%s/%s", bc.name, f.Info().Name), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
				src := randSlice(r, p.C*p.H*p.W)
				dst := make([]float32, p.Cout*cv.OutH()*cv.OutW())
				scratch := make([]float32, cv.ScratchSize(1))
				ep := Epilogue{Act: f}
				cv.Run(pool, dst, src, 1, ep, scratch)
				b.ResetTimer()
				for b.Loop() {
					cv.Run(pool, dst, src, 1, ep, scratch)
				}
				b.ReportMetric(0, "ns/op")
				b.ReportMetric(b.Elapsed().Seconds()*1e3/float64(b.N), "ms/op")
			})
		}
	}
}

// BenchmarkDense reports the weight bandwidth of VGG-16's first dense
// layer (411 MB of weights) at batch 1 and 4, and GFLOPS at batch 8.
func BenchmarkDense(b *testing.B) {
	const in, out = 25088, 4096
	r := rand.New(rand.NewPCG(1, 2))
	w := randSlice(r, in*out)
	d := NewDense(in, out, w, randSlice(r, out))
	pool := NewPool(0)
	for _, n := range []int{1, 4, 8} {
		b.Run(fmt.Sprintf("25088x4096/n%d", n), func(b *testing.B) {
			x := randSlice(r, n*in)
			y := make([]float32, n*out)
			d.Run(pool, y, x, n, actReLU)
			b.ResetTimer()
			for b.Loop() {
				d.Run(pool, y, x, n, actReLU)
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(4*in*out/sec/1e9, "GB/s")
			b.ReportMetric(2*float64(in*out*n)/sec/1e9, "GFLOPS")
			b.ReportMetric(sec*1e3, "ms/op")
			b.ReportMetric(0, "ns/op")
		})
	}
}
