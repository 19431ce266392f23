package tensorio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// stFile builds a safetensors file from a header and data bytes of zeros.
func stFile(header string, data int) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	b = append(b, header...)
	return append(b, make([]byte, data)...)
}

// stLen builds a file whose length field says n but which holds only rest.
func stLen(n uint64, rest string) []byte {
	return append(binary.LittleEndian.AppendUint64(nil, n), rest...)
}

func readST(b []byte) (*SafetensorsFile, error) {
	return ReadSafetensorsHeader(bytes.NewReader(b), int64(len(b)))
}

// checkErr fails unless err wraps kind and its message contains want.
func checkErr(t *testing.T, err, kind error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v error containing %q", kind, want)
	}
	if !errors.Is(err, kind) {
		t.Errorf("error %q is not %v", err, kind)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\ndoes not contain %q", err, want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("error %q is a %T, not an *Error", err, err)
	}
}

func TestSafetensorsHostile(t *testing.T) {
	for _, tt := range safetensorsHostile() {
		t.Run(tt.name, func(t *testing.T) {
			f, err := readST(tt.file)
			if f != nil {
				t.Errorf("got a file %+v with the error", f)
			}
			checkErr(t, err, tt.kind, tt.want)
		})
	}
}

func safetensorsHostile() []hostile {
	f32 := func(name string, shape string, b, e int) string {
		return `"` + name + `":{"dtype":"F32","shape":` + shape + `,"data_offsets":[` + strconv.Itoa(b) + `,` + strconv.Itoa(e) + `]}`
	}
	return []hostile{
		{"empty file", nil, ErrTruncated, "file of 0 bytes is shorter than the 8-byte header length"},
		{"5 bytes", []byte{1, 2, 3, 4, 5}, ErrTruncated, "shorter than the 8-byte"},
		{"header past end", stLen(100, "{}"), ErrTruncated, "header of 100 bytes does not fit in the file's 2 bytes"},
		{"header length 2^64-1", stLen(math.MaxUint64, "{}"), ErrTooLarge, "over the 100000000-byte limit"},
		{"header 100 MB + 1", stLen(100_000_001, "{}"), ErrTooLarge, "header of 100000001 bytes is over"},
		{"truncated JSON", stFile(`{"a":`, 0), ErrMalformed, "header JSON ends early"},
		{"not JSON", stFile(`hello!!!`, 0), ErrMalformed, "invalid JSON at byte 1 of the header"},
		{"not an object", stFile(`[]      `, 0), ErrMalformed, "the header is an array, want an object"},
		{"invalid UTF-8", stFile("{\"\xff\":1}", 0), ErrMalformed, "header is not valid UTF-8"},
		{"trailing garbage", stFile(`{} {}   `, 0), ErrMalformed, "unexpected an object after the header's object"},
		{"NUL padding", stFile("{}\x00\x00\x00\x00\x00\x00", 0), ErrMalformed, "invalid JSON"},
		{"entry not an object", stFile(`{"a":[1]}`, 0), ErrMalformed, `tensor "a": the entry is an array, want an object`},
		{"unknown dtype", stFile(`{"a":{"dtype":"F128","shape":[],"data_offsets":[0,16]}}`, 16), ErrUnsupported, `tensor "a": unknown dtype "F128"`},
		{"dtype not a string", stFile(`{"a":{"dtype":4,"shape":[],"data_offsets":[0,4]}}`, 4), ErrMalformed, "dtype is the number 4, want a string"},
		{"negative dim", stFile(`{`+f32("a", "[2,-1]", 0, 8)+`}`, 8), ErrMalformed, `tensor "a": shape[1], -1, is negative`},
		{"fractional dim", stFile(`{`+f32("a", "[1.5]", 0, 8)+`}`, 8), ErrMalformed, "shape[0], 1.5, is not an integer"},
		{"dim over 64 bits", stFile(`{`+f32("a", "[99999999999999999999]", 0, 8)+`}`, 8), ErrMalformed, "shape[0], 99999999999999999999, overflows 64 bits"},
		{"dim in exponent form", stFile(`{`+f32("a", "[1e3]", 0, 8)+`}`, 8), ErrMalformed, "shape[0], 1e3, is not an integer"},
		{"shape product overflow", stFile(`{`+f32("a", "[4294967296,4294967296,4294967296]", 0, 8)+`}`, 8), ErrMalformed, "needs more bytes than the 8-byte data buffer holds"},
		{"shape of a string", stFile(`{`+f32("a", `["2"]`, 0, 8)+`}`, 8), ErrMalformed, `shape[0] is the string "2", want an integer`},
		{"rank 65", stFile(`{`+f32("a", "["+strings.Repeat("1,", 64)+"1]", 0, 4)+`}`, 4), ErrMalformed, "shape has more than 64 values"},
		{"span too long", stFile(`{`+f32("a", "[1]", 0, 8)+`}`, 8), ErrMalformed, `data_offsets [0, 8] span 8 bytes, but F32 [1] needs 4`},
		{"span too short", stFile(`{`+f32("a", "[3]", 0, 8)+`}`, 12), ErrMalformed, `data_offsets [0, 8] span 8 bytes, but F32 [3] needs 12`},
		{"shape past data", stFile(`{`+f32("a", "[3]", 0, 8)+`}`, 8), ErrMalformed, `shape [3] of F32 needs more bytes than the 8-byte data buffer holds`},
		{"end past data", stFile(`{`+f32("a", "[4]", 0, 16)+`}`, 8), ErrTruncated, "data_offsets [0, 16] run past the end of the 8-byte data buffer"},
		{"offset near 2^63", stFile(`{`+f32("a", "[2]", 9223372036854775800, 9223372036854775807)+`}`, 8), ErrTruncated, "run past the end"},
		{"begin after end", stFile(`{`+f32("a", "[0]", 8, 4)+`}`, 8), ErrMalformed, "data_offsets [8, 4] end before they begin"},
		{"negative offset", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, 8), ErrMalformed, "data_offsets[0], -4, is negative"},
		{"three offsets", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, 8), ErrMalformed, "data_offsets has more than 2 values"},
		{"one offset", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4]}}`, 8), ErrMalformed, "data_offsets has 1 values, want 2"},
		{"overlap", stFile(`{`+f32("a", "[2]", 0, 8)+`,`+f32("b", "[2]", 4, 12)+`}`, 12), ErrMalformed, `tensor "b": data_offsets [4, 12] overlap tensor "a", which ends at 8`},
		{"same bytes twice", stFile(`{`+f32("a", "[2]", 0, 8)+`,`+f32("b", "[2]", 0, 8)+`}`, 8), ErrMalformed, "overlap"},
		{"hole", stFile(`{`+f32("a", "[1]", 0, 4)+`,`+f32("b", "[1]", 8, 12)+`}`, 12), ErrMalformed, `data bytes [4, 8) between tensor "a" and this tensor belong to no tensor`},
		{"hole at start", stFile(`{`+f32("a", "[1]", 4, 8)+`}`, 8), ErrMalformed, "between the start of the data buffer and this tensor"},
		{"trailing data", stFile(`{`+f32("a", "[1]", 0, 4)+`}`, 12), ErrMalformed, "the tensors cover 4 bytes of the 12-byte data buffer"},
		{"duplicate name", stFile(`{`+f32("a", "[1]", 0, 4)+`,`+f32("a", "[1]", 4, 8)+`}`, 8), ErrMalformed, `tensor "a": name appears twice`},
		{"duplicate field", stFile(`{"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}`, 4), ErrMalformed, "dtype appears twice"},
		{"duplicate metadata", stFile(`{"__metadata__":{},"__metadata__":{}}`, 0), ErrMalformed, "__metadata__: appears twice"},
		{"metadata value number", stFile(`{"__metadata__":{"format":1}}`, 0), ErrMalformed, `value of "format" is the number 1, want a string`},
		{"metadata array", stFile(`{"__metadata__":["pt"]}`, 0), ErrMalformed, "__metadata__: is an array, want an object of strings"},
		{"no dtype", stFile(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, 4), ErrMalformed, "entry has no dtype"},
		{"no shape", stFile(`{"a":{"dtype":"F32","data_offsets":[0,4]}}`, 4), ErrMalformed, "entry has no shape"},
		{"no offsets", stFile(`{"a":{"dtype":"F32","shape":[1]}}`, 4), ErrMalformed, "entry has no data_offsets"},
		{"F4 odd count", stFile(`{"a":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}`, 2), ErrMalformed, "is 12 bits, not a whole number of bytes"},
	}
}

// manyTensors builds a file of n empty tensors, which once took seconds
// to check and printed a problem for each.
func manyTensors(n int) []byte {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"t%d":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`, i)
	}
	b.WriteString("}")
	return stFile(b.String(), 0)
}

// TestSafetensorsTensorLimit checks that a header of MaxSafetensorsTensors
// tensors is read and one more is refused. (Not in safetensorsHostile: the
// file would be a 5 MB fuzz seed.)
func TestSafetensorsTensorLimit(t *testing.T) {
	f, err := readST(manyTensors(MaxSafetensorsTensors))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.Tensors()); got != MaxSafetensorsTensors {
		t.Errorf("%d tensors, want %d", got, MaxSafetensorsTensors)
	}
	_, err = readST(manyTensors(MaxSafetensorsTensors + 1))
	checkErr(t, err, ErrTooLarge, "header lists more than 100000 tensors, the limit")
}

func TestSafetensorsValid(t *testing.T) {
	tests := []struct {
		name    string
		file    []byte
		tensors []TensorInfo
		meta    map[string]string
	}{
		{"empty", stFile("{}      ", 0), []TensorInfo{}, nil},
		{"leading space", stFile(" {}", 0), []TensorInfo{}, nil},
		{"metadata null", stFile(`{"__metadata__":null}`, 0), []TensorInfo{}, nil},
		{"metadata", stFile(`{"__metadata__":{"format":"pt"}}`, 0), []TensorInfo{}, map[string]string{"format": "pt"}},
		{"scalar and zero-sized, header order kept", stFile(`{"z":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"s":{"dtype":"I64","shape":[],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 12),
			[]TensorInfo{{"z", "F32", []int64{0, 3}, 4, 4}, {"s", "I64", []int64{}, 4, 12}, {"a", "F32", []int64{1}, 0, 4}}, nil},
		{"unknown field ignored", stFile(`{"a":{"dtype":"BF16","quant":{"x":[1,2]},"shape":[2],"data_offsets":[0,4]}}`, 4),
			[]TensorInfo{{"a", "BF16", []int64{2}, 0, 4}}, nil},
		{"zero-sized with huge sizes", stFile(`{"a":{"dtype":"F32","shape":[1099511627776,1099511627776,0],"data_offsets":[0,0]}}`, 0),
			[]TensorInfo{{"a", "F32", []int64{1 << 40, 1 << 40, 0}, 0, 0}}, nil},
		{"F4 pair", stFile(`{"a":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}}`, 1), []TensorInfo{{"a", "F4", []int64{2}, 0, 1}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := readST(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Tensors(); !reflect.DeepEqual(got, tt.tensors) {
				t.Errorf("tensors\nhave %+v\nwant %+v", got, tt.tensors)
			}
			if !reflect.DeepEqual(f.Metadata, tt.meta) {
				t.Errorf("metadata: have %v, want %v", f.Metadata, tt.meta)
			}
		})
	}
}

// TestSafetensorsTorch reads a state dict that PyTorch made (testdata/gen.py):
// F32 weights, BatchNorm's I64 num_batches_tracked, F16, BF16 and F64 tensors.
func TestSafetensorsTorch(t *testing.T) {
	var want struct {
		Order []string
		Want  map[string]struct {
			Shape  []int64
			Values []string
		}
	}
	js, err := os.ReadFile("testdata/torch.safetensors.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}
	f, err := OpenSafetensors("testdata/torch.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	for _, ti := range f.Tensors() {
		names = append(names, ti.Name)
	}
	if !reflect.DeepEqual(names, want.Order) {
		t.Errorf("order\nhave %q\nwant %q", names, want.Order)
	}
	if f.Metadata["format"] != "pt" {
		t.Errorf("metadata %v, want format: pt", f.Metadata)
	}
	for name, w := range want.Want {
		data, shape, err := f.Float32(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(shape, w.Shape) {
			t.Errorf("%s: shape %v, want %v", name, shape, w.Shape)
		}
		if len(data) != len(w.Values) {
			t.Errorf("%s: %d values, want %d", name, len(data), len(w.Values))
			continue
		}
		for i, s := range w.Values {
			v, _ := strconv.ParseFloat(s, 32)
			if math.IsInf(v, 0) && float64(data[i]) == v {
				continue
			}
			if data[i] != float32(v) {
				t.Errorf("%s[%d] = %g, want %s", name, i, data[i], s)
				break
			}
		}
	}
	_, _, err = f.Float32("1.num_batches_tracked")
	checkErr(t, err, ErrUnsupported, `testdata/torch.safetensors: safetensors: tensor "1.num_batches_tracked": dtype I64 is not converted`)
	_, _, err = f.Float32("num_batches_tracked")
	checkErr(t, err, ErrNotFound, `did you mean "1.num_batches_tracked"?`)
	_, _, err = f.Float32("model.0.weight")
	checkErr(t, err, ErrNotFound, `did you mean "0.weight"?`)
	_, _, err = f.Float32("fc.weight")
	checkErr(t, err, ErrNotFound, "no tensor of that name in the file (it has 11 tensors)")
}

func TestSafetensorsFloat32Errors(t *testing.T) {
	// An F64 beyond float32's range is an error, not an infinity.
	b := stFile(`{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}`, 16)
	binary.LittleEndian.PutUint64(b[len(b)-8:], math.Float64bits(-1e300))
	f, err := readST(b)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.Float32("a")
	checkErr(t, err, ErrUnsupported, "element 1, -1e+300, is beyond float32's range")

	// A file that shrinks after its header was read.
	b = stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 8)
	f, err = readST(b)
	if err != nil {
		t.Fatal(err)
	}
	f.r = bytes.NewReader(b[:len(b)-3])
	_, _, err = f.Float32("a")
	checkErr(t, err, ErrTruncated, `tensor "a": cannot read the tensor's bytes`)

	// A ReaderAt may say io.EOF with a full buffer at the end of its input.
	f.r = eofAtEnd{bytes.NewReader(b)}
	if data, _, err := f.Float32("a"); err != nil || len(data) != 2 {
		t.Errorf("io.EOF with a full buffer: %v", err)
	}
	if _, err := ReadSafetensorsHeader(eofAtEnd{bytes.NewReader(b)}, int64(len(b))); err != nil {
		t.Errorf("io.EOF with a full buffer: %v", err)
	}

	// A failing reader's error is passed through.
	f.r = errReaderAt{}
	_, _, err = f.Float32("a")
	if !errors.Is(err, errDisk) {
		t.Errorf("error %v does not wrap the reader's", err)
	}
	if _, err := ReadSafetensorsHeader(errReaderAt{}, 100); !errors.Is(err, errDisk) {
		t.Errorf("error %v does not wrap the reader's", err)
	}

	if _, err := OpenSafetensors("testdata/no such file"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("open of a missing file: %v", err)
	}
	if _, err := OpenSafetensors("testdata"); err == nil || !strings.Contains(err.Error(), "testdata: safetensors: not a regular file") {
		t.Errorf("open of a directory: %v", err)
	}
}

var errDisk = errors.New("disk on fire")

type eofAtEnd struct{ r *bytes.Reader }

func (e eofAtEnd) ReadAt(p []byte, off int64) (int, error) {
	n, err := e.r.ReadAt(p, off)
	if err == nil && off+int64(n) == e.r.Size() {
		err = io.EOF
	}
	return n, err
}

type errReaderAt struct{}

func (errReaderAt) ReadAt([]byte, int64) (int, error) { return 0, errDisk }

// The reference implementation's own serialization tests, byte for byte.
func TestWriteSafetensorsReference(t *testing.T) {
	var buf bytes.Buffer
	err := WriteSafetensors(&buf, []NamedTensor{{"attn.0", []int64{1, 2, 3}, []float32{0, 1, 2, 3, 4, 5}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{64, 0, 0, 0, 0, 0, 0, 0}
	want = append(want, `{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}`...)
	want = append(want, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64)
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("have %q\nwant %q", buf.Bytes(), want)
	}

	buf.Reset()
	WriteSafetensors(&buf, nil, nil)
	if want := "\x08\x00\x00\x00\x00\x00\x00\x00{}      "; buf.String() != want {
		t.Errorf("empty: have %q, want %q", buf.String(), want)
	}
	buf.Reset()
	WriteSafetensors(&buf, nil, map[string]string{"framework": "pt"})
	if want := "\x28\x00\x00\x00\x00\x00\x00\x00" + `{"__metadata__":{"framework":"pt"}}` + "     "; buf.String() != want {
		t.Errorf("metadata: have %q, want %q", buf.String(), want)
	}
}

func TestWriteSafetensorsRoundTrip(t *testing.T) {
	in := []NamedTensor{
		{"z.weight", []int64{2, 1, 2, 2}, []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -0.0, 1e-45, math.MaxFloat32}},
		{"a.bias <&>", []int64{2}, []float32{7, 8}},
		{"scalar", []int64{}, []float32{42}},
		{"empty", []int64{0, 5}, nil},
		{"ünï", []int64{1}, []float32{float32(math.NaN())}},
	}
	meta := map[string]string{"format": "pt", "by": "cnnc \"test\""}
	path := filepath.Join(t.TempDir(), "x.safetensors")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteSafetensors(out, in, meta); err != nil {
		t.Fatal(err)
	}
	out.Close()
	raw, _ := os.ReadFile(path)
	if n := binary.LittleEndian.Uint64(raw); n%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", n)
	}
	f, err := OpenSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !reflect.DeepEqual(f.Metadata, meta) {
		t.Errorf("metadata %v, want %v", f.Metadata, meta)
	}
	for i, ti := range f.Tensors() {
		w := in[i]
		if ti.Name != w.Name || ti.Dtype != "F32" {
			t.Errorf("tensor %d is %q %s, want %q F32", i, ti.Name, ti.Dtype, w.Name)
		}
		data, shape, err := f.Float32(w.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(shape, w.Shape) {
			t.Errorf("%s: shape %v, want %v", w.Name, shape, w.Shape)
		}
		for j := range w.Data {
			if math.Float32bits(data[j]) != math.Float32bits(w.Data[j]) {
				t.Errorf("%s[%d] = %g, want %g", w.Name, j, data[j], w.Data[j])
			}
		}
	}
}

func TestWriteSafetensorsErrors(t *testing.T) {
	tests := []struct {
		tensors []NamedTensor
		meta    map[string]string
		want    string
	}{
		{[]NamedTensor{{"a", []int64{2, 2}, make([]float32, 3)}}, nil, `tensor "a": shape [2, 2] does not hold the 3 values given`},
		{[]NamedTensor{{"a", []int64{-1, -3}, make([]float32, 3)}}, nil, `shape [-1, -3] does not hold`},
		{[]NamedTensor{{"a", []int64{1 << 40, 1 << 40}, nil}}, nil, `does not hold the 0 values`},
		{[]NamedTensor{{"a", nil, []float32{1}}, {"a", nil, []float32{1}}}, nil, `tensor "a": name given twice`},
		{[]NamedTensor{{"__metadata__", nil, []float32{1}}}, nil, "reserved"},
		{[]NamedTensor{{"\xff", nil, []float32{1}}}, nil, "not valid UTF-8"},
		{nil, map[string]string{"k": "\xff"}, "not valid UTF-8"},
		{[]NamedTensor{{"a", make([]int64, 65), nil}}, nil, "65 dimensions"},
	}
	for _, tt := range tests {
		err := WriteSafetensors(io.Discard, tt.tensors, tt.meta)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want one containing %q", err, tt.want)
		}
	}
	if err := WriteSafetensors(failWriter{}, []NamedTensor{{"a", nil, []float32{1}}}, nil); !errors.Is(err, errDisk) {
		t.Errorf("error %v does not wrap the writer's", err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errDisk }

// A hostile input, the kind of error it must give and a part of its message.
type hostile struct {
	name string
	file []byte
	kind error
	want string
}
