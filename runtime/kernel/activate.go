package kernel

import (
	"math"

	"github.com/cnnc/cnnc/act"
)

// Activate sets dst[i] = f(src[i]) for i < len(dst); src must be at least
// as long, and dst may be src. On AVX-512 (SetISA(AVX512), the default
// where the CPU has it) every kind runs vectorised in float32
// (act_amd64.s), within 2e-7 + 2e-6 |f(x)| of act.Func.Eval (the bound
// activate_test.go checks; the largest error found is a fifth of it);
// elsewhere the piecewise-linear kinds run in float32, which is exact,
// and the others in float64 (activateGo).
//
// Both follow PyTorch at the edges: no overflow to Inf where the result is
// finite, and NaN for a NaN input and where PyTorch's formula itself gives
// NaN (hardswish, silu, gelu and mish at -Inf, which are -Inf * 0).
func Activate(f act.Func, dst, src []float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	src = src[:n]
	if packAsm && activateAVX512(f, dst, src) {
		return
	}
	activateGo(f, dst, src)
}

// activateGo is Activate in Go: the clamps in float32, exact; the others
// in float64 by act.Func.Eval's formulas or, where they cost more or
// cancel, equal ones (those of the assembly, in float64).
func activateGo(f act.Func, dst, src []float32) {
	switch f.Kind {
	case act.None:
		copy(dst, src)
	case act.ReLU:
		for i, v := range src {
			dst[i] = max(v, 0)
		}
	case act.ReLU6, act.HardTanh:
		c, _ := f.Clamp()
		for i, v := range src {
			dst[i] = min(max(v, c.Lo), c.Hi)
		}
	case act.LeakyReLU:
		// Without a branch, which mispredicts on half the elements: one
		// of the terms is 0, so the sum is exact.
		a := float32(f.A)
		for i, v := range src {
			dst[i] = max(v, 0) + a*min(v, 0)
		}
	case act.Sigmoid:
		Sigmoid(dst, src)
	case act.Tanh:
		Tanh(dst, src)
	case act.HardSwish:
		for i, v := range src {
			x := float64(v)
			dst[i] = float32(x * min(max(x+3, 0), 6) / 6)
		}
	case act.HardSigmoid:
		for i, v := range src {
			dst[i] = float32(min(max(float64(v)+3, 0), 6) / 6)
		}
	case act.SiLU:
		for i, v := range src {
			x := float64(v)
			dst[i] = float32(x / (1 + math.Exp(-x)))
		}
	case act.GELU:
		if f.A != 0 {
			// 0.5 (1 + tanh(u)) = 1 / (1 + exp(-2u)).
			const c = 2 * 0.7978845608028654 // 2 sqrt(2/pi)
			for i, v := range src {
				x := float64(v)
				dst[i] = float32(x / (1 + math.Exp(-c*(x+0.044715*x*x*x))))
			}
			break
		}
		for i, v := range src {
			x := float64(v)
			dst[i] = float32(0.5 * x * math.Erfc(-x/math.Sqrt2))
		}
	case act.Mish:
		// tanh(log1p(e)) = m / (m + 2) with m = e (e + 2) = (1+e)^2 - 1,
		// which is 1 in float64 past x = 20.
		for i, v := range src {
			x := float64(v)
			e := math.Exp(min(x, 20))
			m := e * (e + 2)
			dst[i] = float32(x * (m / (m + 2)))
		}
	case act.ELU, act.SELU:
		neg, pos := f.A, 1.0
		if f.Kind == act.SELU {
			neg, pos = act.SELUScale*act.SELUAlpha, act.SELUScale
		}
		for i, v := range src {
			x := float64(v)
			if x > 0 {
				x *= pos
			} else {
				x = neg * math.Expm1(x)
			}
			dst[i] = float32(x)
		}
	default:
		f.Apply(dst, src)
	}
}

// activateAVX512 runs f's vector form over dst and src, of one length
// over 0, and reports whether f has one.
func activateAVX512(f act.Func, dst, src []float32) bool {
	var p [4]float32 // the kind's parameters, as its kernel takes them
	switch f.Kind {
	case act.None:
		copy(dst, src)
		return true
	case act.ReLU, act.LeakyReLU, act.ReLU6, act.HardTanh:
		c, _ := f.Clamp()
		p = [4]float32{c.Lo, c.Hi, c.Slope}
	case act.ELU:
		p = [4]float32{float32(f.A), 1}
	case act.SELU:
		p = [4]float32{float32(act.SELUScale * act.SELUAlpha), float32(act.SELUScale)}
	case act.Softplus:
		// beta and 1/beta both finite and normal in float32.
		if b := math.Abs(f.A); !(b >= 1e-30 && b <= 1e30) {
			return false
		}
		lo, hi := softplusCut(f.A, f.B)
		p = [4]float32{float32(f.A), float32(1 / f.A), lo, hi}
	case act.Sigmoid, act.Tanh, act.HardSwish, act.HardSigmoid, act.SiLU, act.GELU, act.Mish:
	default:
		return false
	}
	n := len(dst)
	for i := 0; i < n; i += vecChunk {
		d, s, m := &dst[i], &src[i], min(vecChunk, n-i)
		switch f.Kind {
		case act.ReLU, act.LeakyReLU, act.ReLU6, act.HardTanh:
			clampAVX512(d, s, m, p[0], p[1], p[2])
		case act.Sigmoid:
			sigmoidAVX512(d, s, m)
		case act.Tanh:
			tanhAVX512(d, s, m)
		case act.HardSwish:
			hardSwishAVX512(d, s, m)
		case act.HardSigmoid:
			hardSigmoidAVX512(d, s, m)
		case act.SiLU:
			siluAVX512(d, s, m)
		case act.GELU:
			if f.A != 0 {
				geluTanhAVX512(d, s, m)
			} else {
				geluAVX512(d, s, m)
			}
		case act.Mish:
			mishAVX512(d, s, m)
		case act.ELU, act.SELU:
			eluAVX512(d, s, m, p[0], p[1])
		case act.Softplus:
			softplusAVX512(d, s, m, p[0], p[1], p[2], p[3])
		}
	}
	return true
}

// softplusCut returns the float32 inputs that softplus passes through,
// [lo, hi]: those x with float64(x)*beta > threshold, the test of
// act.Func.Eval, decided once here so that the kernel agrees with it on
// every float32 (comparing beta*x in float32 would not, at a beta with no
// exact float32). The interval is empty (lo > hi) if there are none.
func softplusCut(beta, threshold float64) (lo, hi float32) {
	inf := float32(math.Inf(1))
	if beta < 0 {
		c, ok := firstAbove(-beta, threshold)
		if !ok {
			return inf, -inf
		}
		return -inf, -c // x*beta > t for -x >= c
	}
	c, ok := firstAbove(beta, threshold)
	if !ok {
		return inf, -inf
	}
	return c, inf
}

// firstAbove returns the least float32 x with float64(x)*beta > t, for
// beta > 0 (where x*beta grows with x), and whether there is one.
func firstAbove(beta, t float64) (float32, bool) {
	inf := float32(math.Inf(1))
	above := func(x float32) bool { return float64(x)*beta > t }
	c := float32(t / beta)
	if c != c {
		return 0, false
	}
	for c != -inf {
		d := math.Nextafter32(c, -inf)
		if !above(d) {
			break
		}
		c = d
	}
	for !above(c) {
		if c == inf {
			return 0, false
		}
		c = math.Nextafter32(c, inf)
	}
	return c, true
}
