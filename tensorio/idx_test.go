package tensorio

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// idxFile builds an IDX file from a magic, dimensions and data.
func idxFile(magic uint32, dims []uint32, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, data...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func seq(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestIDXValid(t *testing.T) {
	img := idxFile(idxImagesMagic, []uint32{2, 3, 4}, seq(24))
	lab := idxFile(idxLabelsMagic, []uint32{5}, seq(5))
	for _, compress := range []bool{false, true} {
		in := img
		if compress {
			in = gz(img)
		}
		data, n, rows, cols, err := ReadIDXImages(bytes.NewReader(in))
		if err != nil || n != 2 || rows != 3 || cols != 4 || !bytes.Equal(data, seq(24)) {
			t.Errorf("images (gzip %v): %d×%d×%d %v %v", compress, n, rows, cols, data, err)
		}
		in = lab
		if compress {
			in = gz(lab)
		}
		labels, err := ReadIDXLabels(bytes.NewReader(in))
		if err != nil || !bytes.Equal(labels, seq(5)) {
			t.Errorf("labels (gzip %v): %v %v", compress, labels, err)
		}
	}
	// Concatenated gzip members are one stream, as gunzip reads them.
	two := append(gz(img[:10]), gz(img[10:])...)
	if _, n, _, _, err := ReadIDXImages(bytes.NewReader(two)); err != nil || n != 2 {
		t.Errorf("two gzip members: n=%d %v", n, err)
	}
}

func TestIDXHostile(t *testing.T) {
	for _, tt := range idxHostile() {
		t.Run(tt.name, func(t *testing.T) {
			var data []byte
			var err error
			if tt.labels {
				data, err = ReadIDXLabels(bytes.NewReader(tt.file))
			} else {
				data, _, _, _, err = ReadIDXImages(bytes.NewReader(tt.file))
			}
			if data != nil {
				t.Errorf("%d bytes returned with the error", len(data))
			}
			checkErr(t, err, tt.kind, tt.want)
		})
	}
}

func idxHostile() []idxHostileCase {
	img := idxFile(idxImagesMagic, []uint32{2, 3, 4}, seq(24))
	corrupt := gz(img)
	corrupt[len(corrupt)-8] ^= 0xff // the CRC-32 in the trailer
	badDeflate := gz(img)
	badDeflate[10] = 0xff // the first deflate block header: reserved block type
	return []idxHostileCase{
		{"empty", false, nil, ErrTruncated, "magic: file of 0 bytes ends inside the 4-byte magic"},
		{"short magic", false, []byte{0, 0, 8}, ErrTruncated, "file of 3 bytes ends inside"},
		{"labels for images", false, idxFile(idxLabelsMagic, []uint32{1}, seq(1)), ErrMalformed, "0x00000801 is an IDX file of labels, want images (0x00000803)"},
		{"images for labels", true, img, ErrMalformed, "is an IDX file of images, want labels"},
		{"PNG", false, []byte("\x89PNG\r\n\x1a\n"), ErrMalformed, "not an IDX file: it starts 0x89504e47"},
		{"gzip of text", false, gz([]byte("hello world")), ErrMalformed, "a gzip stream that holds no IDX file"},
		{"float IDX", false, idxFile(0x00000d03, []uint32{1, 1, 1}, seq(4)), ErrUnsupported, "holds float32 values, want unsigned bytes"},
		{"unknown type", false, idxFile(0x00000703, []uint32{1, 1, 1}, seq(1)), ErrMalformed, "0x00000703 has the unknown element type 0x07"},
		{"wrong rank", false, idxFile(0x00000802, []uint32{1, 1}, seq(1)), ErrMalformed, "0x00000802 has 2 dimensions, want images (0x00000803)"},
		{"truncated dims", false, idxFile(idxImagesMagic, []uint32{2, 3}, nil), ErrTruncated, "dimensions: file ends inside the columns"},
		{"zero images", false, idxFile(idxImagesMagic, []uint32{0, 28, 28}, nil), ErrMalformed, "image count is 0"},
		{"zero rows", false, idxFile(idxImagesMagic, []uint32{1, 0, 28}, nil), ErrMalformed, "rows is 0"},
		{"zero labels", true, idxFile(idxLabelsMagic, []uint32{0}, nil), ErrMalformed, "label count is 0"},
		{"over MaxElements", false, idxFile(idxImagesMagic, []uint32{1 << 31, 28, 28}, nil), ErrTooLarge, "2147483648 images of 28 rows over MaxElements"},
		{"4G×4G×4G", false, idxFile(idxImagesMagic, []uint32{1<<32 - 1, 1<<32 - 1, 1<<32 - 1}, nil), ErrTooLarge, "over MaxElements"},
		{"no data", false, idxFile(idxImagesMagic, []uint32{2, 3, 4}, nil), ErrTruncated, "data holds 0 of the 24 bytes of 2 images of 3×4"},
		{"half the data", false, img[:len(img)-12], ErrTruncated, "data holds 12 of the 24 bytes"},
		{"huge count, little data", false, idxFile(idxImagesMagic, []uint32{2000000, 28, 28}, seq(100)), ErrTruncated, "data holds 100 of the 1568000000 bytes"},
		{"labels truncated", true, idxFile(idxLabelsMagic, []uint32{10}, seq(3)), ErrTruncated, "data holds 3 of the 10 bytes of 10 labels"},
		{"trailing bytes", false, append(img, 1, 2, 3), ErrMalformed, "3 bytes follow the 24 bytes of 2 images of 3×4"},
		{"gzip truncated in data", false, gz(img)[:30], ErrTruncated, "data holds"},
		{"gzip without trailer", false, gz(img)[:len(gz(img))-8], ErrTruncated, "ends before its trailer"},
		{"gzip bad checksum", false, corrupt, ErrMalformed, "corrupt gzip stream: gzip: invalid checksum"},
		{"gzip bad deflate", false, badDeflate, ErrMalformed, "corrupt gzip stream: flate: corrupt input"},
		{"gzip bad header", false, []byte{0x1f, 0x8b, 99, 0, 0, 0, 0, 0, 0, 0}, ErrMalformed, "gzip header: cannot read the gzip header: corrupt gzip stream"},
		{"gzip magic only", false, []byte{0x1f, 0x8b}, ErrTruncated, "cannot read the gzip header"},
	}
}

func TestIDXFileErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x-labels-idx1-ubyte")
	os.WriteFile(path, idxFile(idxLabelsMagic, []uint32{3}, seq(2)), 0o666)
	_, err := ReadIDXLabelsFile(path)
	checkErr(t, err, ErrTruncated, path+": idx: data: data holds 2 of the 3 bytes of 3 labels")
	_, _, _, _, err = ReadIDXImagesFile(path)
	checkErr(t, err, ErrMalformed, path+": idx: magic: 0x00000801 is an IDX file of labels")
	if _, err := ReadIDXLabelsFile(path + ".missing"); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

// TestFashionMNIST reads the real dataset when the machine has it.
func TestFashionMNIST(t *testing.T) {
	const dir = "/usr/share/datasets/fashion-mnist"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("FashionMNIST is not installed at " + dir)
	}
	for _, tt := range []struct {
		split   string
		n       int
		first   []byte
		sha256  string // of the pixels, from numpy
		sumPix  int64
		perClss int
	}{
		{"train", 60000, []byte{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, "2e487a6c89124f78", 3431114169, 6000},
		{"t10k", 10000, []byte{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, "c867c93ff9536059", 573469082, 1000},
	} {
		if testing.Short() && tt.split == "train" {
			continue
		}
		pix, n, rows, cols, err := ReadIDXImagesFile(filepath.Join(dir, tt.split+"-images-idx3-ubyte.gz"))
		if err != nil {
			t.Fatal(err)
		}
		if n != tt.n || rows != 28 || cols != 28 || len(pix) != n*28*28 {
			t.Errorf("%s: %d images of %d×%d, %d bytes", tt.split, n, rows, cols, len(pix))
		}
		sum := sha256.Sum256(pix)
		if got := fmt.Sprintf("%x", sum[:8]); got != tt.sha256 {
			t.Errorf("%s: pixels sha256 %s..., want %s...", tt.split, got, tt.sha256)
		}
		labels, err := ReadIDXLabelsFile(filepath.Join(dir, tt.split+"-labels-idx1-ubyte.gz"))
		if err != nil {
			t.Fatal(err)
		}
		if len(labels) != n || !reflect.DeepEqual(labels[:10], tt.first) {
			t.Errorf("%s: %d labels starting %v, want %d starting %v", tt.split, len(labels), labels[:10], n, tt.first)
		}
		var count [10]int
		for _, l := range labels {
			if l > 9 {
				t.Fatalf("%s: label %d", tt.split, l)
			}
			count[l]++
		}
		for c, k := range count {
			if k != tt.perClss {
				t.Errorf("%s: class %d has %d labels, want %d", tt.split, c, k, tt.perClss)
			}
		}
	}
}

type idxHostileCase struct {
	name   string
	labels bool
	file   []byte
	kind   error
	want   string
}
