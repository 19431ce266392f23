package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc/act"
)

func TestGemm(t *testing.T) {
	sizes := [][3]int{
		{1, 1, 1}, {8, 32, 16}, {12, 32, 7}, {13, 33, 17}, {7, 5, 300},
		{24, 64, 256}, {25, 70, 513}, {64, 300, 600}, {100, 17, 1000},
	}
	forEachISA(t, func(t *testing.T) {
		pool := NewPool(2)
		for _, sz := range sizes {
			for _, ep := range []string{"none", "bias", "bias+res+relu", "sigmoid", "acts", "acts+res"} {
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
						e.Act = actReLU
					case "sigmoid":
						e.Act = act.Func{Kind: act.Sigmoid}
					case "acts", "acts+res":
						e.Bias = randSlice(r, m)
						if ep == "acts+res" {
							e.LDR = n + 5
							e.Residual = randSlice(r, m*e.LDR)
						}
					}
					pa := PackA(m, k, a, lda)
					scratch := make([]float32, pa.ScratchSize(2))
					mul := func(f act.Func) []float32 {
						c := make([]float32, m*ldc)
						e.Act = f
						pa.Mul(pool, c, ldc, b, ldb, n, e, scratch)
						got := make([]float32, 0, m*n)
						for i := 0; i < m; i++ {
							got = append(got, c[i*ldc:i*ldc+n]...)
						}
						return got
					}
					if ep != "acts" && ep != "acts+res" {
						closeEnough(t, mul(e.Act), refGemm(m, n, k, a, lda, b, ldb, e.Bias, e.Residual, e.LDR, e.Act))
						return
					}
					plain := mul(act.Func{})
					for _, f := range append([]act.Func{actReLU}, testActs...) {
						got := mul(f)
						closeEnough(t, got, refGemm(m, n, k, a, lda, b, ldb, e.Bias, e.Residual, e.LDR, f))
						checkAct(t, f, got, plain)
					}
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
	for _, f := range append([]act.Func{actReLU}, testActs...) {
		ep := GemmEpilogue{Bias: randSlice(r, m), Act: f}
		if a := testing.AllocsPerRun(20, func() { pa.Mul(pool, c, n, b, n, n, ep, scratch) }); a != 0 {
			t.Errorf("%v: %v allocations per Mul, want 0", f, a)
		}
	}
}
