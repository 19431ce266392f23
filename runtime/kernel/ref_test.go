package kernel

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc/act"
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
	var scale float64
	for _, w := range want {
		scale = math.Max(scale, math.Abs(float64(w)))
	}
	closeTo(t, got, want, scale)
}

// closeTo is closeEnough with the tolerance 1e-4 * scale: an activated
// output is as accurate as the values it was computed from, whose scale
// hardtanh's bounds or a sigmoid hide.
func closeTo(t *testing.T, got, want []float32, scale float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("len(got) = %d, want %d", len(got), len(want))
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

// refGemm computes C = A·B (+bias, +res, f) in float64.
func refGemm(m, n, k int, a []float32, lda int, b []float32, ldb int, bias, res []float32, ldr int, f act.Func) []float32 {
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
			c[i*n+j] = float32(f.Eval(s))
		}
	}
	return c
}

var (
	actNone = act.Func{}
	actReLU = act.Func{Kind: act.ReLU}
)

// testActs are the activations every store path is tested with besides
// none and ReLU: the clamps with both bounds, a lower bound not at zero,
// positive and negative leaky slopes, and one kind that is no clamp.
var testActs = []act.Func{
	{Kind: act.ReLU6},
	{Kind: act.HardTanh, A: -0.5, B: 2},
	{Kind: act.LeakyReLU, A: 0.2},
	{Kind: act.LeakyReLU, A: -0.3},
	act.Default(act.SiLU),
}

// checkAct checks got, a kernel's output with activation f, against its
// output without one, plain: for a clamp, got[i] must be
// f.Clamp().Apply(plain[i]) exactly (the stores compute in float32 what
// act.Clamp.Apply does); for other kinds, f's float64 value within
// closeEnough's tolerance.
func checkAct(t *testing.T, f act.Func, got, plain []float32) {
	t.Helper()
	c, ok := f.Clamp()
	want := make([]float32, len(plain))
	for i, v := range plain {
		if ok {
			want[i] = c.Apply(v)
		} else {
			want[i] = float32(f.Eval(float64(v)))
		}
	}
	if !ok {
		closeEnough(t, got, want)
		return
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			if bad < 5 {
				t.Errorf("%v: [%d] got %g, want %g = clamp(%g)", f, i, got[i], want[i], plain[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Fatalf("%v: %d of %d elements differ from act.Clamp.Apply", f, bad, len(got))
	}
}
