package cnnc_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/cnnc/cnnc"
)

// TestBLAS checks tensor.MatMul under UseBLAS against gonum's product, on
// sizes with tails.
func TestBLAS(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	rand32 := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	for _, s := range [][3]int{{1, 1, 1}, {7, 13, 5}, {64, 3136, 576}, {33, 65, 129}} {
		m, k, n := s[0], s[1], s[2]
		a := tensor.New(tensor.WithShape(m, k), tensor.WithBacking(rand32(m*k)))
		b := tensor.New(tensor.WithShape(k, n), tensor.WithBacking(rand32(k*n)))
		tensor.Use(cnnc.BLAS{}.Implementation)
		want, err := tensor.MatMul(a, b)
		if err != nil {
			t.Fatal(err)
		}
		cnnc.UseBLAS()
		got, err := tensor.MatMul(a, b)
		tensor.Use(cnnc.BLAS{}.Implementation)
		if err != nil {
			t.Fatal(err)
		}
		g, w := got.Data().([]float32), want.Data().([]float32)
		scale := 0.0
		for _, v := range w {
			scale = math.Max(scale, math.Abs(float64(v)))
		}
		for i := range w {
			if math.Abs(float64(g[i]-w[i])) > 1e-5*scale {
				t.Fatalf("%dx%dx%d: element %d is %g, gonum %g", m, k, n, i, g[i], w[i])
			}
		}
	}
}

// BenchmarkMatMul compares tensor.MatMul on gonum's BLAS and on cnnc's.
func BenchmarkMatMul(b *testing.B) {
	const n = 1024
	// Not zeros: gonum skips the zero elements of A.
	data := make([]float32, n*n)
	for i := range data {
		data[i] = float32(i%17) - 8
	}
	x := tensor.New(tensor.WithShape(n, n), tensor.WithBacking(data))
	for _, c := range []struct {
		name string
		use  func()
	}{{"gonum", func() { tensor.Use(cnnc.BLAS{}.Implementation) }}, {"cnnc", cnnc.UseBLAS}} {
		b.Run(c.name, func(b *testing.B) {
			c.use()
			defer tensor.Use(cnnc.BLAS{}.Implementation)
			for b.Loop() {
				if _, err := tensor.MatMul(x, x); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(2*n*n*n/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GFLOPS")
		})
	}
}
