package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestActivations checks the vector sigmoid and tanh against float64 on
// odd lengths (masked tails), the saturated ranges, zeros, infinities and
// NaN.
func TestActivations(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-8, -1e-8, 87, -87, 88.8, -88.8, 100, -100, 1e30, -1e30,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for _, isa := range []ISA{Generic, AVX512} {
		if !Supported(isa) {
			continue
		}
		old := SetISA(isa)
		for _, n := range []int{1, 7, 16, 17, 33, 1000} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 6)
			}
			if n == 1000 {
				copy(x, special)
			}
			for _, f := range []struct {
				name string
				run  func(d, s []float32)
				ref  func(float64) float64
			}{
				{"sigmoid", Sigmoid, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
				{"tanh", Tanh, math.Tanh},
			} {
				got := make([]float32, n)
				f.run(got, x)
				inPlace := append([]float32(nil), x...)
				f.run(inPlace, inPlace)
				for i, v := range x {
					want := f.ref(float64(v))
					if math.IsNaN(want) {
						if !math.IsNaN(float64(got[i])) {
							t.Errorf("%v %s(NaN) = %v", isa, f.name, got[i])
						}
						continue
					}
					if d := math.Abs(float64(got[i]) - want); d > 2e-7+1e-6*math.Abs(want) || got[i] != inPlace[i] {
						t.Errorf("%v %s(%v) = %v (in place %v), want %v", isa, f.name, v, got[i], inPlace[i], want)
					}
				}
			}
		}
		SetISA(old)
	}
}
