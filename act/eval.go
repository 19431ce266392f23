package act

import "math"

// SELU's fixed constants (nn.SELU).
const (
	SELUAlpha = 1.6732632423543772848170429916717
	SELUScale = 1.0507009873554804934193349852946
)

// Eval computes f at x in float64, exactly as PyTorch defines the module:
// the reference that every float32 implementation is tested against.
func (f Func) Eval(x float64) float64 {
	switch f.Kind {
	case None:
		return x
	case ReLU:
		return math.Max(x, 0)
	case LeakyReLU:
		if x > 0 {
			return x
		}
		return x * f.A
	case ReLU6:
		return math.Min(math.Max(x, 0), 6)
	case HardTanh:
		return math.Min(math.Max(x, f.A), f.B)
	case Sigmoid:
		return 1 / (1 + math.Exp(-x))
	case Tanh:
		return math.Tanh(x)
	case HardSwish:
		return x * math.Min(math.Max(x+3, 0), 6) / 6
	case HardSigmoid:
		return math.Min(math.Max(x+3, 0), 6) / 6
	case SiLU:
		return x / (1 + math.Exp(-x))
	case GELU:
		if f.A != 0 {
			return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
		}
		return 0.5 * x * (1 + math.Erf(x/math.Sqrt2))
	case Mish:
		return x * math.Tanh(softplus(x, 1, 20))
	case ELU:
		if x > 0 {
			return x
		}
		return f.A * math.Expm1(x)
	case SELU:
		if x > 0 {
			return SELUScale * x
		}
		return SELUScale * SELUAlpha * math.Expm1(x)
	case Softplus:
		return softplus(x, f.A, f.B)
	}
	return math.NaN()
}

// softplus is log(1 + exp(beta x)) / beta, and x past the threshold, as
// nn.Softplus computes it.
func softplus(x, beta, threshold float64) float64 {
	if x*beta > threshold {
		return x
	}
	return math.Log1p(math.Exp(x*beta)) / beta
}

// Apply sets dst[i] = f(src[i]) for i < len(dst), computing in float64:
// the portable implementation, and the kernels' fallback for a kind they
// have no vector form of. dst may be src.
func (f Func) Apply(dst, src []float32) {
	if f.Kind == None {
		copy(dst, src)
		return
	}
	for i, v := range src[:len(dst)] {
		dst[i] = float32(f.Eval(float64(v)))
	}
}

// A Clamp is the piecewise-linear form that a matrix product's store can
// apply as it writes each register: y = min(max(x', Lo), Hi) with
// x' = x for x > 0 and Slope*x otherwise. ReLU, ReLU6 and hardtanh are
// clamps with Slope 1, the leaky ReLU a clamp of infinite bounds.
type Clamp struct {
	Lo, Hi, Slope float32
}

// Clamp returns f as a clamp, if it is piecewise linear in that form.
func (f Func) Clamp() (Clamp, bool) {
	inf := float32(math.Inf(1))
	switch f.Kind {
	case None:
		return Clamp{-inf, inf, 1}, true
	case ReLU:
		return Clamp{0, inf, 1}, true
	case ReLU6:
		return Clamp{0, 6, 1}, true
	case HardTanh:
		return Clamp{float32(f.A), float32(f.B), 1}, true
	case LeakyReLU:
		return Clamp{-inf, inf, float32(f.A)}, true
	}
	return Clamp{}, false
}

// Leaky reports whether the clamp scales negative values (Slope is not 1).
func (c Clamp) Leaky() bool { return c.Slope != 1 }

// Apply computes the clamp in float32, as the stores do.
func (c Clamp) Apply(x float32) float32 {
	if x <= 0 {
		x *= c.Slope
	}
	return min(max(x, c.Lo), c.Hi)
}
