//go:build amd64 && !purego

package kernel

// The vector activations of act_amd64.s (AVX-512F), for Activate. Each
// sets dst[i] for i < n from src[i] (dst may be src); the assembly gives
// each one's meaning in Go.

//go:noescape
func clampAVX512(dst, src *float32, n int, lo, hi, slope float32)

//go:noescape
func hardSigmoidAVX512(dst, src *float32, n int)

//go:noescape
func hardSwishAVX512(dst, src *float32, n int)

//go:noescape
func siluAVX512(dst, src *float32, n int)

//go:noescape
func geluAVX512(dst, src *float32, n int)

//go:noescape
func geluTanhAVX512(dst, src *float32, n int)

//go:noescape
func eluAVX512(dst, src *float32, n int, neg, pos float32)

//go:noescape
func softplusAVX512(dst, src *float32, n int, beta, invBeta, lo, hi float32)

//go:noescape
func mishAVX512(dst, src *float32, n int)
