package tensorio

import (
	"fmt"
	"image"
)

// ImageTensor converts an image already decoded as LoadImage converts the
// images it decodes: channels × height × width float32 values in [0, 1],
// luminance or RGB as PIL converts them, resized with the same filter. A
// JPEG decoded by image/jpeg (an *image.YCbCr) gives the values LoadImage
// gives for its file. The image and the requested size are bounded by
// MaxImagePixels, as LoadImage bounds them.
func ImageTensor(img image.Image, channels, height, width int) ([]float32, error) {
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("image: %d channels requested, want 1 or 3", channels)
	}
	if height <= 0 || width <= 0 || int64(height)*int64(width) > MaxImagePixels {
		return nil, fmt.Errorf("image: size %d×%d requested, want positive sizes of at most MaxImagePixels (%d) pixels", height, width, MaxImagePixels)
	}
	if img == nil {
		return nil, newError(fmtImage, "", ErrMalformed, "no image (nil)")
	}
	b := img.Bounds()
	if b.Empty() || int64(b.Dx())*int64(b.Dy()) > MaxImagePixels {
		return nil, newError(fmtImage, "", ErrMalformed, "an image of %d×%d pixels; want at least one and at most MaxImagePixels (%d)", b.Dx(), b.Dy(), MaxImagePixels)
	}
	return toCHW(convertImage(img, channels), channels, height, width), nil
}
