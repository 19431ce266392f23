package kernel

import (
	"math/rand/v2"
	"testing"

	"github.com/cnnc/cnnc/act"
)

// TestConvSplit runs 1x1 convolutions whose output channels go to several
// destinations, each a channel slice of a larger tensor, through every
// GEMM path (per image, merged small maps, the transposed GEMM), with
// splits on and off the register tile's rows, against the reference.
func TestConvSplit(t *testing.T) {
	forEachISA(t, func(t *testing.T) {
		pool := NewPool(2)
		for _, cc := range []struct {
			name  string
			p     ConvParams
			n     int
			split []int
		}{
			{"per-image", ConvParams{C: 19, H: 17, W: 18, KH: 1, KW: 1}, 2, []int{16, 8, 5}},
			{"per-image-odd", ConvParams{C: 7, H: 20, W: 20, KH: 1, KW: 1}, 1, []int{3, 7, 11}},
			{"per-image-7x7", ConvParams{C: 24, H: 7, W: 7, KH: 1, KW: 1}, 3, []int{8, 24, 16}},
			{"merged", ConvParams{C: 24, H: 5, W: 5, KH: 1, KW: 1}, 3, []int{8, 24, 16}},
			{"merged-odd", ConvParams{C: 33, H: 3, W: 5, KH: 1, KW: 1}, 2, []int{5, 1, 13}},
			{"transposed", ConvParams{C: 512, H: 14, W: 14, KH: 1, KW: 1}, 1, []int{64, 96, 16}},
			{"transposed-odd", ConvParams{C: 520, H: 7, W: 7, KH: 1, KW: 1}, 2, []int{40, 3, 30}},
			{"im2col", ConvParams{C: 6, H: 11, W: 13, KH: 3, KW: 3, SH: 2, SW: 2}, 2, []int{8, 9}},
		} {
			for _, f := range append([]act.Func{actReLU, {}, {Kind: act.Sigmoid}}, testActs...) {
				p := cc.p
				for _, m := range cc.split {
					p.Cout += m
				}
				p.normalize()
				r := rand.New(rand.NewPCG(uint64(p.C), uint64(p.Cout)))
				w, bias := randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout)
				src := randSlice(r, cc.n*p.C*p.H*p.W)
				want := refConv(p, w, bias, src, cc.n, nil, f)
				cv := NewConv(p, w, bias)
				hw := p.OutH() * p.OutW()
				// Output k is channels [2, 2+m) of a tensor of m+3 channels.
				var outs []ConvOutput
				var bufs [][]float32
				for _, m := range cc.split {
					buf := make([]float32, cc.n*(m+3)*hw)
					for i := range buf {
						buf[i] = 12345
					}
					bufs = append(bufs, buf)
					outs = append(outs, ConvOutput{Channels: m, Dst: buf[2*hw:], ImageStride: (m + 3) * hw})
				}
				cv.Run(pool, nil, src, cc.n, Epilogue{Act: f, Outputs: outs}, make([]float32, cv.ScratchSize(cc.n)))
				got := make([]float32, 0, len(want))
				for img := range cc.n {
					for k, m := range cc.split {
						for ch := range m + 3 {
							plane := bufs[k][(img*(m+3)+ch)*hw:][:hw]
							if ch >= 2 && ch < 2+m {
								got = append(got, plane...)
								continue
							}
							for _, v := range plane {
								if v != 12345 {
									t.Fatalf("%s: wrote outside output %d", cc.name, k)
								}
							}
						}
					}
				}
				t.Logf("%s: %s", cc.name, cv.AlgorithmFor(cc.n))
				closeEnough(t, got, want)
			}
		}
	})
}
