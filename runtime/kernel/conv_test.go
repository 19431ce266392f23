package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/cnnc/cnnc/act"
)

// refConv is the textbook convolution in float64: dst [n, Cout, OH, OW].
func refConv(p ConvParams, w, bias, src []float32, n int, res []float32, f act.Func) []float32 {
	return refActivate(refConvPre(p, w, bias, src, n, res), f)
}

// refActivate returns f(x) for x in pre, rounded to float32.
func refActivate(pre []float64, f act.Func) []float32 {
	dst := make([]float32, len(pre))
	for i, s := range pre {
		dst[i] = float32(f.Eval(s))
	}
	return dst
}

// refConvPre is refConv before the activation, in float64.
func refConvPre(p ConvParams, w, bias, src []float32, n int, res []float32) []float64 {
	p.normalize()
	oh, ow := p.OutH(), p.OutW()
	cg, mg := p.C/p.Groups, p.Cout/p.Groups
	dst := make([]float64, n*p.Cout*oh*ow)
	for img := 0; img < n; img++ {
		for o := 0; o < p.Cout; o++ {
			g := o / mg
			for y := 0; y < oh; y++ {
				for x := 0; x < ow; x++ {
					var s float64
					if bias != nil {
						s = float64(bias[o])
					}
					for ci := 0; ci < cg; ci++ {
						c := g*cg + ci
						for kh := 0; kh < p.KH; kh++ {
							ih := y*p.SH - p.PH + kh*p.DH
							if ih < 0 || ih >= p.H {
								continue
							}
							for kw := 0; kw < p.KW; kw++ {
								iw := x*p.SW - p.PW + kw*p.DW
								if iw < 0 || iw >= p.W {
									continue
								}
								s += float64(w[((o*cg+ci)*p.KH+kh)*p.KW+kw]) * float64(src[((img*p.C+c)*p.H+ih)*p.W+iw])
							}
						}
					}
					i := ((img*p.Cout+o)*oh+y)*ow + x
					if res != nil {
						s += float64(res[i])
					}
					dst[i] = s
				}
			}
		}
	}
	return dst
}

type convCase struct {
	name string
	p    ConvParams
	n    int
}

func convCases(short bool) []convCase {
	cs := []convCase{
		{"1x1", ConvParams{C: 19, H: 9, W: 11, Cout: 21, KH: 1, KW: 1}, 1},
		{"1x1-batch3", ConvParams{C: 32, H: 7, W: 7, Cout: 40, KH: 1, KW: 1}, 3},
		{"1x1-inplace", ConvParams{C: 20, H: 8, W: 10, Cout: 20, KH: 1, KW: 1}, 2},
		{"1x1-inplace-kblocks", ConvParams{C: 300, H: 4, W: 16, Cout: 16, KH: 1, KW: 1}, 1},
		{"1x1-s2", ConvParams{C: 16, H: 15, W: 13, Cout: 24, KH: 1, KW: 1, SH: 2, SW: 2}, 2},
		{"3x3-p1", ConvParams{C: 17, H: 20, W: 23, Cout: 33, KH: 3, KW: 3, PH: 1, PW: 1}, 1},
		{"3x3-p1-batch2", ConvParams{C: 8, H: 14, W: 14, Cout: 16, KH: 3, KW: 3, PH: 1, PW: 1}, 2},
		{"3x3-s2", ConvParams{C: 12, H: 17, W: 16, Cout: 20, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1}, 3},
		{"3x3-nopad", ConvParams{C: 5, H: 10, W: 40, Cout: 9, KH: 3, KW: 3}, 1},
		{"5x5-p2", ConvParams{C: 6, H: 13, W: 12, Cout: 16, KH: 5, KW: 5, PH: 2, PW: 2}, 2},
		{"7x7-s2-stem", ConvParams{C: 3, H: 45, W: 38, Cout: 16, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}, 2},
		{"11x11-s4", ConvParams{C: 3, H: 51, W: 47, Cout: 24, KH: 11, KW: 11, SH: 4, SW: 4, PH: 2, PW: 2}, 1},
		{"dilation2", ConvParams{C: 7, H: 16, W: 18, Cout: 10, KH: 3, KW: 3, PH: 2, PW: 2, DH: 2, DW: 2}, 2},
		{"5x5-s2-wide", ConvParams{C: 3, H: 21, W: 90, Cout: 10, KH: 5, KW: 5, SH: 2, SW: 2, PH: 2, PW: 2}, 2},
		{"3x3-s3-wide", ConvParams{C: 3, H: 9, W: 220, Cout: 10, KH: 3, KW: 3, SH: 3, SW: 3, PH: 1, PW: 1}, 2},
		{"planes-5x5", ConvParams{C: 8, H: 11, W: 13, Cout: 56, KH: 5, KW: 5, PH: 2, PW: 2}, 2},
		{"planes-3x3-s2-wide", ConvParams{C: 6, H: 30, W: 70, Cout: 50, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1}, 1},
		{"planes-7x7-s3", ConvParams{C: 5, H: 20, W: 110, Cout: 49, KH: 7, KW: 7, SH: 3, SW: 3, PH: 3, PW: 3}, 2},
		{"direct-7x7-s2", ConvParams{C: 3, H: 60, W: 70, Cout: 20, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}, 2},
		{"direct-11x11-s4", ConvParams{C: 3, H: 40, W: 131, Cout: 16, KH: 11, KW: 11, SH: 4, SW: 4, PH: 2, PW: 2}, 1},
		{"direct-kblocks", ConvParams{C: 4, H: 12, W: 40, Cout: 9, KH: 9, KW: 9, PH: 4, PW: 4}, 2},
		{"direct-16wide", ConvParams{C: 6, H: 14, W: 14, Cout: 16, KH: 5, KW: 5}, 3},
		{"direct-16wide-s2", ConvParams{C: 3, H: 21, W: 25, Cout: 12, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1}, 2},
		{"direct-lenet", ConvParams{C: 1, H: 28, W: 28, Cout: 6, KH: 5, KW: 5, PH: 2, PW: 2}, 3},
		{"1x7-wide", ConvParams{C: 4, H: 5, W: 70, Cout: 9, KH: 1, KW: 7, PW: 3}, 2},
		{"rect-kernel", ConvParams{C: 4, H: 9, W: 12, Cout: 8, KH: 1, KW: 7, PH: 0, PW: 3}, 1},
		{"groups2", ConvParams{C: 12, H: 11, W: 10, Cout: 18, KH: 3, KW: 3, PH: 1, PW: 1, Groups: 2}, 2},
		{"depthwise", ConvParams{C: 10, H: 12, W: 9, Cout: 10, KH: 3, KW: 3, SH: 2, SW: 1, PH: 1, PW: 1, Groups: 10}, 2},
		{"depthwise-x2", ConvParams{C: 4, H: 8, W: 8, Cout: 8, KH: 5, KW: 5, PH: 2, PW: 2, Groups: 4}, 1},
		{"merged-1x1", ConvParams{C: 40, H: 5, W: 5, Cout: 24, KH: 1, KW: 1}, 3},
		{"merged-3x3", ConvParams{C: 8, H: 4, W: 6, Cout: 12, KH: 3, KW: 3, PH: 1, PW: 1}, 4},
		{"small-map-batch3", ConvParams{C: 24, H: 7, W: 7, Cout: 36, KH: 3, KW: 3, PH: 1, PW: 1}, 3},
		{"transposed-7x7", ConvParams{C: 64, H: 7, W: 7, Cout: 40, KH: 3, KW: 3, PH: 1, PW: 1}, 2},
		{"transposed-1x1", ConvParams{C: 512, H: 7, W: 7, Cout: 40, KH: 1, KW: 1}, 3},
		{"subsampled-1x1-s2", ConvParams{C: 24, H: 64, W: 40, Cout: 20, KH: 1, KW: 1, SH: 2, SW: 2}, 3},
		{"subsampled-1x1-s3x2", ConvParams{C: 16, H: 70, W: 64, Cout: 36, KH: 1, KW: 1, SH: 3, SW: 2}, 2},
		{"subsampled-1x1-s2-odd", ConvParams{C: 520, H: 63, W: 64, Cout: 40, KH: 1, KW: 1, SH: 2, SW: 2}, 2},
		{"transposed-1x1-batch8", ConvParams{C: 512, H: 7, W: 7, Cout: 40, KH: 1, KW: 1}, 8},
		{"transposed-s2-batch6", ConvParams{C: 64, H: 14, W: 13, Cout: 40, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1}, 6},
		{"transposed-1x1-5x5", ConvParams{C: 600, H: 5, W: 5, Cout: 33, KH: 1, KW: 1}, 2},
		{"transposed-planes-5x5", ConvParams{C: 24, H: 14, W: 14, Cout: 33, KH: 5, KW: 5, PH: 2, PW: 2}, 1},
		{"transposed-planes-3x3", ConvParams{C: 64, H: 7, W: 14, Cout: 70, KH: 3, KW: 3, PH: 1, PW: 1}, 1},
		{"transposed-s2-14", ConvParams{C: 64, H: 27, W: 27, Cout: 33, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1}, 1},
		// Weights over twice the packed matrix: split by channels.
		{"transposed-1x1-s2-by-channels", ConvParams{C: 136, H: 28, W: 27, Cout: 400, KH: 1, KW: 1, SH: 2, SW: 2}, 1},
		// AlexNet's second convolution: packing blocks end a column or two
		// into a row, runs shorter than the padding.
		{"alexnet-c3", ConvParams{C: 96, H: 27, W: 27, Cout: 8, KH: 5, KW: 5, PH: 2, PW: 2}, 1},
		{"winograd-rows", ConvParams{C: 16, H: 37, W: 45, Cout: 20, KH: 3, KW: 3, PH: 1, PW: 1}, 2},
		{"winograd-rows-nopad", ConvParams{C: 17, H: 20, W: 50, Cout: 16, KH: 3, KW: 3}, 1},
		{"winograd-16wide", ConvParams{C: 32, H: 14, W: 14, Cout: 24, KH: 3, KW: 3, PH: 1, PW: 1}, 1},
		{"winograd-16wide-batch3", ConvParams{C: 32, H: 14, W: 13, Cout: 20, KH: 3, KW: 3, PH: 1, PW: 1}, 3},
		{"tiny", ConvParams{C: 1, H: 1, W: 1, Cout: 1, KH: 1, KW: 1}, 1},
		{"pad-wider-than-map", ConvParams{C: 2, H: 3, W: 2, Cout: 3, KH: 5, KW: 5, PH: 3, PW: 3}, 1},
		{"3x3-s1-big", ConvParams{C: 32, H: 28, W: 30, Cout: 48, KH: 3, KW: 3, PH: 1, PW: 1}, 2},
		{"3x3-s1-nopad", ConvParams{C: 9, H: 13, W: 11, Cout: 12, KH: 3, KW: 3}, 1},
		{"winograd-deep", ConvParams{C: 256, H: 14, W: 13, Cout: 40, KH: 3, KW: 3, PH: 1, PW: 1}, 1},
		{"winograd-batch-small-map", ConvParams{C: 64, H: 7, W: 7, Cout: 72, KH: 3, KW: 3, PH: 1, PW: 1}, 9},
	}
	if short {
		cs = cs[:len(cs)-4]
	}
	return cs
}

func TestConv(t *testing.T) {
	refs := map[string][]float64{}
	forEachISA(t, func(t *testing.T) {
		pool := NewPool(2)
		for _, cc := range convCases(testing.Short()) {
			for _, ep := range []string{"plain", "bias+res+relu", "slice+tanh"} {
				t.Run(cc.name+"/"+ep, func(t *testing.T) { testConv(t, pool, cc, ep) })
			}
			for _, res := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/acts/res=%v", cc.name, res), func(t *testing.T) { testConvActs(t, pool, cc, res, refs) })
			}
		}
	})
}

func testConv(t *testing.T, pool *Pool, cc convCase, ep string) {
	p := cc.p
	p.normalize()
	r := rand.New(rand.NewPCG(uint64(p.C*p.H), uint64(p.Cout*p.KH)))
	w := randSlice(r, p.Cout*p.C/p.Groups*p.KH*p.KW)
	src := randSlice(r, cc.n*p.C*p.H*p.W)
	var bias, res []float32
	var e Epilogue
	oh, ow := p.OutH(), p.OutW()
	hw := oh * ow
	c0, ctot := 0, p.Cout
	switch ep {
	case "bias+res+relu":
		bias = randSlice(r, p.Cout)
		res = randSlice(r, cc.n*p.Cout*hw)
		e = Epilogue{Act: actReLU, Residual: res}
	case "slice+tanh":
		// Small weights keep tanh off its flat tails, where the
		// tolerance (relative to max|want| <= 1) would be meaningless.
		for i := range w {
			w[i] *= 0.05
		}
		bias = randSlice(r, p.Cout)
		c0, ctot = 3, p.Cout+5
		e = Epilogue{Act: act.Func{Kind: act.Tanh}, DstImageStride: ctot * hw}
	}
	want := refConv(p, w, bias, src, cc.n, res, e.Act)
	cv := NewConv(p, w, bias)
	const sentinel = 12345
	dst := make([]float32, cc.n*ctot*hw)
	for i := range dst {
		dst[i] = sentinel
	}
	cv.Run(pool, dst[c0*hw:], src, cc.n, e, make([]float32, cv.ScratchSize(cc.n)))
	got := make([]float32, 0, len(want))
	for img := 0; img < cc.n; img++ {
		for ch := 0; ch < ctot; ch++ {
			plane := dst[(img*ctot+ch)*hw:][:hw]
			if ch >= c0 && ch < c0+p.Cout {
				got = append(got, plane...)
				continue
			}
			for i, v := range plane {
				if v != sentinel {
					t.Fatalf("image %d channel %d [%d] outside the slice written: %g", img, ch, i, v)
				}
			}
		}
	}
	if t.Failed() {
		return
	}
	t.Logf("algorithm %s", cv.AlgorithmFor(cc.n))
	closeEnough(t, got, want)
}

// testConvActs runs cc with a bias (and a residual) under ReLU and each
// of testActs, against the float64 reference and, exactly, against the
// clamp of its own output without an activation. The reference, the same
// for every ISA, is computed once (refs).
func testConvActs(t *testing.T, pool *Pool, cc convCase, withRes bool, refs map[string][]float64) {
	p := cc.p
	p.normalize()
	r := rand.New(rand.NewPCG(uint64(p.C*p.W), uint64(p.Cout*p.KW)))
	w := randSlice(r, p.Cout*p.C/p.Groups*p.KH*p.KW)
	for i := range w {
		w[i] *= 0.3 // outputs of a few units: around hardtanh's bounds
	}
	src := randSlice(r, cc.n*p.C*p.H*p.W)
	bias := randSlice(r, p.Cout)
	cv := NewConv(p, w, bias)
	hw := cv.OutH() * cv.OutW()
	var res []float32
	if withRes {
		res = randSlice(r, cc.n*p.Cout*hw)
	}
	key := fmt.Sprintf("%s/%v", cc.name, withRes)
	pre, ok := refs[key]
	if !ok {
		pre = refConvPre(p, w, bias, src, cc.n, res)
		refs[key] = pre
	}
	var scale float64
	for _, v := range pre {
		scale = math.Max(scale, math.Abs(v))
	}
	scratch := make([]float32, cv.ScratchSize(cc.n))
	run := func(f act.Func) []float32 {
		dst := make([]float32, cc.n*p.Cout*hw)
		cv.Run(pool, dst, src, cc.n, Epilogue{Act: f, Residual: res}, scratch)
		return dst
	}
	plain := run(act.Func{})
	t.Logf("algorithm %s", cv.AlgorithmFor(cc.n))
	for _, f := range append([]act.Func{actReLU}, testActs...) {
		got := run(f)
		closeTo(t, got, refActivate(pre, f), scale)
		checkAct(t, f, got, plain)
	}
}

func TestConvAllocs(t *testing.T) {
	pool := NewPool(2)
	for _, cc := range convCases(true) {
		p := cc.p
		p.normalize()
		r := rand.New(rand.NewPCG(1, 2))
		cv := NewConv(p, randSlice(r, p.Cout*p.C/p.Groups*p.KH*p.KW), randSlice(r, p.Cout))
		src := randSlice(r, cc.n*p.C*p.H*p.W)
		dst := make([]float32, cc.n*p.Cout*cv.OutH()*cv.OutW())
		res := randSlice(r, len(dst))
		scratch := make([]float32, cv.ScratchSize(cc.n))
		e := Epilogue{Act: actReLU, Residual: res}
		allocs := testing.AllocsPerRun(20, func() { cv.Run(pool, dst, src, cc.n, e, scratch) })
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Run, want 0", cc.name, allocs)
		}
	}
}

func ExampleConvParams_OutH() {
	p := ConvParams{C: 3, H: 224, W: 224, Cout: 64, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}
	fmt.Println(p.OutH(), p.OutW())
	// Output: 112 112
}

// Several goroutines share one Conv and one Pool (parallel Forward calls),
// each with its own buffers.
func TestConvConcurrent(t *testing.T) {
	pool := NewPool(2)
	for _, cc := range []convCase{
		{"winograd", ConvParams{C: 16, H: 12, W: 12, Cout: 24, KH: 3, KW: 3, PH: 1, PW: 1}, 2},
		{"im2col", ConvParams{C: 8, H: 15, W: 15, Cout: 16, KH: 5, KW: 5, SH: 2, SW: 2, PH: 2, PW: 2}, 2},
	} {
		p := cc.p
		p.normalize()
		r := rand.New(rand.NewPCG(3, 4))
		w, bias := randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout)
		cv := NewConv(p, w, bias)
		const G = 4
		srcs := make([][]float32, G)
		wants := make([][]float32, G)
		for g := range srcs {
			srcs[g] = randSlice(r, cc.n*p.C*p.H*p.W)
			wants[g] = refConv(p, w, bias, srcs[g], cc.n, nil, actReLU)
		}
		dsts := make([][]float32, G)
		var wg sync.WaitGroup
		for g := 0; g < G; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				dsts[g] = make([]float32, len(wants[g]))
				scratch := make([]float32, cv.ScratchSize(cc.n))
				for rep := 0; rep < 20; rep++ {
					cv.Run(pool, dsts[g], srcs[g], cc.n, Epilogue{Act: actReLU}, scratch)
				}
			}()
		}
		wg.Wait()
		for g := range dsts {
			closeEnough(t, dsts[g], wants[g])
		}
	}
}
