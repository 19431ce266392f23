package kernel

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// One Conv runs batches whose sizes need different weight forms, in an
// order that builds each form late from another: every result must still
// be the reference convolution's.
func TestConvForms(t *testing.T) {
	pool := NewPool(2)
	for _, tc := range []struct {
		name  string
		p     ConvParams
		ns    []int
		first string // the only form NewConv builds
	}{
		// transposed at 1 and 2, Winograd from 4, the GEMM at 3.
		{"64x7x7", ConvParams{C: 64, H: 7, W: 7, Cout: 64, KH: 3, KW: 3, PH: 1, PW: 1}, []int{1, 4, 3, 2, 8}, "sn"},
		// the GEMM at 1, Winograd from 2.
		{"16x12x12", ConvParams{C: 16, H: 12, W: 12, Cout: 24, KH: 3, KW: 3, PH: 1, PW: 1}, []int{1, 2, 1, 5}, "a"},
		// Winograd for every batch.
		{"16x24x24", ConvParams{C: 16, H: 24, W: 24, Cout: 16, KH: 3, KW: 3, PH: 1, PW: 1}, []int{1, 3}, "wino"},
		// 1x1: transposed at 1, the GEMM at 8.
		{"1x1", ConvParams{C: 512, H: 4, W: 4, Cout: 40, KH: 1, KW: 1}, []int{1, 8, 1}, "sn"},
		// 1x1 stride 2 onto 32x24: the strided GEMM at 1, the stride-1
		// layer on the subsampled map from 2.
		{"1x1-s2", ConvParams{C: 40, H: 64, W: 48, Cout: 24, KH: 1, KW: 1, SH: 2, SW: 2}, []int{1, 3, 1, 2}, "a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.normalize()
			r := rand.New(rand.NewPCG(5, 6))
			w, bias := randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout)
			cv := NewConv(p, w, bias)
			if isa == AVX512 {
				if got := builtForms(cv); !slices.Equal(got, []string{tc.first}) {
					t.Errorf("NewConv built %v, want only %s", got, tc.first)
				}
			}
			for _, n := range tc.ns {
				src := randSlice(r, n*p.C*p.H*p.W)
				dst := make([]float32, n*p.Cout*cv.OutH()*cv.OutW())
				cv.Run(pool, dst, src, n, Epilogue{}, make([]float32, cv.ScratchSize(n)))
				t.Logf("batch %d: %s", n, cv.AlgorithmFor(n))
				closeEnough(t, dst, refConv(p, w, bias, src, n, nil, actNone))
			}
			t.Logf("forms built: %v", builtForms(cv))
		})
	}
}

func builtForms(c *Conv) []string {
	var f []string
	if c.a != nil {
		f = append(f, "a")
	}
	if c.sn != nil {
		f = append(f, "sn")
	}
	if c.wino != nil {
		f = append(f, "wino")
	}
	if c.sub != nil {
		f = append(f, "sub")
	}
	return f
}

// Goroutines that each bring a new batch size build the forms concurrently
// (run with -race).
func TestConvFormsConcurrent(t *testing.T) {
	pool := NewPool(2)
	p := ConvParams{C: 64, H: 7, W: 7, Cout: 64, KH: 3, KW: 3, PH: 1, PW: 1}
	p.normalize()
	r := rand.New(rand.NewPCG(7, 8))
	w := randSlice(r, p.Cout*p.C*p.KH*p.KW)
	cv := NewConv(p, w, nil)
	ns := []int{1, 2, 3, 4}
	srcs, wants, dsts := make([][]float32, len(ns)), make([][]float32, len(ns)), make([][]float32, len(ns))
	for i, n := range ns {
		srcs[i] = randSlice(r, n*p.C*p.H*p.W)
		wants[i] = refConv(p, w, nil, srcs[i], n, nil, actNone)
		dsts[i] = make([]float32, len(wants[i]))
	}
	var wg sync.WaitGroup
	for i, n := range ns {
		wg.Go(func() {
			cv.Run(pool, dsts[i], srcs[i], n, Epilogue{}, make([]float32, cv.ScratchSize(n)))
		})
	}
	wg.Wait()
	for i := range ns {
		closeEnough(t, dsts[i], wants[i])
	}
}

// Unpacking a packed matrix gives back the matrix, for odd sizes and every
// micro-kernel's row tile.
func TestUnpack(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, mk := range [][2]int{{1, 1}, {7, 300}, {33, 513}, {64, 9}, {100, 260}} {
		m, k := mk[0], mk[1]
		a := randSlice(r, m*k)
		for _, kern := range []kernelID{pickKernel(isa, m), kAVX512x8x32} {
			if kern == kAVX512x8x32 && isa != AVX512 {
				continue
			}
			got := make([]float32, m*k)
			packAFor(kern, m, k, a, k).unpack(got, k)
			if !slices.Equal(got, a) {
				t.Errorf("PackedA %dx%d (%v): unpack differs", m, k, kern)
			}
		}
		got := make([]float32, m*k)
		newSmallN(m, k, a).unpack(got)
		if !slices.Equal(got, a) {
			t.Errorf("smallN %dx%d: unpack differs", m, k)
		}
	}
}
