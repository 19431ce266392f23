package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"
)

// BenchmarkMicroKernel times one micro-kernel on L1-resident panels: the
// ceiling every GEMM here aims at.
func BenchmarkMicroKernel(b *testing.B) {
	for _, id := range []kernelID{kAVX512x8x32, kAVX512x12x32, kAVX2x6x16, kGeneric4x16} {
		if (id == kAVX2x6x16 && !Supported(AVX2)) || (id != kGeneric4x16 && id != kAVX2x6x16 && !Supported(AVX512)) {
			continue
		}
		b.Run(fmt.Sprintf("%dx%d", id.mr(), id.nr()), func(b *testing.B) {
			const k = 256
			r := rand.New(rand.NewPCG(1, 2))
			a := randSlice(r, k*id.mr())
			bb := randSlice(r, k*id.nr())
			c := make([]float32, id.mr()*id.nr())
			kp := kparams{k: k, ldc: 4 * id.nr()}
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
