package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestGemm(t *testing.T) {
	sizes := [][3]int{
		{1, 1, 1}, {8, 32, 16}, {12, 32, 7}, {13, 33, 17}, {7, 5, 300},
		{24, 64, 256}, {25, 70, 513}, {64, 300, 600}, {100, 17, 1000},
	}
	forEachISA(t, func(t *testing.T) {
		pool := NewPool(2)
		for _, sz := range sizes {
			for _, ep := range []string{"none", "bias", "bias+res+relu", "sigmoid"} {
				m, n, k := sz[0], sz[1], sz[2]
				t.Run(fmt.Sprintf("%dx%dx%d/%s", m, n, k, ep), func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(m), uint64(n*k)))
					lda, ldb, ldc := k+3, n+1, n+2
					a := randSlice(r, m*lda)
					b := randSlice(r, k*ldb)
					var e GemmEpilogue
					switch ep {
					case "bias":
						e.Bias = randSlice(r, m)
					case "bias+res+relu":
						e.Bias = randSlice(r, m)
						e.LDR = n + 5
						e.Residual = randSlice(r, m*e.LDR)
						e.Act = ActReLU
					case "sigmoid":
						e.Act = ActSigmoid
					}
					pa := PackA(m, k, a, lda)
					c := make([]float32, m*ldc)
					pa.Mul(pool, c, ldc, b, ldb, n, e, make([]float32, pa.ScratchSize(2)))
					got := make([]float32, 0, m*n)
					for i := 0; i < m; i++ {
						got = append(got, c[i*ldc:i*ldc+n]...)
					}
					closeEnough(t, got, refGemm(m, n, k, a, lda, b, ldb, e.Bias, e.Residual, e.LDR, e.Act))
				})
			}
		}
	})
}

func TestMulAllocs(t *testing.T) {
	pool := NewPool(2)
	r := rand.New(rand.NewPCG(1, 2))
	const m, n, k = 64, 200, 300
	pa := PackA(m, k, randSlice(r, m*k), k)
	b := randSlice(r, k*n)
	c := make([]float32, m*n)
	scratch := make([]float32, pa.ScratchSize(2))
	ep := GemmEpilogue{Bias: randSlice(r, m), Act: ActReLU}
	if a := testing.AllocsPerRun(20, func() { pa.Mul(pool, c, n, b, n, n, ep, scratch) }); a != 0 {
		t.Errorf("%v allocations per Mul, want 0", a)
	}
}
