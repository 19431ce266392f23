package kernel

import "testing"

// TestConvScratchSize checks that a memory plan made without weights asks
// for the scratch a built Conv does, for every algorithm and weight form
// at batches from 1 to 9.
func TestConvScratchSize(t *testing.T) {
	cases := []ConvParams{
		{C: 3, H: 224, W: 224, Cout: 64, KH: 7, KW: 7, SH: 2, SW: 2, PH: 3, PW: 3},       // direct stem
		{C: 1, H: 28, W: 28, Cout: 6, KH: 5, KW: 5, PH: 2, PW: 2},                        // LeNet's first
		{C: 64, H: 56, W: 56, Cout: 64, KH: 3, KW: 3, PH: 1, PW: 1},                      // Winograd
		{C: 512, H: 7, W: 7, Cout: 512, KH: 3, KW: 3, PH: 1, PW: 1},                      // Winograd from batch 4, smallN below
		{C: 256, H: 14, W: 14, Cout: 512, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},      // strided 3x3: smallN
		{C: 256, H: 56, W: 56, Cout: 512, KH: 1, KW: 1, SH: 2, SW: 2},                    // strided 1x1: subsampled above batch 1
		{C: 512, H: 28, W: 28, Cout: 1024, KH: 1, KW: 1, SH: 2, SW: 2},                   // strided 1x1 onto 14x14
		{C: 256, H: 14, W: 14, Cout: 1024, KH: 1, KW: 1},                                 // 1x1
		{C: 832, H: 7, W: 7, Cout: 384, KH: 1, KW: 1},                                    // 1x1, small map
		{C: 64, H: 55, W: 55, Cout: 192, KH: 5, KW: 5, PH: 2, PW: 2},                     // im2col with planes
		{C: 96, H: 27, W: 27, Cout: 256, KH: 5, KW: 5, PH: 2, PW: 2, Groups: 2},          // grouped
		{C: 32, H: 20, W: 20, Cout: 32, KH: 3, KW: 3, PH: 2, PW: 2, Groups: 32},          // depthwise
		{C: 16, H: 20, W: 20, Cout: 32, KH: 3, KW: 3, PH: 2, PW: 2, DH: 2, DW: 2},        // dilated
		{C: 3, H: 227, W: 227, Cout: 96, KH: 11, KW: 11, SH: 4, SW: 4},                   // AlexNet's stem
		{C: 512, H: 2, W: 2, Cout: 512, KH: 3, KW: 3, PH: 1, PW: 1},                      // a map smaller than a tile
		{C: 16, H: 10, W: 10, Cout: 120, KH: 5, KW: 5},                                   // to 6x6
		{C: 192, H: 28, W: 28, Cout: 64, KH: 1, KW: 1},                                   // inception's reductions
		{C: 48, H: 28, W: 28, Cout: 64, KH: 5, KW: 5, PH: 2, PW: 2},                      // inception's 5x5
		{C: 4, H: 16, W: 16, Cout: 8, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},          // small direct
		{C: 2048, H: 7, W: 7, Cout: 512, KH: 1, KW: 1},                                   // ResNet-50's last reduction
		{C: 128, H: 56, W: 56, Cout: 128, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},      // strided 3x3 to 28x28
		{C: 64, H: 9, W: 9, Cout: 64, KH: 3, KW: 3, PH: 1, PW: 1},                        // Winograd from batch 2
		{C: 1024, H: 14, W: 14, Cout: 2048, KH: 1, KW: 1, SH: 2, SW: 2},                  // strided 1x1 onto 7x7
		{C: 3, H: 32, W: 32, Cout: 16, KH: 3, KW: 3, PH: 1, PW: 1},                       // a small stem
		{C: 128, H: 13, W: 13, Cout: 128, KH: 3, KW: 3, PH: 1, PW: 1, Groups: 2},         // grouped 3x3
		{C: 64, H: 12, W: 12, Cout: 64, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},        // strided on a small map
		{C: 8, H: 31, W: 17, Cout: 24, KH: 3, KW: 5, SH: 1, SW: 2, PH: 1, PW: 2},         // uneven
		{C: 64, H: 40, W: 40, Cout: 64, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1, DH: 1}, // to 20x20
	}
	for _, p := range cases {
		k := p.C / max(p.Groups, 1) * p.KH * p.KW
		c := NewConv(p, make([]float32, p.Cout*k), nil)
		for n := 1; n <= 9; n++ {
			// The built Conv gains weight forms as batches need them.
			want := c.ScratchSize(n)
			if got := ConvScratchSize(p, n); got != want {
				t.Errorf("%v (%s at batch %d): planned scratch %d, a built Conv asks %d", p, c.AlgorithmFor(n), n, got, want)
			}
		}
	}
}
