package tensorio

import (
	"encoding/binary"
	"io"
	"math"
	"slices"
)

// Float16ToFloat32 converts an IEEE 754 binary16 value, given by its bits, to
// float32. The conversion is exact for every value: subnormals become normal
// float32 values, infinities stay infinite and NaNs keep their payload.
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0: // ±0
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: mant × 2⁻²⁴; normalise it for float32
		e := uint32(127 - 15 + 1)
		for mant&0x400 == 0 {
			mant <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
	case exp == 0x1f: // ±Inf, NaN
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	default:
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	}
}

// BFloat16ToFloat32 converts a bfloat16 value, given by its bits, to float32.
// bfloat16 is the upper half of a float32, so the conversion is exact.
func BFloat16ToFloat32(b uint16) float32 {
	return math.Float32frombits(uint32(b) << 16)
}

// chunkBytes is how much a reader reads at a time when it converts or grows
// a buffer; it bounds the memory a short file can make a reader commit.
const chunkBytes = 1 << 20

// readBytes reads exactly n bytes. The buffer grows as data arrives, so a
// header that declares a huge size over a short file costs no more memory
// than the file holds. It returns what it read and the reader's error, if any.
func readBytes(r io.Reader, n int64) ([]byte, error) {
	if n <= chunkBytes {
		buf := make([]byte, n)
		m, err := io.ReadFull(r, buf)
		return buf[:m], err
	}
	buf := make([]byte, 0, chunkBytes)
	for int64(len(buf)) < n {
		want := min(n-int64(len(buf)), chunkBytes)
		if int64(cap(buf)-len(buf)) < want {
			grown := make([]byte, len(buf), min(2*int64(cap(buf)), n))
			copy(grown, buf)
			buf = grown
		}
		m, err := io.ReadFull(r, buf[len(buf):len(buf)+int(want)])
		buf = buf[:len(buf)+m]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// readFloat32LE reads n little-endian float32 values, growing its result as
// data arrives, as readBytes does. It returns the values read and the
// reader's error, if any.
func readFloat32LE(r io.Reader, n int64) ([]float32, error) {
	const chunk = chunkBytes / 4
	out := make([]float32, 0, min(n, chunk))
	buf := make([]byte, 4*min(n, chunk))
	for int64(len(out)) < n {
		want := min(n-int64(len(out)), chunk)
		m, err := io.ReadFull(r, buf[:4*want])
		if int64(cap(out)-len(out)) < int64(m/4) {
			grown := make([]float32, len(out), min(2*int64(cap(out)), n))
			copy(grown, out)
			out = grown
		}
		for i := 0; i+4 <= m; i += 4 {
			out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(buf[i:])))
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// numElements returns the product of shape, reporting false if a size is
// negative or the product exceeds limit. A shape with a zero holds no
// elements, however large its other sizes.
func numElements(shape []int64, limit int64) (int64, bool) {
	if slices.Contains(shape, 0) {
		return 0, !slices.ContainsFunc(shape, func(d int64) bool { return d < 0 })
	}
	n, ok := int64(1), true
	for _, d := range shape {
		if n, ok = mulCheck(n, d, limit); !ok {
			return 0, false
		}
	}
	return n, true
}

// mulCheck multiplies non-negative a and b, reporting false if the product
// exceeds limit (or overflows int64).
func mulCheck(a, b, limit int64) (int64, bool) {
	if a < 0 || b < 0 {
		return 0, false
	}
	if b != 0 && a > limit/b {
		return 0, false
	}
	return a * b, true
}
