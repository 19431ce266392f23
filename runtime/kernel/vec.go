package kernel

// Elementwise operations on float32 slices, AVX-512 where the CPU has it.

import "math"

// vecChunk bounds one assembly call, which Go cannot preempt.
const vecChunk = 1 << 14

// vec2 runs the assembly f over dst, a and b (at least as long as dst) in
// chunks of vecChunk, and reports whether it did: false where the CPU
// lacks it, leaving the work to the caller's Go loop. An empty dst is done.
func vec2(dst, a, b []float32, f func(dst, a, b *float32, n int)) bool {
	n := len(dst)
	if n == 0 {
		return true
	}
	_, _ = a[n-1], b[n-1]
	if !packAsm {
		return false
	}
	for i := 0; i < n; i += vecChunk {
		f(&dst[i], &a[i], &b[i], min(vecChunk, n-i))
	}
	return true
}

// vec1 is vec2 for one operand.
func vec1(dst, src []float32, f func(dst, src *float32, n int)) bool {
	n := len(dst)
	if n == 0 {
		return true
	}
	_ = src[n-1]
	if !packAsm {
		return false
	}
	for i := 0; i < n; i += vecChunk {
		f(&dst[i], &src[i], min(vecChunk, n-i))
	}
	return true
}

// MaxF32 sets dst[i] = max(a[i], b[i]) for i < len(dst); a and b must be
// at least as long. dst may be a or b. It is the x86 MAXPS: a[i] if
// a[i] > b[i], else b[i] (so a NaN in either gives b[i]).
func MaxF32(dst, a, b []float32) {
	if vec2(dst, a, b, maxAVX512) {
		return
	}
	for i := range dst {
		x, y := a[i], b[i]
		if !(x > y) {
			x = y
		}
		dst[i] = x
	}
}

// AddF32 sets dst[i] = a[i] + b[i] for i < len(dst); dst may be a or b.
func AddF32(dst, a, b []float32) {
	if vec2(dst, a, b, addAVX512) {
		return
	}
	for i := range dst {
		dst[i] = a[i] + b[i]
	}
}

// Sigmoid sets dst[i] = 1 / (1 + exp(-src[i])) for i < len(dst); dst may
// be src. On AVX-512 it runs a float32 exp of about 2 ulp (act_amd64.s);
// elsewhere it is computed in float64.
func Sigmoid(dst, src []float32) {
	if vec1(dst, src, sigmoidAVX512) {
		return
	}
	for i, v := range src[:len(dst)] {
		dst[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
}

// Tanh sets dst[i] = tanh(src[i]) for i < len(dst); dst may be src. On
// AVX-512 it is Cephes' odd polynomial below |x| = 0.625 and
// 1 - 2/(1 + exp(2x)) with the float32 exp of Sigmoid above (error under
// 2e-7 + 2e-6|y|, act_amd64.s); elsewhere math.Tanh.
func Tanh(dst, src []float32) {
	if vec1(dst, src, tanhAVX512) {
		return
	}
	for i, v := range src[:len(dst)] {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// addRelu sets dst[i] = max(a[i] + b[i], 0) for i < len(dst); dst may be
// a or b. A residual sum's epilogue outside the GEMM's stores.
func addRelu(dst, a, b []float32) {
	if vec2(dst, a, b, addReluAVX512) {
		return
	}
	for i := range dst {
		dst[i] = max(a[i]+b[i], 0)
	}
}

// relu clamps x at zero in place, without the branch per element that
// mispredicts on half of them.
func relu(x []float32) {
	n := len(x)
	if packAsm && n > 0 {
		for i := 0; i < n; i += vecChunk {
			reluAVX512(&x[i], min(vecChunk, n-i))
		}
		return
	}
	for i, v := range x {
		if v < 0 {
			x[i] = 0
		}
	}
}
