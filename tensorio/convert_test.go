package tensorio

import (
	"bytes"
	"errors"
	"io"
	"math"
	"testing"
	"testing/iotest"
)

// Exact values, as numpy (float16) and PyTorch (bfloat16) convert them.
func TestFloat16Values(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0}, {0x0001, 5.960464477539063e-08}, {0x8001, -5.960464477539063e-08},
		{0x0200, 3.0517578125e-05}, {0x03ff, 6.097555160522461e-05}, {0x0400, 6.103515625e-05},
		{0x3c00, 1}, {0x3c01, 1.0009765625}, {0xc000, -2}, {0x3555, 0.333251953125},
		{0x7bff, 65504}, {0xfbff, -65504}, {0x7c00, inf}, {0xfc00, -inf},
	}
	for _, tt := range tests {
		if got := Float16ToFloat32(tt.bits); float64(got) != tt.want {
			t.Errorf("Float16ToFloat32(%#04x) = %g, want %g", tt.bits, got, tt.want)
		}
	}
	if got := Float16ToFloat32(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("Float16ToFloat32(0x8000) = %g, want -0", got)
	}
	for _, b := range []uint16{0x7c01, 0x7e00, 0xfe00, 0x7fff} {
		if got := Float16ToFloat32(b); !math.IsNaN(float64(got)) {
			t.Errorf("Float16ToFloat32(%#04x) = %g, want NaN", b, got)
		}
	}
}

// Every float16 value against arithmetic from the definition.
func TestFloat16Exhaustive(t *testing.T) {
	for b := 0; b < 1<<16; b++ {
		h := uint16(b)
		exp, mant := int(h>>10&0x1f), float64(h&0x3ff)
		var want float64
		switch exp {
		case 0:
			want = math.Ldexp(mant, -24)
		case 31:
			want = math.Inf(1)
			if mant != 0 {
				want = math.NaN()
			}
		default:
			want = math.Ldexp(1024+mant, exp-25)
		}
		if h>>15 == 1 {
			want = -want
		}
		got := float64(Float16ToFloat32(h))
		if math.IsNaN(want) != math.IsNaN(got) || !math.IsNaN(want) && (got != want || math.Signbit(got) != math.Signbit(want)) {
			t.Fatalf("Float16ToFloat32(%#04x) = %g, want %g", h, got, want)
		}
	}
}

func TestBFloat16Values(t *testing.T) {
	tests := []struct {
		bits uint16
		want float64
	}{
		{0x0001, 9.183549615799121e-41}, {0x8001, -9.183549615799121e-41},
		{0x007f, 1.1663108012064884e-38}, {0x0080, 1.1754943508222875e-38},
		{0x3f80, 1}, {0x4049, 3.140625}, {0xc2f7, -123.5},
		{0x7f7f, 3.3895313892515355e+38}, {0x7f80, math.Inf(1)}, {0xff80, math.Inf(-1)},
	}
	for _, tt := range tests {
		if got := BFloat16ToFloat32(tt.bits); float64(got) != tt.want {
			t.Errorf("BFloat16ToFloat32(%#04x) = %g, want %g", tt.bits, got, tt.want)
		}
	}
	if got := BFloat16ToFloat32(0x7fc0); !math.IsNaN(float64(got)) {
		t.Errorf("BFloat16ToFloat32(0x7fc0) = %g, want NaN", got)
	}
}

// The growing readers must return what arrived and the reader's error, and
// must not allocate what a header declares when the data is short.
func TestReadGrowing(t *testing.T) {
	src := make([]byte, 3*chunkBytes+5)
	for i := range src {
		src[i] = byte(i)
	}
	got, err := readBytes(iotest.HalfReader(bytes.NewReader(src)), int64(len(src)))
	if err != nil || !bytes.Equal(got, src) {
		t.Fatalf("readBytes: %d bytes, %v", len(got), err)
	}
	got, err = readBytes(bytes.NewReader(src), 1<<40)
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(got) != len(src) {
		t.Fatalf("readBytes short: %d bytes, %v", len(got), err)
	}
	if cap(got) > 8*chunkBytes {
		t.Errorf("readBytes of a short input grew to %d bytes", cap(got))
	}
	fs, err := readFloat32LE(bytes.NewReader(src), 1<<40)
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(fs) != len(src)/4 {
		t.Fatalf("readFloat32LE short: %d values, %v", len(fs), err)
	}
	if cap(fs) > 2*chunkBytes {
		t.Errorf("readFloat32LE of a short input grew to %d values", cap(fs))
	}
	fs, err = readFloat32LE(bytes.NewReader([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x40}), 2)
	if err != nil || len(fs) != 2 || fs[0] != 1 || fs[1] != 2 {
		t.Errorf("readFloat32LE: %v, %v", fs, err)
	}
}
