package tensorio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// npyFile builds a version 1.0 .npy file from a header dict and data bytes.
func npyFile(dict string, data []byte) []byte {
	b := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(b[8:], uint16(len(dict)+1))
	b = append(b, dict+"\n"...)
	return append(b, data...)
}

func f4Dict(shape string) string {
	return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"
}

func TestNpyNumpyFiles(t *testing.T) {
	a34 := make([]float32, 12)
	for i := range a34 {
		a34[i] = float32(i) / 7
	}
	valid := []struct {
		file  string
		shape []int64
		data  []float32
	}{
		{"f4_3x4.npy", []int64{3, 4}, a34},
		{"f4_v2.npy", []int64{3, 4}, a34},
		{"f4_v3.npy", []int64{3, 4}, a34},
		{"f4_scalar.npy", []int64{}, []float32{2.5}},
		{"f4_empty.npy", []int64{0, 3}, []float32{}},
	}
	for _, tt := range valid {
		data, shape, err := ReadNpyFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if !reflect.DeepEqual(shape, tt.shape) || !reflect.DeepEqual(data, tt.data) {
			t.Errorf("%s: have %v %v\nwant %v %v", tt.file, shape, data, tt.shape, tt.data)
		}
	}
	rejected := []struct {
		file string
		kind error
		want string
	}{
		{"f8.npy", ErrUnsupported, `testdata/f8.npy: npy: descr: dtype float64 ("<f8"), want float32 '<f4': save a.astype(np.float32)`},
		{"f4_big_endian.npy", ErrUnsupported, `big-endian float32 (">f4"), want little-endian '<f4': save a.astype('<f4')`},
		{"fortran.npy", ErrUnsupported, "fortran_order: array is in Fortran (column-major) order; save np.ascontiguousarray(a)"},
		{"i8.npy", ErrUnsupported, `dtype int64 ("<i8")`},
		{"bool.npy", ErrUnsupported, `dtype bool ("|b1")`},
		{"object.npy", ErrUnsupported, `an object array ("|O"), which only pickle can read`},
		{"structured.npy", ErrUnsupported, "a structured dtype"},
	}
	for _, tt := range rejected {
		_, _, err := ReadNpyFile(filepath.Join("testdata", tt.file))
		checkErr(t, err, tt.kind, tt.want)
	}
}

func TestNpyHostile(t *testing.T) {
	for _, tt := range npyHostile() {
		t.Run(tt.name, func(t *testing.T) {
			data, shape, err := ReadNpy(bytes.NewReader(tt.file))
			if data != nil || shape != nil {
				t.Errorf("values %v, shape %v returned with the error", data, shape)
			}
			checkErr(t, err, tt.kind, tt.want)
		})
	}
}

func npyHostile() []hostile {
	v2 := func(n uint32) []byte {
		return binary.LittleEndian.AppendUint32([]byte("\x93NUMPY\x02\x00"), n)
	}
	return []hostile{
		{"empty", nil, ErrTruncated, "file of 0 bytes ends inside the 8-byte magic and version"},
		{"half magic", []byte("\x93NUM"), ErrTruncated, "file of 4 bytes ends inside"},
		{"wrong magic", []byte("\x89PNG\r\n\x1a\n0000"), ErrMalformed, `not an .npy file: it starts "\x89PNG\r\n", want "\x93NUMPY"`},
		{"npz", []byte("PK\x03\x04aaaaaaaa"), ErrUnsupported, "an .npz archive"},
		{"version 4", []byte("\x93NUMPY\x04\x00\x10\x00"), ErrUnsupported, "format version 4.0"},
		{"no header length", []byte("\x93NUMPY\x01\x00\x10"), ErrTruncated, "header length: file ends inside the header length"},
		{"header past end", append([]byte("\x93NUMPY\x01\x00\x76\x00"), "{'descr'"...), ErrTruncated, "file ends 8 bytes into the 118-byte header"},
		{"v2 header 4 GB", v2(math.MaxUint32), ErrTooLarge, "header of 4294967295 bytes is over numpy's 10000-byte limit"},
		{"v1 header over limit", []byte("\x93NUMPY\x01\x00\xff\xff"), ErrTooLarge, "header of 65535 bytes"},
		{"f8", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", make([]byte, 8)), ErrUnsupported, "dtype float64"},
		{"f2", npyFile("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", make([]byte, 2)), ErrUnsupported, "dtype float16"},
		{"u1", npyFile("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", make([]byte, 1)), ErrUnsupported, "dtype uint8"},
		{"c8", npyFile("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", nil), ErrUnsupported, "dtype complex64"},
		{"datetime", npyFile("{'descr': '<M8[ns]', 'fortran_order': False, 'shape': (1,), }", nil), ErrUnsupported, `dtype datetime64 ("<M8[ns]")`},
		{"unicode", npyFile("{'descr': '<U4', 'fortran_order': False, 'shape': (1,), }", nil), ErrUnsupported, "dtype unicode string"},
		{"big-endian", npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", make([]byte, 4)), ErrUnsupported, "big-endian float32"},
		{"native order", npyFile("{'descr': '=f4', 'fortran_order': False, 'shape': (1,), }", make([]byte, 4)), ErrUnsupported, "native-order float32"},
		{"unknown dtype", npyFile("{'descr': '<z4', 'fortran_order': False, 'shape': (1,), }", nil), ErrUnsupported, `unknown dtype "<z4"`},
		{"dtype not a string", npyFile("{'descr': 4, 'fortran_order': False, 'shape': (1,), }", nil), ErrMalformed, "descr: is the integer 4"},
		{"fortran", npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", make([]byte, 16)), ErrUnsupported, "Fortran (column-major) order"},
		{"fortran_order string", npyFile("{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,), }", nil), ErrMalformed, `fortran_order: is the string "no", want True or False`},
		{"not a dict", npyFile("['<f4']", nil), ErrMalformed, "header is a list, want a dict"},
		{"unclosed dict", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", nil), ErrMalformed, "want ',' or '}'"},
		{"unclosed string", npyFile("{'descr: <f4}", nil), ErrMalformed, "runs past the line"},
		{"missing colon", npyFile("{'descr' '<f4'}", nil), ErrMalformed, `want ':' after the key "descr"`},
		{"missing key", npyFile("{'descr': '<f4', 'shape': (1,)}", nil), ErrMalformed, `no "fortran_order" key`},
		{"extra key", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", nil), ErrMalformed, `unexpected key "x"`},
		{"duplicate key", npyFile("{'descr': '<f4', 'descr': '<f4'}", nil), ErrMalformed, `key "descr" appears twice`},
		{"int key", npyFile("{1: '<f4'}", nil), ErrMalformed, "dict key is the integer 1"},
		{"trailing junk", npyFile(f4Dict("(1,)")+" x", nil), ErrMalformed, `unexpected "x" after the dict`},
		{"name", npyFile("{'descr': float32}", nil), ErrMalformed, `unexpected name "float32"`},
		{"deep nesting", npyFile(strings.Repeat("(", 100), nil), ErrMalformed, "nested more than 8 deep"},
		{"empty header", npyFile("", nil), ErrMalformed, "ends where a value should be"},
		{"shape list", npyFile(f4Dict("[2]"), nil), ErrMalformed, "shape: is a list, want a tuple"},
		{"shape float", npyFile(f4Dict("(2.0,)"), nil), ErrMalformed, `number "2." is not an integer`},
		{"shape string", npyFile(f4Dict("('2',)"), nil), ErrMalformed, `shape[0] is the string "2"`},
		{"negative dim", npyFile(f4Dict("(2, -1)"), nil), ErrMalformed, "shape[1] is -1, want a size ≥ 0"},
		{"dim over 64 bits", npyFile(f4Dict("(99999999999999999999,)"), nil), ErrMalformed, "does not fit in 64 bits"},
		{"over MaxElements", npyFile(f4Dict("(65536, 65536)"), nil), ErrTooLarge, "shape [65536, 65536] holds more than MaxElements"},
		{"product overflow", npyFile(f4Dict("(4294967296, 4294967296, 4294967296)"), nil), ErrTooLarge, "more than MaxElements"},
		{"rank 65", npyFile(f4Dict("("+strings.Repeat("1, ", 65)+")"), nil), ErrMalformed, "has 65 dimensions"},
		{"no data", npyFile(f4Dict("(3,)"), nil), ErrTruncated, "data: data holds 0 of the 3 values shape [3] declares"},
		{"short data", npyFile(f4Dict("(3,)"), make([]byte, 10)), ErrTruncated, "holds 2 of the 3 values"},
		{"huge shape, little data", npyFile(f4Dict("(1000000000,)"), make([]byte, 100)), ErrTruncated, "holds 25 of the 1000000000 values"},
	}
}

func TestNpyValidHeaders(t *testing.T) {
	tests := []struct {
		dict  string
		shape []int64
	}{
		{f4Dict("()"), []int64{}},
		{f4Dict("(2,)"), []int64{2}},
		{f4Dict("(4294967296, 4294967296, 0)"), []int64{1 << 32, 1 << 32, 0}}, // no values, however large the other sizes
		{"{\"shape\":(1,2),\"fortran_order\":False,\"descr\":\"<f4\"}", []int64{1, 2}},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 1L), }", []int64{2, 1}},
		{"{'descr': '<f4', 'fortran_order': True, 'shape': (0,), }", nil}, // rejected: Fortran order is refused whatever the shape
	}
	for _, tt := range tests {
		n := int64(1)
		for _, d := range tt.shape {
			n *= d
		}
		data, shape, err := ReadNpy(bytes.NewReader(npyFile(tt.dict, make([]byte, 4*n))))
		if tt.shape == nil {
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s: error %v, want ErrUnsupported", tt.dict, err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(shape, tt.shape) || int64(len(data)) != n {
			t.Errorf("%s: shape %v, %d values, %v", tt.dict, shape, len(data), err)
		}
	}
}

func TestNpyTrailingBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.npy")
	os.WriteFile(path, npyFile(f4Dict("(1,)"), make([]byte, 12)), 0o666)
	_, _, err := ReadNpyFile(path)
	checkErr(t, err, ErrMalformed, "x.npy: npy: data: 8 bytes follow the 1 values shape [1] declares")
	// A stream reader stops at the array's end.
	if _, _, err := ReadNpy(bytes.NewReader(npyFile(f4Dict("(1,)"), make([]byte, 12)))); err != nil {
		t.Error(err)
	}
}

func TestNpyRoundTrip(t *testing.T) {
	tests := []struct {
		shape []int64
		n     int
	}{{[]int64{}, 1}, {[]int64{5}, 5}, {[]int64{2, 3, 4}, 24}, {[]int64{0, 7}, 0}, {[]int64{1, 1, 1, 1, 100000}, 100000}, {[]int64{1, 0}, 0}, {[]int64{1 << 40, 1 << 40, 0}, 0}}
	for _, tt := range tests {
		data := make([]float32, tt.n)
		for i := range data {
			data[i] = float32(i)*0.25 - 3
		}
		var buf bytes.Buffer
		if err := WriteNpy(&buf, data, tt.shape); err != nil {
			t.Fatal(err)
		}
		hlen := int(binary.LittleEndian.Uint16(buf.Bytes()[8:]))
		if (10+hlen)%64 != 0 || buf.Bytes()[10+hlen-1] != '\n' {
			t.Errorf("shape %v: data starts at %d, not a multiple of 64 after a newline", tt.shape, 10+hlen)
		}
		got, shape, err := ReadNpy(iotest.OneByteReader(&buf))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(shape, tt.shape) || !reflect.DeepEqual(got, data) {
			t.Errorf("round trip of %v: shape %v, %d values", tt.shape, shape, len(got))
		}
	}
	// numpy's own layout, byte for byte (np.save of np.arange(12, dtype='<f4').reshape(3, 4) / 7).
	want, _ := os.ReadFile("testdata/f4_3x4.npy")
	data, shape, _ := ReadNpyFile("testdata/f4_3x4.npy")
	var buf bytes.Buffer
	WriteNpy(&buf, data, shape)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("WriteNpy\nhave %q\nwant %q", buf.Bytes(), want)
	}
}

func TestWriteNpyErrors(t *testing.T) {
	var buf bytes.Buffer
	for _, tt := range []struct {
		data  []float32
		shape []int64
		want  string
	}{
		{make([]float32, 5), []int64{2, 3}, "shape [2, 3] does not hold the 5 values given"},
		{make([]float32, 6), []int64{-2, -3}, "shape [-2, -3] does not hold"},
		{nil, []int64{}, "shape [] does not hold the 0 values"},
		{nil, make([]int64, 65), "65 dimensions"},
	} {
		if err := WriteNpy(&buf, tt.data, tt.shape); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want one containing %q", err, tt.want)
		}
	}
	if err := WriteNpy(failWriter{}, []float32{1}, []int64{1}); !errors.Is(err, errDisk) {
		t.Errorf("error %v does not wrap the writer's", err)
	}
}
