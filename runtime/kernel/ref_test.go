package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// isas lists the kernel families this CPU can run, best last.
func isas() []ISA {
	var out []ISA
	for _, i := range []ISA{Generic, AVX2, AVX512} {
		if Supported(i) {
			out = append(out, i)
		}
	}
	return out
}

// forEachISA runs f as a subtest once per supported ISA.
func forEachISA(t *testing.T, f func(t *testing.T)) {
	for _, i := range isas() {
		t.Run(i.String(), func(t *testing.T) {
			old := SetISA(i)
			defer SetISA(old)
			f(t)
		})
	}
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// closeEnough fails t unless max|got-want| <= 1e-4 * max|want|, printing
// the first differing indices.
func closeEnough(t *testing.T, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("len(got) = %d, want %d", len(got), len(want))
	}
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(float64(w)))
	}
	tol := 1e-4 * math.Max(scale, 1e-30)
	bad := 0
	var worst float64
	for i := range got {
		d := math.Abs(float64(got[i]) - float64(want[i]))
		if !(d <= tol) {
			if bad < 5 {
				t.Errorf("[%d] got %g, want %g (diff %.3g > tol %.3g)", i, got[i], want[i], d, tol)
			}
			bad++
		}
		if d > worst || math.IsNaN(d) {
			worst = d
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d elements differ; worst %.3g, max|want| %.3g", bad, len(got), worst, scale)
	}
}

// refGemm computes C = A·B (+bias, +res, act) in float64.
func refGemm(m, n, k int, a []float32, lda int, b []float32, ldb int, bias, res []float32, ldr int, act Activation) []float32 {
	c := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += float64(a[i*lda+p]) * float64(b[p*ldb+j])
			}
			if bias != nil {
				s += float64(bias[i])
			}
			if res != nil {
				s += float64(res[i*ldr+j])
			}
			c[i*n+j] = float32(refAct(act, s))
		}
	}
	return c
}

func refAct(a Activation, s float64) float64 {
	switch a {
	case ActReLU:
		return math.Max(s, 0)
	case ActSigmoid:
		return 1 / (1 + math.Exp(-s))
	case ActTanh:
		return math.Tanh(s)
	case ActLeakyReLU:
		if s < 0 {
			return s * LeakySlope
		}
	}
	return s
}
