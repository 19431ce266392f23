package kernel

// Elementwise operations on float32 slices, AVX-512 where the CPU has it.

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
