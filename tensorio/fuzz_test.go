package tensorio

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"testing"
)

// The fuzz targets' seeds are the files under testdata/fuzz/FuzzXxx, which
// go test runs as ordinary test cases. They are the valid files of
// testdata/ and the hostile inputs of the table tests, written by
//
//	go test ./tensorio -run TestFuzzCorpus -update-corpus
//
// Crashers found by fuzzing are added there by go test itself; keep them.
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the seed corpus under testdata/fuzz")

// mustBeError fails unless err is an *Error, as every reader's errors must be.
func mustBeError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, not an *Error", err, err)
	}
	if e.Msg == "" || e.Format == "" {
		t.Fatalf("error %#v lacks a format or a message", e)
	}
}

func sameBits(a, b []float32) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) })
}

func FuzzSafetensors(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		sf, err := ReadSafetensorsHeader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			mustBeError(t, err)
			return
		}
		var read []NamedTensor
		for _, ti := range sf.Tensors() {
			if ti.End > int64(len(b)) || ti.Begin > ti.End {
				t.Fatalf("tensor %q [%d, %d] accepted in a %d-byte file", ti.Name, ti.Begin, ti.End, len(b))
			}
			data, shape, err := sf.Float32(ti.Name)
			if err != nil {
				mustBeError(t, err)
				continue
			}
			if int64(len(data)) != ti.NumElements() || 2*int64(len(data)) > int64(len(b)) {
				t.Fatalf("tensor %q: %d values from a %d-byte file", ti.Name, len(data), len(b))
			}
			read = append(read, NamedTensor{ti.Name, shape, data})
		}
		// What was read writes and reads back bit for bit.
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, read, sf.Metadata); err != nil {
			t.Fatalf("rewriting: %v", err)
		}
		again, err := ReadSafetensorsHeader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("rereading: %v", err)
		}
		for _, nt := range read {
			data, shape, err := again.Float32(nt.Name)
			if err != nil || !reflect.DeepEqual(shape, nt.Shape) || !sameBits(data, nt.Data) {
				t.Fatalf("tensor %q does not survive a round trip: %v", nt.Name, err)
			}
		}
	})
}

func FuzzNpy(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		data, shape, err := ReadNpy(bytes.NewReader(b))
		if err != nil {
			mustBeError(t, err)
			return
		}
		if 4*len(data) > len(b) {
			t.Fatalf("%d values from a %d-byte file", len(data), len(b))
		}
		var buf bytes.Buffer
		if err := WriteNpy(&buf, data, shape); err != nil {
			t.Fatalf("rewriting: %v", err)
		}
		d2, s2, err := ReadNpy(&buf)
		if err != nil || !reflect.DeepEqual(shape, s2) || !sameBits(data, d2) {
			t.Fatalf("round trip: shape %v -> %v, %v", shape, s2, err)
		}
	})
}

func FuzzIDX(f *testing.F) {
	// A gzip stream can expand a thousandfold: cap what one input may hold.
	defer func(m int64) { MaxElements = m }(MaxElements)
	MaxElements = 1 << 24
	f.Fuzz(func(t *testing.T, b []byte) {
		data, n, rows, cols, err := ReadIDXImages(bytes.NewReader(b))
		if err != nil {
			mustBeError(t, err)
		} else if n <= 0 || rows <= 0 || cols <= 0 || len(data) != n*rows*cols {
			t.Fatalf("%d bytes for %d images of %d×%d", len(data), n, rows, cols)
		}
		labels, err := ReadIDXLabels(bytes.NewReader(b))
		if err != nil {
			mustBeError(t, err)
		} else if len(labels) == 0 {
			t.Fatal("no labels and no error")
		}
	})
}

func FuzzImage(f *testing.F) {
	// Decoders allocate what the header declares: keep the cap small.
	defer func(m int64) { MaxImagePixels = m }(MaxImagePixels)
	MaxImagePixels = 1 << 20
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, size := range [][3]int{{3, 9, 11}, {1, 4, 4}} {
			data, err := LoadImage(bytes.NewReader(b), size[0], size[1], size[2])
			if err != nil {
				mustBeError(t, err)
				return
			}
			if len(data) != size[0]*size[1]*size[2] {
				t.Fatalf("%d values for %v", len(data), size)
			}
			for i, v := range data {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("value %d is %v, outside [0, 1]", i, v)
				}
			}
		}
	})
}

// TestFuzzCorpus writes the seed corpus when run with -update-corpus.
func TestFuzzCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("run with -update-corpus to rewrite testdata/fuzz")
	}
	seeds := map[string]map[string][]byte{
		"FuzzSafetensors": {}, "FuzzNpy": {}, "FuzzIDX": {}, "FuzzImage": {},
	}
	add := func(target, name string, b []byte) { seeds[target][name] = b }
	for _, h := range safetensorsHostile() {
		add("FuzzSafetensors", "hostile-"+h.name, h.file)
	}
	for _, h := range npyHostile() {
		add("FuzzNpy", "hostile-"+h.name, h.file)
	}
	for _, h := range idxHostile() {
		add("FuzzIDX", "hostile-"+h.name, h.file)
	}
	for _, h := range imageHostile(t) {
		add("FuzzImage", "hostile-"+h.name, h.file)
	}
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil || len(b) > 1<<16 {
			continue // directories, and the larger expected-value files
		}
		switch ext := filepath.Ext(p); {
		case ext == ".safetensors":
			add("FuzzSafetensors", "valid-"+filepath.Base(p), b)
		case ext == ".npy" && !regexp.MustCompile(`^want_`).MatchString(filepath.Base(p)):
			add("FuzzNpy", "file-"+filepath.Base(p), b)
		case ext == ".png" || ext == ".jpg" || ext == ".gif" || ext == ".bmp":
			add("FuzzImage", "valid-"+filepath.Base(p), b)
		}
	}
	var st bytes.Buffer
	WriteSafetensors(&st, []NamedTensor{{"a", []int64{2}, []float32{1, 2}}, {"b", nil, []float32{3}}}, map[string]string{"k": "v"})
	add("FuzzSafetensors", "valid-written", st.Bytes())
	add("FuzzSafetensors", "valid-f16-bf16-f64", stFile(`{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}`, 16))
	var np bytes.Buffer
	WriteNpy(&np, []float32{1, 2, 3, 4, 5, 6}, []int64{2, 3})
	add("FuzzNpy", "valid-written", np.Bytes())
	img := idxFile(idxImagesMagic, []uint32{2, 3, 4}, seq(24))
	lab := idxFile(idxLabelsMagic, []uint32{5}, seq(5))
	add("FuzzIDX", "valid-images", img)
	add("FuzzIDX", "valid-images-gz", gz(img))
	add("FuzzIDX", "valid-labels", lab)
	add("FuzzIDX", "valid-labels-gz", gz(lab))

	clean := regexp.MustCompile(`[^A-Za-z0-9._-]+`)
	for target, m := range seeds {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		for name, b := range m {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
			if err := os.WriteFile(filepath.Join(dir, clean.ReplaceAllString(name, "_")), []byte(body), 0o666); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("%s: %d seeds", target, len(m))
	}
}
