package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// refPool is PyTorch's pooling, a window at a time, in float64.
func refPool(maxp bool, src []float32, h, w, oh, ow int, win PoolWindow) []float32 {
	out := make([]float32, oh*ow)
	for oy := range oh {
		for ox := range ow {
			y0, x0 := oy*win.SH-win.PH, ox*win.SW-win.PW
			y1, x1 := min(y0+win.KH, h+win.PH), min(x0+win.KW, w+win.PW)
			count := (y1 - y0) * (x1 - x0)
			m, s := math.Inf(-1), 0.0
			for y := max(y0, 0); y < min(y1, h); y++ {
				for x := max(x0, 0); x < min(x1, w); x++ {
					m = math.Max(m, float64(src[y*w+x]))
					s += float64(src[y*w+x])
				}
			}
			if maxp {
				out[oy*ow+ox] = float32(m)
			} else {
				out[oy*ow+ox] = float32(s / float64(count))
			}
		}
	}
	return out
}

func TestPool2D(t *testing.T) {
	// The stride-1 and -2 max pool kernels, the second without its
	// 3-wide special case, and maxPoolAVX512 alone.
	for _, on := range [][3]bool{{true, true, true}, {true, true, false}, {false, false, false}} {
		maxPoolS1, maxPoolS2, maxPoolK3 = on[0], on[1], on[2]
		testPool2D(t)
	}
	maxPoolS1, maxPoolS2, maxPoolK3 = true, true, true
}

func testPool2D(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, isa := range []ISA{Generic, AVX512} {
		if !Supported(isa) {
			continue
		}
		old := SetISA(isa)
		for _, c := range []struct {
			h, w int
			win  PoolWindow
			ceil bool
		}{
			{112, 112, PoolWindow{3, 3, 2, 2, 1, 1}, false},
			{28, 28, PoolWindow{3, 3, 1, 1, 1, 1}, false},
			{55, 55, PoolWindow{3, 3, 2, 2, 0, 0}, true},
			{14, 14, PoolWindow{2, 2, 2, 2, 0, 0}, true},
			{13, 17, PoolWindow{3, 2, 2, 3, 1, 1}, true},
			{7, 5, PoolWindow{5, 5, 1, 1, 2, 2}, false},
			{3, 2, PoolWindow{5, 3, 1, 1, 2, 1}, false},
			{70, 70, PoolWindow{3, 3, 1, 1, 1, 1}, false},
			{1, 1, PoolWindow{1, 1, 1, 1, 0, 0}, false},
			{40, 2000, PoolWindow{2, 2, 2, 2, 0, 0}, false},
			{15, 9, PoolWindow{2, 2, 2, 2, 0, 0}, false},
			{13, 13, PoolWindow{2, 2, 2, 2, 0, 0}, true},
			{17, 33, PoolWindow{3, 3, 2, 2, 1, 1}, true},
			{9, 40, PoolWindow{4, 5, 3, 1, 2, 2}, false},
			{6, 600, PoolWindow{3, 3, 2, 2, 1, 1}, true},
			{15, 9, PoolWindow{2, 2, 2, 2, 0, 0}, true},
			{28, 28, PoolWindow{2, 2, 2, 2, 0, 0}, false},
			// Stride-1 windows (maxPoolS1Rows): tails, 7-wide rows, a
			// window wider than its padding, several calls per 7 planes.
			{14, 14, PoolWindow{3, 3, 1, 1, 1, 1}, false},
			{7, 7, PoolWindow{3, 3, 1, 1, 1, 1}, false},
			{13, 19, PoolWindow{3, 3, 1, 1, 1, 1}, true},
			{5, 33, PoolWindow{3, 5, 1, 1, 1, 2}, false},
			{6, 35, PoolWindow{2, 4, 1, 1, 0, 1}, true},
			{100, 100, PoolWindow{3, 3, 1, 1, 1, 1}, false},
			// Stride 2 up to 16 outputs a row (maxPoolS1Rows too).
			{28, 28, PoolWindow{3, 3, 2, 2, 0, 0}, true},
			{14, 14, PoolWindow{2, 2, 2, 2, 0, 0}, false},
			{9, 31, PoolWindow{3, 3, 2, 2, 1, 1}, false},
			{5, 11, PoolWindow{3, 5, 1, 2, 1, 2}, true},
			{200, 20, PoolWindow{3, 3, 2, 2, 1, 1}, false},
		} {
			oh, ow := WindowOut(c.h, c.win.KH, c.win.SH, c.win.PH, 1, c.ceil), WindowOut(c.w, c.win.KW, c.win.SW, c.win.PW, 1, c.ceil)
			src := make([]float32, c.h*c.w)
			for i := range src {
				src[i] = float32(rng.NormFloat64())
			}
			for _, maxp := range []bool{true, false} {
				got := make([]float32, oh*ow)
				if maxp {
					MaxPool2D(got, src, c.h, c.w, oh, ow, c.win)
					// The same plane repeated, through the many-plane path.
					const np = 7
					many, srcs := make([]float32, np*oh*ow), make([]float32, 0, np*len(src))
					for range np {
						srcs = append(srcs, src...)
					}
					MaxPoolPlanes(many, srcs, np, c.h, c.w, oh, ow, c.win)
					for p := range np {
						for i := range got {
							if many[p*oh*ow+i] != got[i] {
								t.Fatalf("%v %dx%d %+v: plane %d of MaxPoolPlanes differs at %d", isa, c.h, c.w, c.win, p, i)
							}
						}
					}
				} else {
					AvgPool2D(got, src, c.h, c.w, oh, ow, c.win)
				}
				want := refPool(maxp, src, c.h, c.w, oh, ow, c.win)
				for i := range want {
					if math.Abs(float64(got[i]-want[i])) > 1e-5 {
						t.Fatalf("%v max=%v %dx%d %+v ceil=%v: output %d is %g, want %g", isa, maxp, c.h, c.w, c.win, c.ceil, i, got[i], want[i])
					}
				}
			}
		}
		SetISA(old)
	}
}

// MeanPlanes against a float64 mean, on planes shorter than its eight
// sums, a whole number of them, and with a tail.
func TestMeanPlanes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, hw := range []int{1, 5, 8, 49, 50, 169} {
		const planes = 7
		src := make([]float32, planes*hw)
		for i := range src {
			src[i] = float32(r.NormFloat64())
		}
		got := make([]float32, planes)
		MeanPlanes(got, src, hw)
		for p := range planes {
			s := 0.0
			for _, v := range src[p*hw : (p+1)*hw] {
				s += float64(v)
			}
			if want := s / float64(hw); math.Abs(float64(got[p])-want) > 1e-6 {
				t.Errorf("hw %d: plane %d mean %g, want %g", hw, p, got[p], want)
			}
		}
	}
}

func TestVecF32(t *testing.T) {
	for _, isa := range []ISA{Generic, AVX512} {
		if !Supported(isa) {
			continue
		}
		old := SetISA(isa)
		for _, n := range []int{0, 1, 15, 16, 17, 63, 64, 65, 200, vecChunk + 3} {
			a, b := make([]float32, n+1), make([]float32, n+1)
			for i := range a {
				a[i], b[i] = float32(i%7)-3, float32(i%5)-2
			}
			a[n], b[n] = 99, 99 // past the end: must stay
			mx, sum := make([]float32, n+1), make([]float32, n+1)
			ar, r := make([]float32, n+1), append([]float32(nil), a...)
			MaxF32(mx[:n], a, b)
			AddF32(sum[:n], a, b)
			addRelu(ar[:n], a, b)
			relu(r[:n])
			for i := range n {
				if mx[i] != max(a[i], b[i]) || sum[i] != a[i]+b[i] || ar[i] != max(a[i]+b[i], 0) || r[i] != max(a[i], 0) {
					t.Fatalf("%v n=%d: element %d: max %g sum %g add+relu %g relu %g", isa, n, i, mx[i], sum[i], ar[i], r[i])
				}
			}
			if mx[n] != 0 || sum[n] != 0 || ar[n] != 0 || r[n] != 99 {
				t.Fatalf("%v n=%d wrote past the end", isa, n)
			}
		}
		SetISA(old)
	}
}
