package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc/act"
)

func refDense(in, out int, w, bias, x []float32, n int, f act.Func) []float32 {
	y := make([]float32, n*out)
	for v := 0; v < n; v++ {
		for o := 0; o < out; o++ {
			var s float64
			if bias != nil {
				s = float64(bias[o])
			}
			for k := 0; k < in; k++ {
				s += float64(w[o*in+k]) * float64(x[v*in+k])
			}
			y[v*out+o] = float32(f.Eval(s))
		}
	}
	return y
}

func TestDense(t *testing.T) {
	sizes := [][2]int{{1, 1}, {3, 2}, {16, 4}, {17, 5}, {100, 37}, {1000, 130}, {4099, 67}}
	forEachISA(t, func(t *testing.T) {
		pool := NewPool(2)
		for _, sz := range sizes {
			for _, n := range []int{1, 2, 3, 4, 5, 8, 9, 17} {
				for _, f := range []act.Func{{}, actReLU, {Kind: act.Sigmoid}} {
					in, out := sz[0], sz[1]
					t.Run(fmt.Sprintf("%dx%d/n%d/%v", in, out, n, f), func(t *testing.T) {
						r := rand.New(rand.NewPCG(uint64(in), uint64(out)))
						w := randSlice(r, in*out)
						x := randSlice(r, n*in)
						var bias []float32
						if f.Kind != act.None {
							bias = randSlice(r, out)
						}
						d := NewDense(in, out, w, bias)
						y := make([]float32, n*out)
						d.Run(pool, y, x, n, f)
						closeEnough(t, y, refDense(in, out, w, bias, x, n, f))
					})
				}
				in, out := sz[0], sz[1]
				t.Run(fmt.Sprintf("%dx%d/n%d/acts", in, out, n), func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(out), uint64(in)))
					w := randSlice(r, in*out)
					x := randSlice(r, n*in)
					bias := randSlice(r, out)
					d := NewDense(in, out, w, bias)
					plain := make([]float32, n*out)
					d.Run(pool, plain, x, n, act.Func{})
					for _, f := range testActs {
						y := make([]float32, n*out)
						d.Run(pool, y, x, n, f)
						closeEnough(t, y, refDense(in, out, w, bias, x, n, f))
						checkAct(t, f, y, plain)
					}
				})
			}
		}
	})
}

func TestDenseAllocs(t *testing.T) {
	pool := NewPool(2)
	r := rand.New(rand.NewPCG(1, 2))
	d := NewDense(300, 70, randSlice(r, 300*70), randSlice(r, 70))
	for _, n := range []int{1, 4, 8, 12} {
		x := randSlice(r, n*300)
		y := make([]float32, n*70)
		d.Run(pool, y, x, n, actReLU) // the first batch > 8 packs W
		for _, f := range append([]act.Func{actReLU}, testActs...) {
			if a := testing.AllocsPerRun(20, func() { d.Run(pool, y, x, n, f) }); a != 0 {
				t.Errorf("n=%d %v: %v allocations per Run, want 0", n, f, a)
			}
		}
	}
}
