package tensorio

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestIDXReader reads a file in chunks and checks the items, the end of
// the data and its errors against what ReadIDXImages gives.
func TestIDXReader(t *testing.T) {
	img := idxFile(idxImagesMagic, []uint32{5, 2, 3}, seq(30))
	for _, in := range [][]byte{img, gz(img)} {
		r, err := NewIDXImageReader(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if r.Count != 5 || r.Rows != 2 || r.Cols != 3 || r.ItemSize() != 6 {
			t.Fatalf("header: %d images of %dx%d, item %d", r.Count, r.Rows, r.Cols, r.ItemSize())
		}
		var got []byte
		for _, k := range []int{2, 2, 1} {
			buf := make([]byte, k*6)
			if err := r.Read(buf); err != nil {
				t.Fatal(err)
			}
			got = append(got, buf...)
		}
		if !bytes.Equal(got, seq(30)) {
			t.Errorf("items %v, want %v", got, seq(30))
		}
		if err := r.Read(make([]byte, 6)); err == nil {
			t.Error("a sixth image read from a file of five")
		}
		if err := r.Finish(); err != nil {
			t.Error(err)
		}
	}
	// Truncated in the second chunk: the message counts what was there.
	r, err := NewIDXImageReader(bytes.NewReader(img[:16+9]))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Read(make([]byte, 6)); err != nil {
		t.Fatal(err)
	}
	checkErr(t, r.Read(make([]byte, 12)), ErrTruncated, "data: data holds 9 of the 30 bytes of 5 images of 2×3")
	// Bytes after the data, and a corrupt checksum, show at the end.
	r, _ = NewIDXImageReader(bytes.NewReader(append(img, 1, 2)))
	r.Read(make([]byte, 30))
	checkErr(t, r.Finish(), ErrMalformed, "2 bytes follow the 30 bytes of 5 images of 2×3")
	bad := gz(img)
	bad[len(bad)-8] ^= 0xff
	r, _ = NewIDXImageReader(bytes.NewReader(bad))
	r.Read(make([]byte, 30))
	checkErr(t, r.Finish(), ErrMalformed, "corrupt gzip stream")
	if err := r.Finish(); err != nil {
		t.Errorf("a second Finish: %v", err)
	}
	lab, err := NewIDXLabelReader(bytes.NewReader(idxFile(idxLabelsMagic, []uint32{3}, seq(3))))
	if err != nil || lab.Count != 3 || lab.ItemSize() != 1 || lab.Rows != 0 {
		t.Fatalf("labels: %+v %v", lab, err)
	}
}

// gzipBomb writes a gzip file of concatenated members (one stream, as
// gunzip reads it) that holds an IDX header declaring n images of 28x28
// and then n*784 zero bytes, a MiB per member of about a KB.
func gzipBomb(t *testing.T, n int) string {
	header := idxFile(idxImagesMagic, []uint32{uint32(n), 28, 28}, nil)
	zeros := gz(make([]byte, 1<<20))
	var b bytes.Buffer
	b.Write(gz(header))
	left := int64(n) * 784
	for ; left >= 1<<20; left -= 1 << 20 {
		b.Write(zeros)
	}
	b.Write(gz(make([]byte, left)))
	path := filepath.Join(t.TempDir(), "bomb.gz")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestIDXGzipBomb opens a 1.5 MB file declaring 1.9 million images (1.5
// GB) and reads ten: the memory allocated is a few buffers, not the data
// set (ReadIDXImagesFile took 3.5 GB for it).
func TestIDXGzipBomb(t *testing.T) {
	path := gzipBomb(t, 1_900_000)
	if st, _ := os.Stat(path); st.Size() > 2<<20 {
		t.Fatalf("the bomb is %d bytes", st.Size())
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := OpenIDXImages(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Count != 1_900_000 {
		t.Fatalf("%d images declared", r.Count)
	}
	buf := make([]byte, 10*r.ItemSize())
	if err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("reading 10 images allocated %d bytes", got)
	}
	if err := r.Finish(); err == nil {
		t.Error("Finish after 10 of 1,900,000 images gave no error")
	}
}

// TestIDXDeclaresMore: a header that declares more images than the stream
// holds fails when the stream ends, with what it held.
func TestIDXDeclaresMore(t *testing.T) {
	file := idxFile(idxImagesMagic, []uint32{1_000_000, 28, 28}, make([]byte, 3*784))
	r, err := NewIDXImageReader(bytes.NewReader(gz(file)))
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Read(make([]byte, 2*784)); err != nil {
		t.Fatal(err)
	}
	err = r.Read(make([]byte, 2*784))
	checkErr(t, err, ErrTruncated, "data holds 2352 of the 784000000 bytes of 1000000 images of 28×28")
	var e *Error
	if !errors.As(err, &e) || e.File != "" {
		t.Errorf("a stream's error names a file: %v", err)
	}
}
