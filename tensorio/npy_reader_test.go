package tensorio

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestNpyReader reads a file in chunks, and files that end early or go on
// past their shape.
func TestNpyReader(t *testing.T) {
	dir := t.TempDir()
	vals := make([]float32, 3*2*5)
	for i := range vals {
		vals[i] = float32(i) - 7.5
	}
	var b bytes.Buffer
	if err := WriteNpy(&b, vals, []int64{3, 2, 5}); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	r, err := OpenNpy(write("x.npy", b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Shape, []int64{3, 2, 5}) || r.Len() != 30 {
		t.Fatalf("shape %v, %d values", r.Shape, r.Len())
	}
	var got []float32
	for _, k := range []int{10, 7, 13} {
		buf := make([]float32, k)
		if err := r.Read(buf); err != nil {
			t.Fatal(err)
		}
		got = append(got, buf...)
	}
	if !slices.Equal(got, vals) {
		t.Errorf("values %v, want %v", got, vals)
	}
	if err := r.Read(make([]float32, 1)); err == nil {
		t.Error("a value read past the shape")
	}
	if err := r.Finish(); err != nil {
		t.Error(err)
	}
	r.Close()

	r, err = OpenNpy(write("short.npy", b.Bytes()[:b.Len()-4*12-2]))
	if err != nil {
		t.Fatal(err)
	}
	r.Read(make([]float32, 10))
	err = r.Read(make([]float32, 10))
	checkErr(t, err, ErrTruncated, "short.npy: npy: data: data holds 17 of the 30 values shape [3, 2, 5] declares")
	r.Close()

	r, err = OpenNpy(write("long.npy", append(b.Bytes(), 0, 0, 0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	r.Read(make([]float32, 30))
	checkErr(t, r.Finish(), ErrMalformed, "long.npy: npy: data: 4 bytes follow the 30 values shape [3, 2, 5] declares")
	r.Close()

	_, err = OpenNpy(write("bad.npy", []byte("hello")))
	checkErr(t, err, ErrTruncated, "bad.npy: npy: magic")
}
