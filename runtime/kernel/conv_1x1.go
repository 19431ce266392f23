package kernel

import "unsafe"

// A 1x1 stride-1 convolution's B is the input itself: K rows of hw pixels.
// Packing it costs up to a quarter of the layer when A has few rows (256
// -> 64 channels on 56x56 maps: 23%), so whole 32-column panels are read
// in place instead, through kAVX512x8i and a table of row offsets
// (k*hw); only a last partial panel, which would read past the rows, is
// packed. Against packing: 56x56 and 28x28 layers 3-25% faster.

// rowOffsets returns k*hw for k < K: row k of a 1x1 layer's B.
func rowOffsets(k, hw int) []int32 {
	offs := make([]int32, k)
	for i := range offs {
		offs[i] = int32(i * hw)
	}
	return offs
}

// gemm1x1 computes rows [m0, m1) x columns [n0, n1) of C = A·B for the
// image whose input is in (K rows of hw floats); n0 is a multiple of 32.
func (c *Conv) gemm1x1(a *PackedA, in []float32, hw int, out *gemmOut, m0, m1, n0, n1 int, buf []float32) {
	full := n0 + (n1-n0)/32*32
	if full < n1 {
		gemmBlock(a, matB{b: in, ldb: hw}, out, m0, m1, full, n1, buf)
	}
	tile := buf[:8*32]
	var kp kparams
	for j := n0; j < full; j += 32 {
		b := unsafe.Pointer(&in[j])
		for k0 := 0; k0 < a.K; k0 += a.kc {
			kc := min(a.kc, a.K-k0)
			// Half blocks of 128 rows keep B's panel (rows hw apart, two
			// lines each) in L1 while every row panel of A passes.
			for h := 0; h < kc; h += 128 {
				kh := min(128, kc-h)
				flags := out.flags(k0+h > 0, k0+h+kh == a.K)
				for i := m0; i < m1; i += 8 {
					apan := unsafe.Pointer(&a.panel(k0, kc, i)[h*8])
					kp = kparams{k: kh, boff: &c.offs1x1[k0+h], nmask: 1<<32 - 1}
					kp.setClamp(&out.cl)
					if i == m0 && j+32 < full {
						kp.pf = 128
					}
					mw := min(8, m1-i)
					if out.split == nil || oneOutput(out.split, i, mw) {
						// A last panel of fewer than 8 rows stores only its rows.
						kp.ldc, kp.flags, kp.rows = 4*out.ldc, flags, mw
						if flags&fBias != 0 {
							kp.bias = unsafe.Pointer(&out.bias[i])
						}
						if flags&fRes != 0 {
							kp.res, kp.ldr = unsafe.Pointer(&out.res[i*out.ldr+j]), 4*out.ldr
						}
						callKernel(kAVX512x8i, apan, b, unsafe.Pointer(&out.row(i)[j]), &kp)
						continue
					}
					// Rows that straddle two outputs of a split: through the tile.
					kp.ldc = 4 * 32
					callKernel(kAVX512x8i, apan, b, unsafe.Pointer(&tile[0]), &kp)
					edgeStore(out, tile, 32, i, j, mw, 32, flags)
				}
			}
		}
	}
}
