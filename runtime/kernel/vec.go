package kernel

// Elementwise operations on float32 slices, AVX-512 where the CPU has it.

import "math"

// vecChunk bounds one assembly call, which Go cannot preempt.
const vecChunk = 1 << 14

// MaxF32 sets dst[i] = max(a[i], b[i]) for i < len(dst); a and b must be
// at least as long. dst may be a or b. It is the x86 MAXPS: a[i] if
// a[i] > b[i], else b[i] (so a NaN in either gives b[i]).
func MaxF32(dst, a, b []float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	_, _ = a[n-1], b[n-1]
	if packAsm {
		for i := 0; i < n; i += vecChunk {
			m := min(vecChunk, n-i)
			maxAVX512(&dst[i], &a[i], &b[i], m)
		}
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
	n := len(dst)
	if n == 0 {
		return
	}
	_, _ = a[n-1], b[n-1]
	if packAsm {
		for i := 0; i < n; i += vecChunk {
			m := min(vecChunk, n-i)
			addAVX512(&dst[i], &a[i], &b[i], m)
		}
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
	n := len(dst)
	if n == 0 {
		return
	}
	_ = src[n-1]
	if packAsm {
		for i := 0; i < n; i += vecChunk {
			sigmoidAVX512(&dst[i], &src[i], min(vecChunk, n-i))
		}
		return
	}
	for i, v := range src[:n] {
		dst[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
}

// Tanh sets dst[i] = tanh(src[i]) for i < len(dst); dst may be src. On
// AVX-512 it is 1 - 2/(1 + exp(2x)) with the float32 exp of Sigmoid
// (absolute error under 1e-7); elsewhere math.Tanh.
func Tanh(dst, src []float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	_ = src[n-1]
	if packAsm {
		for i := 0; i < n; i += vecChunk {
			tanhAVX512(&dst[i], &src[i], min(vecChunk, n-i))
		}
		return
	}
	for i, v := range src[:n] {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// addRelu sets dst[i] = max(a[i] + b[i], 0) for i < len(dst); dst may be
// a or b. A residual sum's epilogue outside the GEMM's stores.
func addRelu(dst, a, b []float32) {
	n := len(dst)
	if n == 0 {
		return
	}
	_, _ = a[n-1], b[n-1]
	if packAsm {
		for i := 0; i < n; i += vecChunk {
			addReluAVX512(&dst[i], &a[i], &b[i], min(vecChunk, n-i))
		}
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
