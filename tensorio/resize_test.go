package tensorio

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"math"
	"runtime"
	"testing"
	"time"
)

// linePNG writes an 8-bit gray PNG of w × h pixels with pixel (x, y) =
// at(x, y), a row at a time: a line of 40,000,000 pixels compresses to a
// few kilobytes and takes no more memory to write.
func linePNG(t testing.TB, w, h int, at func(x, y int) uint8) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		c := append([]byte(kind), data...)
		out.Write(c)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	chunk("IHDR", append(ihdr, 8, 0, 0, 0, 0)) // 8-bit gray, no interlace
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	var rows []byte
	for y := range h {
		rows = append(rows, 0) // filter 0
		for x := range w {
			rows = append(rows, at(x, y))
		}
		if len(rows) >= 1<<16 || y == h-1 {
			zw.Write(rows)
			rows = rows[:0]
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// TestResizeLongImages loads images of a line of pixels, tall and wide,
// which once made the resize ask for 36 GB (LeNet-5's 28×28) or panic on
// an index past 32 bits (ResNet's 3×224×224): the result must be right
// and the memory allocated a small multiple of the decoded image.
func TestResizeLongImages(t *testing.T) {
	long, wideLong := 2_000_000, 2_000_000
	if !testing.Short() {
		long = 40_000_000 // within MaxImagePixels, the size of the report
		wideLong = 10_000_000
	}
	// Two bands: 50 in the first half of the line, 200 in the second.
	band := func(n int) func(i int) uint8 {
		return func(i int) uint8 {
			if i < n/2 {
				return 50
			}
			return 200
		}
	}
	tall := linePNG(t, 1, long, func(x, y int) uint8 { return band(long)(y) })
	wide := linePNG(t, wideLong, 1, func(x, y int) uint8 { return band(wideLong)(x) })
	for _, tc := range []struct {
		name    string
		png     []byte
		n       int // pixels
		c, h, w int
	}{
		{"tall to 1x28x28", tall, long, 1, 28, 28},
		{"tall to 3x224x224", tall, long, 3, 224, 224},
		{"wide to 1x28x28", wide, wideLong, 1, 28, 28},
		{"wide to 3x224x224", wide, wideLong, 3, 224, 224},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			got, err := LoadImage(bytes.NewReader(tc.png), tc.c, tc.h, tc.w)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			// The decoder holds the image (n bytes; a line as wide also
			// two rows of it), the conversion makes it n or 4n bytes, and
			// the resize may take as much again, or 64 MiB.
			converted := uint64(tc.n * map[int]int{1: 1, 3: 4}[tc.c])
			alloc := after.TotalAlloc - before.TotalAlloc
			if limit := 3*uint64(tc.n) + 2*converted + uint64(resizeFloor) + 16<<20; alloc > limit {
				t.Errorf("allocated %d MB for an image of %d MB; want at most %d MB", alloc>>20, tc.n>>20, limit>>20)
			}
			t.Logf("%v, %d MB allocated", elapsed, alloc>>20)
			// The first and last rows (or columns) lie within one band.
			plane := tc.h * tc.w
			for c := range tc.c {
				for i := range tc.w {
					first, last := got[c*plane+i], got[c*plane+(tc.h-1)*tc.w+i]
					if tc.name[0] == 'w' {
						first, last = got[c*plane+i*tc.w], got[c*plane+i*tc.w+tc.w-1]
					}
					if math.Abs(float64(first)*255-50) > 0.5 || math.Abs(float64(last)*255-200) > 0.5 {
						t.Fatalf("channel %d, %d: the ends are %v and %v, want 50/255 and 200/255", c, i, first*255, last*255)
					}
				}
			}
		})
	}
}

// TestResizeReduced checks the box filter that shrinks long images before
// the triangle filter against the triangle filter alone, on images small
// enough for both: they must agree within 1/255.
func TestResizeReduced(t *testing.T) {
	saved := resizeFloor
	defer func() { resizeFloor = saved }()
	smooth := func(x, y, w, h int) float64 {
		return 0.5 + 0.4*math.Sin(float64(x)/float64(w)*5+float64(y)/float64(h)*3)
	}
	gray := image.NewGray(image.Rect(0, 0, 37, 5000))
	rgb := image.NewRGBA(image.Rect(0, 0, 20000, 5))
	deep := image.NewRGBA64(image.Rect(0, 0, 10, 20000))
	for y := range 5000 {
		for x := range 37 {
			gray.SetGray(x, y, color.Gray{uint8(255 * smooth(x, y, 37, 5000))})
		}
	}
	for y := range 5 {
		for x := range 20000 {
			v := smooth(x, y, 20000, 5)
			rgb.SetRGBA(x, y, color.RGBA{uint8(255 * v), uint8(255 * (1 - v)), uint8(128 * v), 255})
		}
	}
	for y := range 20000 {
		for x := range 10 {
			v := smooth(x, y, 10, 20000)
			deep.SetRGBA64(x, y, color.RGBA64{uint16(65535 * v), uint16(30000 * v), uint16(65535 * (1 - v)), 0xffff})
		}
	}
	for _, tc := range []struct {
		name    string
		img     image.Image
		c, h, w int
	}{
		{"gray 37x5000", gray, 1, 28, 28},
		{"rgb 20000x5", rgb, 3, 224, 224},
		{"rgb64 10x20000", deep, 3, 28, 28},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resizeFloor = saved
			b := tc.img.Bounds()
			if kx, ky := reduction(b.Dx(), b.Dy(), tc.w, tc.h, imageBytes(tc.img)); kx != 1 || ky != 1 {
				t.Fatalf("reduced by %dx%d at the usual floor", kx, ky)
			}
			exact := toCHW(tc.img, tc.c, tc.h, tc.w)
			resizeFloor = 0
			kx, ky := reduction(b.Dx(), b.Dy(), tc.w, tc.h, imageBytes(tc.img))
			if kx == 1 && ky == 1 {
				t.Fatal("not reduced with no floor")
			}
			reduced := toCHW(tc.img, tc.c, tc.h, tc.w)
			worst := 0.0
			for i := range exact {
				worst = max(worst, math.Abs(float64(exact[i]-reduced[i]))*255)
			}
			t.Logf("reduced by %dx%d first: %.3f/255 at worst", kx, ky, worst)
			if worst > 1 {
				t.Errorf("the reduced resize differs by %.3f/255", worst)
			}
		})
	}
}

// TestReduction checks which sizes are reduced: photographs and the test
// images never; lines of pixels always, on their long axis, to a scaler
// within the budget.
func TestReduction(t *testing.T) {
	for _, tc := range []struct {
		sw, sh, dw, dh, bpp int
		kx, ky              int // 0: any reduction
	}{
		{640, 480, 224, 224, 4, 1, 1},
		{4000, 3000, 224, 224, 4, 1, 1},
		{30000, 4000, 224, 224, 4, 1, 1},
		{4000, 30000, 224, 224, 4, 1, 1},
		{40, 30, 224, 224, 1, 1, 1},
		{28, 28, 1024, 1024, 1, 1, 1},
		{1, 40_000_000, 28, 28, 1, 1, 0},
		{1, 40_000_000, 224, 224, 4, 1, 0},
		{40_000_000, 1, 224, 224, 4, 0, 1},
		{10, 10_000_000, 224, 224, 8, 1, 0},
	} {
		size := int64(tc.sw) * int64(tc.sh) * int64(tc.bpp)
		kx, ky := reduction(tc.sw, tc.sh, tc.dw, tc.dh, size)
		if tc.kx != 0 && kx != tc.kx || tc.ky != 0 && ky != tc.ky || tc.kx == 0 && kx == 1 || tc.ky == 0 && ky == 1 {
			t.Errorf("%dx%d to %dx%d: reduced by %dx%d, want %dx%d (0: more than 1)", tc.sw, tc.sh, tc.dw, tc.dh, kx, ky, tc.kx, tc.ky)
		}
		w, h := int64(ceilDiv(tc.sw, kx)), int64(ceilDiv(tc.sh, ky))
		if s := scalerBytes(w, h, int64(tc.dw), int64(tc.dh)); s > max(resizeFloor, size) || int64(tc.dw)*h >= 1<<31 {
			t.Errorf("%dx%d to %dx%d: the scaler needs %d MB after reduction", tc.sw, tc.sh, tc.dw, tc.dh, s>>20)
		}
	}
}
