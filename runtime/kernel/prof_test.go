package kernel

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkProfOne(b *testing.B) {
	p := ConvParams{C: 3, H: 224, W: 224, Cout: 64, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3}
	n := 1
	r := rand.New(rand.NewPCG(1, 2))
	cv := NewConv(p, randSlice(r, p.Cout*p.C*p.KH*p.KW), randSlice(r, p.Cout))
	src := randSlice(r, n*p.C*p.H*p.W)
	dst := make([]float32, n*p.Cout*cv.OutH()*cv.OutW())
	scratch := make([]float32, cv.ScratchSize(n))
	b.ResetTimer()
	for b.Loop() {
		cv.Run(nil, dst, src, n, Epilogue{Act: ActReLU}, scratch)
	}
}
