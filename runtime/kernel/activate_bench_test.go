package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc/act"
)

// BenchmarkActivate times Activate in place over a 128x56x56 tensor
// (401,408 floats, 1.6 MB: the output of a mid-network convolution) of
// normals scaled by 3, for every kind on each ISA, reporting ns per
// element: BenchmarkActivate/avx512/gelu, .../generic/gelu, and gelu_tanh
// for GELU's tanh approximation.
func BenchmarkActivate(b *testing.B) {
	const n = 128 * 56 * 56
	rng := rand.New(rand.NewPCG(1, 2))
	src := make([]float32, n)
	for i := range src {
		src[i] = float32(rng.NormFloat64() * 3)
	}
	x := make([]float32, n)
	type named struct {
		name string
		f    act.Func
	}
	var fs []named
	for k := act.None + 1; k < act.NumKinds; k++ {
		fs = append(fs, named{act.Table[k].Name, act.Default(k)})
	}
	fs = append(fs, named{"gelu_tanh", act.Func{Kind: act.GELU, A: 1}})
	for _, isa := range []ISA{AVX512, Generic} {
		if !Supported(isa) {
			continue
		}
		for _, f := range fs {
			b.Run(isa.String()+"/"+f.name, func(b *testing.B) {
				defer SetISA(SetISA(isa))
				b.SetBytes(n * 4)
				for b.Loop() {
					b.StopTimer()
					copy(x, src) // the same inputs each time
					b.StartTimer()
					Activate(f.f, x, x)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/elem")
			})
		}
	}
}
