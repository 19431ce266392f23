package tensorio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// TestLoadImagePIL compares LoadImage with what PIL and torchvision make of
// the same files (testdata/gen.py): Image.open(f).convert(mode).resize((w, h),
// BILINEAR), then ToTensor. maxDiff and meanDiff are in units of 1/255.
func TestLoadImagePIL(t *testing.T) {
	tests := []struct {
		file              string
		c, h, w           int
		maxDiff, meanDiff float64
	}{
		{"gray8.png", 1, 30, 40, 0, 0},
		{"rgb8.png", 1, 30, 40, 0, 0}, // PIL's L24 fixed point, reproduced exactly
		{"rgb8.png", 3, 30, 40, 0, 0},
		{"rgba8.png", 3, 30, 40, 0, 0}, // alpha dropped, colour kept
		{"rgba8.png", 1, 30, 40, 0, 0},
		{"paletted.png", 3, 30, 40, 0, 0},
		{"gray8.png", 3, 30, 40, 0, 0},
		{"frame.gif", 3, 30, 40, 0, 0},
		{"rgb.bmp", 3, 30, 40, 0, 0},
		// Resizing: PIL rounds to 8 bits after each pass; draw keeps 16.
		{"rgb8.png", 3, 13, 17, 1, 0.3},
		{"rgb8.png", 1, 13, 17, 1, 0.3},
		{"rgb8.png", 3, 50, 64, 1, 0.3},
		{"gray8.png", 1, 224, 224, 1, 0.3},
		// JPEG: chroma upsampled and converted as libjpeg does; Go's IDCT
		// still differs from libjpeg's by ±1 here and there. (Go's own
		// chroma replication gives 17/255 at worst, 2.7/255 on average.)
		{"gray.jpg", 1, 30, 40, 1, 0.05},
		{"rgb.jpg", 3, 30, 40, 3, 0.1},
		{"rgb.jpg", 3, 12, 12, 1, 0.3},
		{"odd420.jpg", 3, 29, 39, 3, 0.1},
		{"odd420.jpg", 1, 29, 39, 3, 0.1},
		{"odd422.jpg", 3, 29, 39, 3, 0.1},
		{"odd444.jpg", 3, 29, 39, 3, 0.1},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s_%dx%dx%d", strings.ReplaceAll(tt.file, ".", "_"), tt.c, tt.h, tt.w)
		t.Run(name, func(t *testing.T) {
			want, shape, err := ReadNpyFile(filepath.Join("testdata", "want_"+name+".npy"))
			if err != nil {
				t.Fatal(err)
			}
			if shape[0] != int64(tt.c) || shape[1] != int64(tt.h) || shape[2] != int64(tt.w) {
				t.Fatalf("expected values have shape %v", shape)
			}
			got, err := LoadImageFile(filepath.Join("testdata", tt.file), tt.c, tt.h, tt.w)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, got, want, tt.maxDiff, tt.meanDiff, tt.h*tt.w)
		})
	}
}

// compare checks got against want within maxDiff and meanDiff (in 1/255),
// printing the first values that differ by more.
func compare(t *testing.T, got, want []float32, maxDiff, meanDiff float64, plane int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	var worst, sum float64
	shown := 0
	for i := range got {
		d := math.Abs(float64(got[i])-float64(want[i])) * 255
		sum += d
		worst = max(worst, d)
		if d > maxDiff+1e-3 && shown < 5 {
			t.Errorf("value %d (channel %d, pixel %d): %.5f, want %.5f (%.2f/255 apart)", i, i/plane, i%plane, got[i], want[i], d)
			shown++
		}
	}
	if mean := sum / float64(len(got)); mean > meanDiff+1e-9 {
		t.Errorf("mean difference %.3f/255, want at most %.3f/255", mean, meanDiff)
	}
	t.Logf("max difference %.3f/255, mean %.4f/255", worst, sum/float64(len(got)))
}

func encode(t testing.TB, img image.Image, format string) []byte {
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// 16-bit PNGs keep 16 bits: values are v/65535.
func TestLoadImage16Bit(t *testing.T) {
	g := image.NewGray16(image.Rect(0, 0, 3, 2))
	rgb := image.NewNRGBA64(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		v := uint16(i*13000 + 1)
		g.SetGray16(i%3, i/3, color.Gray16{v})
		rgb.SetNRGBA64(i%3, i/3, color.NRGBA64{v, 65535 - v, 12345, uint16(i * 1000)})
	}
	got, err := LoadImage(bytes.NewReader(encode(t, g, "png")), 1, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if want := float32(i*13000+1) / 65535; got[i] != want {
			t.Errorf("gray16 value %d = %v, want %v", i, got[i], want)
		}
	}
	got, err = LoadImage(bytes.NewReader(encode(t, rgb, "png")), 3, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		v := float32(i*13000 + 1)
		if got[i] != v/65535 || got[6+i] != (65535-v)/65535 || got[12+i] != float32(12345)/65535 {
			t.Errorf("rgb16 pixel %d = %v %v %v", i, got[i], got[6+i], got[12+i])
		}
	}
	got, err = LoadImage(bytes.NewReader(encode(t, rgb, "png")), 1, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	v := uint32(1)
	if want := float32((v*299+(65535-v)*587+12345*114+500)/1000) / 65535; got[0] != want {
		t.Errorf("rgb16 as gray = %v, want %v", got[0], want)
	}
	// Resized 16-bit stays in [0, 1] and near the source's values.
	got, err = LoadImage(bytes.NewReader(encode(t, g, "png")), 3, 5, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range got {
		if x < 0 || x > 1 {
			t.Fatalf("resized value %v outside [0, 1]", x)
		}
	}
}

func TestLoadImageHostile(t *testing.T) {
	for _, tt := range imageHostile(t) {
		t.Run(tt.name, func(t *testing.T) {
			data, err := LoadImage(bytes.NewReader(tt.file), 3, 8, 8)
			if data != nil {
				t.Errorf("%d values returned with the error", len(data))
			}
			checkErr(t, err, tt.kind, tt.want)
		})
	}
}

func imageHostile(t testing.TB) []hostile {
	rgb := encode(t, image.NewRGBA(image.Rect(0, 0, 8, 8)), "png")
	noise := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range noise.Pix {
		noise.Pix[i] = byte(i * 7919 >> 3)
	}
	jpg := encode(t, noise, "jpeg")
	bmp, err := os.ReadFile("testdata/rgb.bmp")
	if err != nil {
		t.Fatal(err)
	}
	gf := encode(t, image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White}), "gif")
	// A PNG whose IHDR says 20000×20000 (with a correct CRC): rejected from
	// the header, before any pixel is allocated.
	huge := pngWithSize(t, 20000, 20000)
	zero := pngWithSize(t, 0, 5)
	badCRC := append([]byte{}, rgb...)
	badCRC[29] ^= 0xff // the IHDR's CRC
	return []hostile{
		{"empty", nil, ErrUnsupported, `not a PNG, JPEG, GIF or BMP image (it starts "")`},
		{"text", []byte("hello, world"), ErrUnsupported, `not a PNG, JPEG, GIF or BMP image (it starts "hello, w")`},
		{"npy", npyFile(f4Dict("(1,)"), make([]byte, 4)), ErrUnsupported, "not a PNG, JPEG"},
		{"PNG signature only", rgb[:8], ErrTruncated, "header: truncated PNG: the file ends inside its header"},
		{"PNG in IHDR", rgb[:20], ErrTruncated, "truncated PNG"},
		{"PNG without IDAT", rgb[:33], ErrTruncated, "image: truncated PNG"},
		{"PNG cut in IDAT", rgb[:len(rgb)-20], ErrTruncated, "image: truncated PNG"},
		{"PNG bad CRC", badCRC, ErrMalformed, "corrupt PNG header: png: invalid format: invalid checksum"},
		{"PNG 20000×20000", huge, ErrTooLarge, "PNG of 20000×20000 pixels is over MaxImagePixels (100000000)"},
		{"PNG 0×5", zero, ErrMalformed, "corrupt PNG header: png: invalid format: non-positive dimension"},
		{"JPEG SOI only", jpg[:2], ErrTruncated, "truncated JPEG"},
		{"JPEG cut", jpg[:len(jpg)/2], ErrTruncated, "image: truncated JPEG"},
		{"JPEG bad marker", append(append([]byte{}, jpg[:2]...), 0xff, 0x01, 0, 0), ErrMalformed, "corrupt JPEG header"},
		{"GIF cut in palette", gf[:15], ErrTruncated, "truncated GIF"},
		{"GIF cut in LZW data", gf[:len(gf)-5], ErrTruncated, "truncated GIF (gif: not enough image data)"},
		{"GIF 0×0", []byte("GIF89a\x00\x00\x00\x00\x00\x00\x00;"), ErrMalformed, "GIF of 0×0 pixels holds no pixels"},
		{"BMP header only", bmp[:20], ErrTruncated, "truncated BMP: the file ends inside its header"},
		{"BMP cut", bmp[:len(bmp)/2], ErrTruncated, "image: truncated BMP"},
		{"BMP 2 bytes", []byte("BM"), ErrUnsupported, "not a PNG, JPEG, GIF or BMP"},
	}
}

// pngWithSize returns a PNG signature and an IHDR chunk of the given size.
func pngWithSize(t testing.TB, w, h uint32) []byte {
	b := encode(t, image.NewGray(image.Rect(0, 0, 1, 1)), "png")[:33]
	b[16], b[17], b[18], b[19] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)
	b[20], b[21], b[22], b[23] = byte(h>>24), byte(h>>16), byte(h>>8), byte(h)
	crc := crc32IEEE(b[12:29])
	b[29], b[30], b[31], b[32] = byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc)
	return b
}

func crc32IEEE(b []byte) uint32 {
	crc := ^uint32(0)
	for _, c := range b {
		crc ^= uint32(c)
		for range 8 {
			crc = crc>>1 ^ 0xedb88320&-(crc&1)
		}
	}
	return ^crc
}

func TestLoadImageArguments(t *testing.T) {
	png1 := encode(t, image.NewGray(image.Rect(0, 0, 2, 2)), "png")
	for _, tt := range []struct {
		c, h, w int
		want    string
	}{
		{2, 2, 2, "2 channels requested, want 1 or 3"},
		{4, 2, 2, "4 channels"},
		{1, 0, 2, "size 0×2 requested"},
		{1, -1, 2, "size -1×2"},
		{1, 100000, 100000, "at most MaxImagePixels"},
	} {
		if _, err := LoadImage(bytes.NewReader(png1), tt.c, tt.h, tt.w); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadImage(%d, %d, %d): %v, want an error containing %q", tt.c, tt.h, tt.w, err, tt.want)
		}
	}
	// A failing reader is reported as such, not as a corrupt image.
	_, err := LoadImage(iotest.ErrReader(errDisk), 1, 2, 2)
	if !errors.Is(err, errDisk) {
		t.Errorf("failing reader: %v", err)
	}
	_, err = LoadImage(io.MultiReader(bytes.NewReader(png1[:40]), iotest.ErrReader(errDisk)), 1, 2, 2)
	if !errors.Is(err, errDisk) {
		t.Errorf("reader failing mid-image: %v", err)
	}
	_, err = LoadImageFile("testdata/f4_3x4.npy", 1, 2, 2)
	checkErr(t, err, ErrUnsupported, "testdata/f4_3x4.npy: image: not a PNG, JPEG, GIF or BMP image")
	// A cap lowered by the caller applies to the file's header.
	defer func(m int64) { MaxImagePixels = m }(MaxImagePixels)
	MaxImagePixels = 1000
	_, err = LoadImageFile("testdata/rgb8.png", 1, 10, 10)
	checkErr(t, err, ErrTooLarge, "PNG of 40×30 pixels is over MaxImagePixels (1000)")
}

// fancyUpsample must cope with every subsampling and with rectangles that
// do not start at the origin (which Go's decoder never makes, SubImage does):
// no panic, and constant chroma stays constant.
func TestYCbCrUpsampling(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	for _, ratio := range ratios {
		for _, r := range []image.Rectangle{image.Rect(0, 0, 1, 1), image.Rect(0, 0, 7, 5), image.Rect(3, 1, 12, 10), image.Rect(-3, -5, 2, 2)} {
			m := image.NewYCbCr(r, ratio)
			for i := range m.Y {
				m.Y[i] = uint8(i * 37)
			}
			for i := range m.Cb {
				m.Cb[i], m.Cr[i] = 90, 200
			}
			for _, img := range []*image.YCbCr{m, m.SubImage(image.Rect(r.Min.X+1, r.Min.Y+1, r.Max.X, r.Max.Y)).(*image.YCbCr)} {
				at := ycbcrToRGB(img)
				for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
					for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
						r, g, b := at(x, y)
						wr, wg, wb := jpegRGB(img.Y[img.YOffset(x, y)], 90, 200)
						if r != wr || g != wg || b != wb {
							t.Fatalf("%v %v at (%d, %d): %d %d %d, want %d %d %d", ratio, img.Rect, x, y, r, g, b, wr, wg, wb)
						}
					}
				}
			}
		}
	}
	// libjpeg's triangle filter on a step: h2v1 of [0 100] is 0 25 75 100.
	out := make([]int32, 4)
	h2v1(out, []uint8{0, 100})
	if want := []int32{0, 25, 75, 100}; !slices.Equal(out, want) {
		t.Errorf("h2v1 = %v, want %v", out, want)
	}
	// h2v2 of nearer row [0 160], further row [0 0]: column sums 0, 480.
	h2v2(out, []uint8{0, 160}, []uint8{0, 0})
	if want := []int32{0, (480 + 7) >> 4, (480*3 + 8) >> 4, (480*4 + 7) >> 4}; !slices.Equal(out, want) {
		t.Errorf("h2v2 = %v, want %v", out, want)
	}
}
