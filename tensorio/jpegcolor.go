package tensorio

import "image"

// Go's JPEG decoder returns the chroma planes subsampled; image.YCbCr's At
// replicates each chroma sample over its block. libjpeg, which PIL and so
// torchvision use, interpolates them ("fancy upsampling", a triangle filter)
// and converts to RGB with its own rounding. On a photo with 4:2:0 chroma the
// two disagree by several levels at colour edges; doing as libjpeg does here
// leaves only the IDCTs' ±1 differences.

// ycbcrToRGB returns a function giving the RGB, 16-bit scaled, of a pixel of
// m, with chroma upsampled as libjpeg-turbo's h2v2, h2v1 and h1v2
// fancy upsamplers do and converted with libjpeg's fixed-point tables.
func ycbcrToRGB(m *image.YCbCr) func(x, y int) (r, g, b uint32) {
	cb, cr := fancyUpsample(m, m.Cb), fancyUpsample(m, m.Cr)
	w := m.Rect.Dx()
	return func(x, y int) (r, g, b uint32) {
		i := (y-m.Rect.Min.Y)*w + (x - m.Rect.Min.X)
		if cb == nil {
			ci := m.COffset(x, y)
			return jpegRGB(m.Y[m.YOffset(x, y)], m.Cb[ci], m.Cr[ci])
		}
		return jpegRGB(m.Y[m.YOffset(x, y)], cb[i], cr[i])
	}
}

// jpegRGB is libjpeg's ycc_rgb_convert: FIX(1.402), FIX(0.34414),
// FIX(0.71414) and FIX(1.772) in 16-bit fixed point, rounded, clamped.
func jpegRGB(y, cb, cr uint8) (r, g, b uint32) {
	const half = 1 << 15
	Y, Cb, Cr := int32(y), int32(cb)-128, int32(cr)-128
	R := Y + (91881*Cr+half)>>16
	G := Y + (-22554*Cb-46802*Cr+half)>>16
	B := Y + (116130*Cb+half)>>16
	return clamp8(R) * 0x101, clamp8(G) * 0x101, clamp8(B) * 0x101
}

func clamp8(v int32) uint32 {
	return uint32(min(max(v, 0), 255))
}

// fancyUpsample returns the chroma plane c of m at full resolution (Dx×Dy,
// row-major), or nil for a subsampling libjpeg does not interpolate (4:1:1,
// 4:1:0), which the caller then replicates as Go does.
func fancyUpsample(m *image.YCbCr, c []uint8) []uint8 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	var hs, vs int // horizontal and vertical factors
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio422:
		hs, vs = 2, 1
	case image.YCbCrSubsampleRatio440:
		hs, vs = 1, 2
	case image.YCbCrSubsampleRatio420:
		hs, vs = 2, 2
	default:
		return nil
	}
	if m.Rect.Min.X < 0 || m.Rect.Min.Y < 0 {
		return nil // image.YCbCr's chroma blocks are irregular left of or above 0
	}
	// The chroma plane's size, as image.NewYCbCr lays it out.
	cx0, cy0 := m.Rect.Min.X/hs, m.Rect.Min.Y/vs
	cw := (m.Rect.Max.X+hs-1)/hs - cx0
	ch := (m.Rect.Max.Y+vs-1)/vs - cy0
	if cw <= 0 || ch <= 0 || (ch-1)*m.CStride+cw > len(c) {
		return nil
	}
	row := func(j int) []uint8 { // clamped: libjpeg repeats the edge rows
		j = min(max(j, 0), ch-1)
		return c[j*m.CStride : j*m.CStride+cw]
	}
	// First the columns: each chroma row widened to 2·cw (or kept), per
	// output row; then crop to w×h, shifted when Rect does not start on a
	// chroma boundary.
	out := make([]uint8, w*h)
	wide := make([]int32, hs*cw)
	ox, oy := m.Rect.Min.X-cx0*hs, m.Rect.Min.Y-cy0*vs
	for y := range h {
		sy := y + oy
		j := sy / vs
		in0 := row(j)
		switch {
		case vs == 1 && hs == 1:
			for i := range cw {
				wide[i] = int32(in0[i])
			}
		case vs == 1: // h2v1
			h2v1(wide, in0)
		case hs == 1: // h1v2: 3/4 nearer row + 1/4 further row
			in1, bias := row(j-1), int32(1)
			if sy%2 == 1 {
				in1, bias = row(j+1), 2
			}
			for i := range cw {
				wide[i] = (int32(in0[i])*3 + int32(in1[i]) + bias) >> 2
			}
		default: // h2v2
			in1 := row(j - 1)
			if sy%2 == 1 {
				in1 = row(j + 1)
			}
			h2v2(wide, in0, in1)
		}
		for x := range w {
			out[y*w+x] = uint8(wide[x+ox])
		}
	}
	return out
}

// h2v1 is libjpeg-turbo's h2v1_fancy_upsample for one row.
func h2v1(out []int32, in []uint8) {
	n := len(in)
	if n == 1 {
		out[0], out[1] = int32(in[0]), int32(in[0])
		return
	}
	out[0] = int32(in[0])
	out[1] = (int32(in[0])*3 + int32(in[1]) + 2) >> 2
	for i := 1; i < n-1; i++ {
		v := int32(in[i]) * 3
		out[2*i] = (v + int32(in[i-1]) + 1) >> 2
		out[2*i+1] = (v + int32(in[i+1]) + 2) >> 2
	}
	out[2*n-2] = (int32(in[n-1])*3 + int32(in[n-2]) + 1) >> 2
	out[2*n-1] = int32(in[n-1])
}

// h2v2 is libjpeg-turbo's h2v2_fancy_upsample for one output row: in0 the
// nearer chroma row, in1 the further one.
func h2v2(out []int32, in0, in1 []uint8) {
	n := len(in0)
	sum := func(i int) int32 { return int32(in0[i])*3 + int32(in1[i]) }
	if n == 1 {
		s := sum(0)
		out[0], out[1] = (s*4+8)>>4, (s*4+7)>>4
		return
	}
	last, this := sum(0), sum(0)
	next := sum(1)
	out[0] = (this*4 + 8) >> 4
	out[1] = (this*3 + next + 7) >> 4
	last, this = this, next
	for i := 1; i < n-1; i++ {
		next = sum(i + 1)
		out[2*i] = (this*3 + last + 8) >> 4
		out[2*i+1] = (this*3 + next + 7) >> 4
		last, this = this, next
	}
	out[2*n-2] = (this*3 + last + 8) >> 4
	out[2*n-1] = (this*4 + 7) >> 4
}
