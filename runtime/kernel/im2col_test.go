package kernel

import "testing"

// The strided gathers must read nothing past the last element they use:
// the source here ends exactly there.
func TestGatherCols(t *testing.T) {
	if !Supported(AVX512) {
		t.Skip("no AVX-512")
	}
	for _, step := range []int{2, 3, 4} {
		for n := 1; n <= 40; n++ {
			src := make([]float32, (n-1)*step+1)
			for i := range src {
				src[i] = float32(i)
			}
			dst := make([]float32, n+1)
			dst[n] = -1
			if step == 2 {
				gatherS2AVX512(&dst[0], &src[0], n)
			} else {
				gatherSAVX512(&dst[0], &src[0], n, step)
			}
			for i := 0; i < n; i++ {
				if dst[i] != float32(i*step) {
					t.Fatalf("step %d n %d: dst[%d] = %g, want %d", step, n, i, dst[i], i*step)
				}
			}
			if dst[n] != -1 {
				t.Fatalf("step %d n %d: wrote past n", step, n)
			}
		}
	}
}
