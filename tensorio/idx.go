package tensorio

import (
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

const fmtIDX = "idx"

// IDX magic numbers: two zero bytes, the element type, the number of dimensions.
const (
	idxImagesMagic = 0x00000803 // unsigned bytes, 3 dimensions: count, rows, columns
	idxLabelsMagic = 0x00000801 // unsigned bytes, 1 dimension: count
)

// idxTypes names the IDX element type codes for messages.
var idxTypes = map[byte]string{0x08: "unsigned byte", 0x09: "signed byte", 0x0b: "int16", 0x0c: "int32", 0x0d: "float32", 0x0e: "float64"}

// ReadIDXImages reads an IDX image file (magic 0x00000803, as MNIST's and
// FashionMNIST's train-images-idx3-ubyte), gzip-compressed or not (detected
// by the gzip magic 1f 8b). It returns n×rows×cols pixels, image after image,
// row after row. Every size must be positive and the total at most
// MaxElements; the data must end where the header says, with no bytes after
// it (and, compressed, an intact gzip checksum).
func ReadIDXImages(r io.Reader) (data []uint8, n, rows, cols int, err error) {
	data, dims, err := readIDX(r, idxImagesMagic)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	return data, dims[0], dims[1], dims[2], nil
}

// ReadIDXLabels reads an IDX label file (magic 0x00000801), gzip-compressed
// or not, as ReadIDXImages reads images: one byte per label.
func ReadIDXLabels(r io.Reader) ([]uint8, error) {
	data, _, err := readIDX(r, idxLabelsMagic)
	return data, err
}

// ReadIDXImagesFile reads the IDX image file at path; see ReadIDXImages.
func ReadIDXImagesFile(path string) (data []uint8, n, rows, cols int, err error) {
	f, err := openFile(path, fmtIDX)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer f.Close()
	data, n, rows, cols, err = ReadIDXImages(f)
	return data, n, rows, cols, withFile(err, path)
}

// ReadIDXLabelsFile reads the IDX label file at path; see ReadIDXLabels.
func ReadIDXLabelsFile(path string) ([]uint8, error) {
	f, err := openFile(path, fmtIDX)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := ReadIDXLabels(f)
	return data, withFile(err, path)
}

func readIDX(r io.Reader, want uint32) ([]uint8, []int, error) {
	ir, err := newIDXReader(r, want)
	if err != nil {
		return nil, nil, err
	}
	// All at once: the buffer grows as data arrives, so a header that
	// declares more than the stream holds costs no more than the stream.
	data, err := readBytes(ir.src, ir.total)
	if err != nil {
		return nil, nil, idxReadErr("data", err, fmt.Sprintf("data holds %d of the %d bytes of %s", len(data), ir.total, ir.describe()))
	}
	ir.done = ir.Count
	if err := ir.Finish(); err != nil {
		return nil, nil, err
	}
	return data, ir.dims, nil
}

func describeDims(dims []int, names []string) string {
	switch len(dims) {
	case 1:
		if len(names) == 1 {
			return fmt.Sprintf("%d labels", dims[0])
		}
		return fmt.Sprintf("%d images", dims[0])
	case 2:
		return fmt.Sprintf("%d images of %d rows", dims[0], dims[1])
	}
	return fmt.Sprintf("%d images of %d×%d", dims[0], dims[1], dims[2])
}

func idxMagicErr(m, want uint32, gz bool) error {
	kind := map[uint32]string{idxImagesMagic: "images", idxLabelsMagic: "labels"}
	b := [4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)}
	switch {
	case kind[m] != "":
		return newError(fmtIDX, "magic", ErrMalformed, "%#08x is an IDX file of %s, want %s (%#08x)", m, kind[m], kind[want], want)
	case b[0] != 0 || b[1] != 0:
		what := "not an IDX file"
		if gz {
			what = "a gzip stream that holds no IDX file"
		}
		return newError(fmtIDX, "magic", ErrMalformed, "%s: it starts %#08x, want %#08x", what, m, want)
	case idxTypes[b[2]] == "":
		return newError(fmtIDX, "magic", ErrMalformed, "%#08x has the unknown element type %#02x, want %#08x", m, b[2], want)
	case b[2] != 0x08:
		return newError(fmtIDX, "magic", ErrUnsupported, "%#08x holds %s values, want unsigned bytes (%#08x)", m, idxTypes[b[2]], want)
	}
	return newError(fmtIDX, "magic", ErrMalformed, "%#08x has %d dimensions, want %s (%#08x)", m, b[3], kind[want], want)
}

// idxReadErr classifies a read error; a damaged gzip stream is ErrMalformed.
func idxReadErr(field string, err error, what string) *Error {
	var corrupt flate.CorruptInputError
	if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt) {
		return &Error{Format: fmtIDX, Field: field, Msg: what + ": corrupt gzip stream: " + err.Error(), Err: ErrMalformed}
	}
	return readErr(fmtIDX, field, err, what)
}
