package tensorio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // registers GIF with image.Decode
	_ "image/jpeg"
	_ "image/png"
	"io"
	"strings"

	_ "golang.org/x/image/bmp"
)

const fmtImage = "image"

// MaxImagePixels caps the width × height of an image LoadImage accepts,
// checked from the file's header before the image is decoded, and of the
// size it resizes to. Decoding allocates up to 8 bytes a pixel. Change it
// only while no load is in progress.
var MaxImagePixels int64 = 100_000_000

// maxImageHead caps the bytes read to find an image's size; a JPEG may put
// metadata before it, but not this much.
const maxImageHead = 64 << 20

// imageFormats are the formats LoadImage reads, by image.Decode's names.
var imageFormats = map[string]string{"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "bmp": "BMP"}

// LoadImage decodes a PNG, JPEG, GIF (first frame) or BMP image into
// channels × height × width float32 values in [0, 1], channel after channel
// (C×H×W, as torchvision's ToTensor gives):
//
//   - channels 1 is luminance with the ITU-R 601 weights PIL's convert("L")
//     uses, L = R·299/1000 + G·587/1000 + B·114/1000, computed in PIL's
//     fixed point for 8-bit images so the values match PIL's exactly;
//     channels 3 is RGB, a gray image replicated. Alpha is dropped, not
//     composited: the stored colour of a transparent pixel is kept, as PIL's
//     convert("RGB") keeps it.
//   - an image of another size is resized with golang.org/x/image/draw's
//     BiLinear: a triangle filter widened by the scale factor when
//     shrinking, like PIL's BILINEAR resize that torchvision's Resize uses
//     on PIL images (antialias=True), so the results agree to about 1/255.
//     The resampling keeps 16 bits of precision where PIL rounds to 8. The
//     aspect ratio is not kept: the image is stretched to height × width.
//     An image so long against the requested size that the filter would
//     need more than its own memory (and 64 MiB) is first shrunk by a box
//     filter (resize.go).
//   - values are v/255 for 8-bit images, v/65535 for 16-bit PNGs.
//
// The colour conversion comes before the resize, as in
// Compose([Grayscale(), Resize(...), ToTensor()]). JPEG chroma is upsampled
// as libjpeg does (see jpegcolor.go). EXIF orientation is ignored, as PIL's
// open ignores it; a GIF gives its first frame alone, not composited onto
// the logical screen as PIL does.
//
// The size is read from the header first: a zero-sized image or one of more
// than MaxImagePixels pixels is rejected before decoding.
func LoadImage(r io.Reader, channels, height, width int) ([]float32, error) {
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("image: %d channels requested, want 1 or 3", channels)
	}
	if height <= 0 || width <= 0 || int64(height)*int64(width) > MaxImagePixels {
		return nil, fmt.Errorf("image: size %d×%d requested, want positive sizes of at most MaxImagePixels (%d) pixels", height, width, MaxImagePixels)
	}
	src := &errReader{r: r}
	head := &capBuffer{max: maxImageHead}
	cfg, format, err := image.DecodeConfig(io.TeeReader(src, head))
	name := imageFormats[format]
	switch {
	case src.err != nil:
		return nil, &Error{Format: fmtImage, Msg: "reading: " + src.err.Error(), Err: src.err}
	case head.full:
		return nil, newError(fmtImage, "header", ErrTooLarge, "no image size in the first %d bytes", maxImageHead)
	case errors.Is(err, image.ErrFormat):
		return nil, newError(fmtImage, "", ErrUnsupported, "not a PNG, JPEG, GIF or BMP image (it starts %q)", prefix(head.Bytes(), 8))
	case err != nil && isEOF(err):
		return nil, newError(fmtImage, "header", ErrTruncated, "truncated %s: the file ends inside its header", name)
	case err != nil:
		return nil, newError(fmtImage, "header", ErrMalformed, "corrupt %s header: %v", name, err)
	case name == "":
		return nil, newError(fmtImage, "", ErrUnsupported, "a %s image; tensorio reads PNG, JPEG, GIF and BMP", format)
	case cfg.Width <= 0 || cfg.Height <= 0:
		return nil, newError(fmtImage, "header", ErrMalformed, "%s of %d×%d pixels holds no pixels", name, cfg.Width, cfg.Height)
	case int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels:
		return nil, newError(fmtImage, "header", ErrTooLarge, "%s of %d×%d pixels is over MaxImagePixels (%d)", name, cfg.Width, cfg.Height, MaxImagePixels)
	}
	img, _, err := image.Decode(io.MultiReader(bytes.NewReader(head.Bytes()), src))
	switch {
	case src.err != nil:
		return nil, &Error{Format: fmtImage, Msg: "reading: " + src.err.Error(), Err: src.err}
	case err != nil && isEOF(err):
		return nil, newError(fmtImage, "", ErrTruncated, "truncated %s", name)
	case err != nil && (strings.Contains(err.Error(), "short Huffman data") || strings.Contains(err.Error(), "not enough image data")):
		// How the JPEG and GIF decoders report compressed data that ends early.
		return nil, newError(fmtImage, "", ErrTruncated, "truncated %s (%v)", name, err)
	case err != nil:
		return nil, newError(fmtImage, "", ErrMalformed, "corrupt %s: %v", name, err)
	}
	b := img.Bounds()
	if b.Empty() || int64(b.Dx())*int64(b.Dy()) > MaxImagePixels {
		return nil, newError(fmtImage, "", ErrMalformed, "%s decodes to %d×%d pixels", name, b.Dx(), b.Dy())
	}
	return toCHW(convertImage(img, channels), channels, height, width), nil
}

// LoadImageFile loads the image at path; see LoadImage.
func LoadImageFile(path string, channels, height, width int) ([]float32, error) {
	f, err := openFile(path, fmtImage)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := LoadImage(f, channels, height, width)
	return data, withFile(err, path)
}

// convertImage returns img with its alpha dropped, as *image.Gray or
// *image.Gray16 for one channel and *image.RGBA or *image.RGBA64 (opaque) for
// three, 16-bit where img is, with its top-left corner at (0, 0).
func convertImage(img image.Image, channels int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	r := image.Rect(0, 0, w, h)
	at := straightRGB(img)
	deep := false
	switch img.(type) {
	case *image.Gray16, *image.RGBA64, *image.NRGBA64:
		deep = true
	}
	switch {
	case channels == 1 && !deep:
		dst := image.NewGray(r)
		for y := range h {
			row := dst.Pix[y*dst.Stride:]
			for x := range w {
				cr, cg, cb := at(b.Min.X+x, b.Min.Y+y)
				// PIL's L24: 8-bit values, weights 19595/38470/7471 of 65536.
				row[x] = uint8((cr>>8*19595 + cg>>8*38470 + cb>>8*7471 + 0x8000) >> 16)
			}
		}
		return dst
	case channels == 1:
		dst := image.NewGray16(r)
		for y := range h {
			row := dst.Pix[y*dst.Stride:]
			for x := range w {
				cr, cg, cb := at(b.Min.X+x, b.Min.Y+y)
				l := (cr*299 + cg*587 + cb*114 + 500) / 1000
				row[2*x], row[2*x+1] = uint8(l>>8), uint8(l)
			}
		}
		return dst
	case !deep:
		dst := image.NewRGBA(r)
		for y := range h {
			row := dst.Pix[y*dst.Stride:]
			for x := range w {
				cr, cg, cb := at(b.Min.X+x, b.Min.Y+y)
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = uint8(cr>>8), uint8(cg>>8), uint8(cb>>8), 0xff
			}
		}
		return dst
	default:
		dst := image.NewRGBA64(r)
		for y := range h {
			for x := range w {
				cr, cg, cb := at(b.Min.X+x, b.Min.Y+y)
				dst.SetRGBA64(x, y, color.RGBA64{uint16(cr), uint16(cg), uint16(cb), 0xffff})
			}
		}
		return dst
	}
}

// straightRGB returns a function giving the 16-bit, not premultiplied RGB
// of a pixel of img, with fast paths for the types the decoders return.
func straightRGB(img image.Image) func(x, y int) (r, g, b uint32) {
	switch m := img.(type) {
	case *image.Gray:
		return func(x, y int) (r, g, b uint32) {
			v := uint32(m.Pix[m.PixOffset(x, y)]) * 0x101
			return v, v, v
		}
	case *image.Gray16:
		return func(x, y int) (r, g, b uint32) {
			i := m.PixOffset(x, y)
			v := uint32(m.Pix[i])<<8 | uint32(m.Pix[i+1])
			return v, v, v
		}
	case *image.NRGBA:
		return func(x, y int) (r, g, b uint32) {
			p := m.Pix[m.PixOffset(x, y):]
			return uint32(p[0]) * 0x101, uint32(p[1]) * 0x101, uint32(p[2]) * 0x101
		}
	case *image.YCbCr:
		return ycbcrToRGB(m)
	case *image.Paletted:
		var pal [256][3]uint32 // indexes past the palette read black
		for i, c := range m.Palette {
			if i < len(pal) {
				pal[i][0], pal[i][1], pal[i][2] = straight(c)
			}
		}
		return func(x, y int) (r, g, b uint32) {
			p := &pal[m.Pix[m.PixOffset(x, y)]]
			return p[0], p[1], p[2]
		}
	}
	return func(x, y int) (r, g, b uint32) { return straight(img.At(x, y)) }
}

// straight un-premultiplies a colour, keeping non-premultiplied ones exact.
func straight(c color.Color) (r, g, b uint32) {
	switch c := c.(type) {
	case color.NRGBA:
		return uint32(c.R) * 0x101, uint32(c.G) * 0x101, uint32(c.B) * 0x101
	case color.NRGBA64:
		return uint32(c.R), uint32(c.G), uint32(c.B)
	case nil:
		return 0, 0, 0
	}
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	return uint32(n.R), uint32(n.G), uint32(n.B)
}

// toCHW resizes src to height × width if it is not that size already, and
// lays its channels out as planes of values in [0, 1].
func toCHW(src image.Image, channels, height, width int) []float32 {
	plane := height * width
	out := make([]float32, channels*plane)
	if b := src.Bounds(); b.Dx() != width || b.Dy() != height {
		dst := resize(src, channels, width, height)
		for y := range height {
			for x := range width {
				p := dst.Pix[dst.PixOffset(x, y):]
				for c := range channels {
					out[c*plane+y*width+x] = float32(uint32(p[2*c])<<8|uint32(p[2*c+1])) / 65535
				}
			}
		}
		return out
	}
	switch m := src.(type) {
	case *image.Gray:
		for y := range height {
			for x, v := range m.Pix[y*m.Stride : y*m.Stride+width] {
				out[y*width+x] = float32(v) / 255
			}
		}
	case *image.Gray16:
		for y := range height {
			for x := range width {
				i := y*m.Stride + 2*x
				out[y*width+x] = float32(uint32(m.Pix[i])<<8|uint32(m.Pix[i+1])) / 65535
			}
		}
	case *image.RGBA:
		for y := range height {
			for x := range width {
				for c := range 3 {
					out[c*plane+y*width+x] = float32(m.Pix[y*m.Stride+4*x+c]) / 255
				}
			}
		}
	case *image.RGBA64:
		for y := range height {
			for x := range width {
				for c := range 3 {
					i := y*m.Stride + 8*x + 2*c
					out[c*plane+y*width+x] = float32(uint32(m.Pix[i])<<8|uint32(m.Pix[i+1])) / 65535
				}
			}
		}
	}
	return out
}

// errReader remembers the first error of the underlying reader other than
// the end of input, so that a failing disk is not reported as a corrupt image.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// capBuffer keeps what is written to it up to max bytes, then fails.
type capBuffer struct {
	bytes.Buffer
	max  int
	full bool
}

func (c *capBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		c.full = true
		return 0, errors.New("image header too long")
	}
	return c.Buffer.Write(p)
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.HasSuffix(err.Error(), "EOF")
}

func prefix(b []byte, n int) []byte {
	return b[:min(len(b), n)]
}
