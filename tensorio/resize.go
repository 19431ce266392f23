package tensorio

import (
	"image"

	"golang.org/x/image/draw"
)

// Resizing with draw.BiLinear allocates, besides the destination, a buffer
// of 32 bytes for every destination column of every source row, and 16
// bytes of weights for about every two source columns and rows. That is
// harmless for photographs, but a PNG of 1×40,000,000 pixels compresses to
// 77 KB and passes MaxImagePixels, and resizing it to 224×224 asked for
// 286 GB (and overflowed the scaler's 32-bit index). So an image whose
// scaler would need more than resizeFloor bytes and more than the image's
// own size is first shrunk by whole factors, with a box filter
// (each pixel the rounded mean of a block of source pixels, as PIL's
// reduce), on the axes longest against the destination, until the scaler
// fits; then draw.BiLinear does the rest. Every other image is resized as
// before, by draw.BiLinear alone, to the same bits.
//
// The reduced image keeps 16 bits a channel; the two filters together
// differ from the triangle filter alone by a fraction of 1/255 on smooth
// images (TestResizeReduced).

// resizeFloor is the scaler memory every image may use without reduction;
// a variable so that tests can reduce small images.
var resizeFloor int64 = 64 << 20

// resize returns src (as convertImage gives it: *image.Gray, *image.Gray16,
// *image.RGBA or *image.RGBA64, at the origin) resized to width × height.
func resize(src image.Image, channels, width, height int) *image.RGBA64 {
	b := src.Bounds()
	kx, ky := reduction(b.Dx(), b.Dy(), width, height, imageBytes(src))
	if kx > 1 || ky > 1 {
		src = boxReduce(src, channels, kx, ky)
	}
	dst := image.NewRGBA64(image.Rect(0, 0, width, height))
	draw.BiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return dst
}

// scalerBytes bounds what draw.BiLinear.Scale allocates, its destination
// aside, to resize sw × sh pixels to dw × dh: the buffer of the horizontal
// pass and the weights of both.
func scalerBytes(sw, sh, dw, dh int64) int64 {
	return 32*dw*sh + 64*(max(sw, dw)+max(sh, dh))
}

// minRatio is how many times the destination's size a reduced axis keeps
// at least: the box filter then narrows the triangle filter's view by an
// eighth of its width at most, and the two agree within 1/255.
const minRatio = 8

// reduction returns the whole factors by which to shrink an image of
// sw × sh pixels (size bytes) before the scaler resizes it to dw × dh: 1
// and 1 when the scaler's memory is within max(resizeFloor, size),
// otherwise the powers of two that bring it there, taken on the axis that
// is longest against the destination and never below minRatio times it.
func reduction(sw, sh, dw, dh int, size int64) (kx, ky int) {
	budget := max(resizeFloor, size)
	kx, ky = 1, 1
	for {
		w, h := ceilDiv(sw, kx), ceilDiv(sh, ky)
		if scalerBytes(int64(w), int64(h), int64(dw), int64(dh)) <= budget {
			return kx, ky
		}
		canX, canY := w >= 2*minRatio*dw, h >= 2*minRatio*dh
		switch {
		case canY && (!canX || int64(h)*int64(dw) >= int64(w)*int64(dh)):
			ky *= 2
		case canX:
			kx *= 2
		default:
			return kx, ky // as small as the destination allows
		}
	}
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// imageBytes is the size of the pixels of an image from convertImage.
func imageBytes(m image.Image) int64 {
	switch m := m.(type) {
	case *image.Gray:
		return int64(len(m.Pix))
	case *image.Gray16:
		return int64(len(m.Pix))
	case *image.RGBA:
		return int64(len(m.Pix))
	case *image.RGBA64:
		return int64(len(m.Pix))
	}
	b := m.Bounds()
	return int64(b.Dx()) * int64(b.Dy()) * 8
}

// boxReduce shrinks src by kx × ky: each pixel of the result is the mean,
// rounded to 16 bits, of a block of kx × ky source pixels (fewer in the
// last column and row when the sizes are not multiples). The result is an
// *image.Gray16 for one channel, an opaque *image.RGBA64 for three. It
// reads src once and keeps one row of sums, of the result's width.
func boxReduce(src image.Image, channels, kx, ky int) image.Image {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	w, h := ceilDiv(sw, kx), ceilDiv(sh, ky)
	r := image.Rect(0, 0, w, h)
	var gray *image.Gray16
	var rgb *image.RGBA64
	if channels == 1 {
		gray = image.NewGray16(r)
	} else {
		rgb = image.NewRGBA64(r)
	}
	sums := make([]uint64, w*channels)
	for y := range h {
		clear(sums)
		y0, y1 := y*ky, min((y+1)*ky, sh)
		for sy := y0; sy < y1; sy++ {
			addRow(sums, src, sy, sw, channels, kx)
		}
		for x := range w {
			n := uint64((min((x+1)*kx, sw) - x*kx) * (y1 - y0))
			for c := range channels {
				v := (sums[x*channels+c] + n/2) / n
				if gray != nil {
					i := gray.PixOffset(x, y)
					gray.Pix[i], gray.Pix[i+1] = uint8(v>>8), uint8(v)
				} else {
					i := rgb.PixOffset(x, y) + 2*c
					rgb.Pix[i], rgb.Pix[i+1] = uint8(v>>8), uint8(v)
				}
			}
			if rgb != nil {
				i := rgb.PixOffset(x, y) + 6
				rgb.Pix[i], rgb.Pix[i+1] = 0xff, 0xff
			}
		}
	}
	if gray != nil {
		return gray
	}
	return rgb
}

// addRow adds the 16-bit values of row y of src (sw pixels, channels
// values each) to the sums of the blocks of kx pixels they fall in.
func addRow(sums []uint64, src image.Image, y, sw, channels, kx int) {
	switch m := src.(type) {
	case *image.Gray:
		for x, v := range m.Pix[y*m.Stride : y*m.Stride+sw] {
			sums[x/kx] += uint64(v) * 0x101
		}
	case *image.Gray16:
		p := m.Pix[y*m.Stride:]
		for x := range sw {
			sums[x/kx] += uint64(p[2*x])<<8 | uint64(p[2*x+1])
		}
	case *image.RGBA:
		p := m.Pix[y*m.Stride:]
		for x := range sw {
			s := sums[x/kx*channels:]
			for c := range channels {
				s[c] += uint64(p[4*x+c]) * 0x101
			}
		}
	case *image.RGBA64:
		p := m.Pix[y*m.Stride:]
		for x := range sw {
			s := sums[x/kx*channels:]
			for c := range channels {
				s[c] += uint64(p[8*x+2*c])<<8 | uint64(p[8*x+2*c+1])
			}
		}
	}
}
