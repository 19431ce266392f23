package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc/act"
)

// activateFuncs are the activations TestActivate checks: every kind with
// PyTorch's defaults and the parameters that take other paths.
func activateFuncs() []act.Func {
	var fs []act.Func
	for k := range act.NumKinds {
		fs = append(fs, act.Default(k))
	}
	return append(fs,
		act.Func{Kind: act.LeakyReLU, A: -0.3},
		act.Func{Kind: act.LeakyReLU, A: 0.2},
		act.Func{Kind: act.HardTanh, A: -0.5, B: 2},
		act.Func{Kind: act.ELU, A: 0.7},
		act.Func{Kind: act.Softplus, A: 2, B: 5},
		act.Func{Kind: act.Softplus, A: 0.3, B: 5},
		act.Func{Kind: act.Softplus, A: -1.5, B: 3},
		act.Func{Kind: act.GELU, A: 1},
	)
}

// activateTol is how far Activate may be from f.Eval(x) = want: 2e-7 +
// 2e-6 |want|. float32 itself rounds to within 6e-8 |want|; the vector
// forms stay within a fifth of this bound (a scan of every 16th float32
// of magnitude 1e-9 to 120 found at most 1.8e-7 absolute where |want|
// <= 1, and 1e-6 relative where |want| >= 1e-3, gelu tanh's near x = -3.4).
func activateTol(f act.Func, want float64) float64 {
	return 2e-7 + 2e-6*math.Abs(want)
}

// activateInputs are the special values every kind is checked at, with
// the float32 neighbours of the places the kernels change method.
func activateInputs() []float32 {
	inf := math.Inf(1)
	xs := []float64{0, math.Copysign(0, -1), 1e-8, -1e-8, 1e-30, -1e-30, 1e-40, -1e-40,
		3, -3, 20, -20, 87, -87, 88.8, -88.8, 100, -100, 1e30, -1e30,
		3e38, -3e38, inf, -inf, math.NaN()}
	for _, v := range []float64{math.Sqrt2, 2 * math.Sqrt2, 15, 110 / 2, 50, 10, 44, 20 / 0.3, 5.0 / 2, 3 / 1.5} {
		c := float32(v)
		for range 3 {
			c = math.Nextafter32(c, 0)
		}
		for range 7 {
			xs = append(xs, float64(c), -float64(c))
			c = math.Nextafter32(c, float32(inf))
		}
	}
	out := make([]float32, len(xs))
	for i, v := range xs {
		out[i] = float32(v)
	}
	return out
}

// activateSweep is every 1024th float32 from 1e-6 to 30 and a geometric
// sweep from 1e-38 to 3e38, both signs.
func activateSweep() []float32 {
	var xs []float32
	for b := math.Float32bits(1e-6); b <= math.Float32bits(30); b += 1 << 10 {
		v := math.Float32frombits(b)
		xs = append(xs, v, -v)
	}
	for v := 1e-38; v < 3e38; v *= 1.01 {
		xs = append(xs, float32(v), float32(-v))
	}
	return xs
}

// checkActivate compares Activate(f) on x, out of place and in place,
// with f.Eval; it reports the largest error relative to the tolerance,
// the largest absolute error where |want| <= 1 and the largest relative
// one where |want| >= 1e-3.
func checkActivate(t *testing.T, f act.Func, x []float32) (worst, maxAbs, maxRel float64) {
	t.Helper()
	n := len(x)
	// One guard float after dst, which the masked tail must not write.
	got := make([]float32, n+1)
	got[n] = 42
	Activate(f, got[:n], x)
	if got[n] != 42 {
		t.Errorf("%v: Activate of %d wrote past dst", f, n)
	}
	in := append(append([]float32(nil), x...), 42)
	Activate(f, in[:n], in)
	bad := 0
	for i, v := range x {
		want := f.Eval(float64(v))
		g := float64(got[i])
		if math.Float32bits(got[i]) != math.Float32bits(in[i]) {
			t.Errorf("%v(%v): %v out of place, %v in place", f, v, got[i], in[i])
		}
		if math.IsNaN(want) || math.IsNaN(g) {
			if math.IsNaN(want) != math.IsNaN(g) {
				t.Errorf("%v(%v) = %v, want %v", f, v, got[i], want)
			}
			continue
		}
		if math.IsInf(want, 0) || math.IsInf(g, 0) || math.Abs(want) > math.MaxFloat32 {
			if float32(want) != got[i] {
				t.Errorf("%v(%v) = %v, want %v", f, v, got[i], want)
			}
			continue
		}
		d := math.Abs(g - want)
		tol := activateTol(f, want)
		if d > tol {
			if bad++; bad <= 5 {
				t.Errorf("%v(%v) = %v, want %v (error %.3g, allowed %.3g)", f, v, got[i], want, d, tol)
			}
		}
		worst = max(worst, d/tol)
		if math.Abs(want) <= 1 {
			maxAbs = max(maxAbs, d)
		}
		if math.Abs(want) >= 1e-3 {
			maxRel = max(maxRel, d/math.Abs(want))
		}
	}
	if bad > 5 {
		t.Errorf("%v: %d more errors", f, bad-5)
	}
	return
}

// TestActivate checks every activation on every ISA against act's float64
// reference: odd lengths (masked tails), random normals scaled by 6,
// special values, a sweep of magnitudes, in place and out of place.
func TestActivate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	special := activateInputs()
	sweep := activateSweep()
	for _, isa := range []ISA{Generic, AVX512} {
		if !Supported(isa) {
			continue
		}
		old := SetISA(isa)
		for _, f := range activateFuncs() {
			var worst, maxAbs, maxRel float64
			note := func(w, a, r float64) {
				worst, maxAbs, maxRel = max(worst, w), max(maxAbs, a), max(maxRel, r)
			}
			for _, n := range []int{1, 7, 16, 17, 33, 1000} {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(rng.NormFloat64() * 6)
				}
				if n == 1000 {
					copy(x, special)
				}
				note(checkActivate(t, f, x))
			}
			note(checkActivate(t, f, special))
			note(checkActivate(t, f, sweep))
			t.Logf("%v %-16v error <= %.2f of the bound; abs %.2g (|y| <= 1), rel %.2g (|y| >= 1e-3)",
				isa, f, worst, maxAbs, maxRel)
		}
		SetISA(old)
	}
}

// TestActivateLong runs past one assembly call's chunk, with dst shorter
// than src.
func TestActivateLong(t *testing.T) {
	n := 3*vecChunk + 5
	x := make([]float32, n+3)
	for i := range x {
		x[i] = float32(i%201-100) / 10
	}
	for _, f := range activateFuncs() {
		got := make([]float32, n)
		Activate(f, got, x)
		for i, v := range got {
			want := f.Eval(float64(x[i]))
			if d := math.Abs(float64(v) - want); d > activateTol(f, want) {
				t.Fatalf("%v(%v) at %d = %v, want %v", f, x[i], i, v, want)
			}
		}
	}
	Activate(act.Default(act.ReLU), nil, x) // empty dst: nothing to do
}

// TestSoftplusCut checks that the threshold of the vector softplus agrees
// with act's float64 test on the float32s around it.
func TestSoftplusCut(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range [][2]float64{{1, 20}, {2, 5}, {0.3, 5}, {0.7, -3}, {-1.5, 3}, {-0.3, -2}, {3, 0},
		{1, inf}, {1, -inf}, {-2, inf}, {1e-20, 1e30}, {1e20, 1e-30}} {
		beta, th := c[0], c[1]
		lo, hi := softplusCut(beta, th)
		mid := float32(th / beta)
		check := func(x float32) {
			want := float64(x)*beta > th
			if got := lo <= x && x <= hi; got != want {
				t.Errorf("beta %v threshold %v: x = %v passed through: %v, want %v (cut [%v, %v])", beta, th, x, got, want, lo, hi)
			}
		}
		for _, x := range []float32{0, float32(inf), float32(-inf), math.MaxFloat32, -math.MaxFloat32, 1, -1} {
			check(x)
		}
		if !math.IsInf(float64(mid), 0) && mid == mid {
			x := mid
			for range 20 {
				x = math.Nextafter32(x, float32(-inf))
			}
			for range 40 {
				check(x)
				x = math.Nextafter32(x, float32(inf))
			}
		}
	}
}

func ExampleActivate() {
	x := []float32{-2, -0.5, 0, 0.5, 2}
	Activate(act.Func{Kind: act.LeakyReLU, A: 0.1}, x, x)
	fmt.Println(x)
	// Output: [-0.2 -0.05 0 0.5 2]
}
