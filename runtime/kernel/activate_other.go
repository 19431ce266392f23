//go:build !amd64 || purego

package kernel

func clampAVX512(dst, src *float32, n int, lo, hi, slope float32) { panic("unreachable") }
func hardSigmoidAVX512(dst, src *float32, n int)                  { panic("unreachable") }
func hardSwishAVX512(dst, src *float32, n int)                    { panic("unreachable") }
func siluAVX512(dst, src *float32, n int)                         { panic("unreachable") }
func geluAVX512(dst, src *float32, n int)                         { panic("unreachable") }
func geluTanhAVX512(dst, src *float32, n int)                     { panic("unreachable") }
func eluAVX512(dst, src *float32, n int, neg, pos float32)        { panic("unreachable") }
func mishAVX512(dst, src *float32, n int)                         { panic("unreachable") }

func softplusAVX512(dst, src *float32, n int, beta, invBeta, lo, hi float32) {
	panic("unreachable")
}
