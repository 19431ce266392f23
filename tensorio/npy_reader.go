package tensorio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// An NpyReader reads the values of a .npy file a few at a time, as
// ReadNpyFile reads them all: little-endian float32 in C order, the
// header checked first. A header that declares more than the file holds
// is found out when the data ends.
type NpyReader struct {
	// Shape is the array's shape, as the header declares it.
	Shape []int64

	r      *bufio.Reader
	numel  int64
	read   int64
	buf    []byte
	closer io.Closer
	path   string
}

// OpenNpy opens the .npy file at path and reads its header; Close closes it.
func OpenNpy(path string) (*NpyReader, error) {
	f, err := openFile(path, fmtNpy)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(f)
	shape, numel, err := readNpyHeader(br)
	if err != nil {
		f.Close()
		return nil, withFile(err, path)
	}
	return &NpyReader{Shape: shape, r: br, numel: numel, closer: f, path: path}, nil
}

// Len is the number of values the header declares.
func (r *NpyReader) Len() int64 { return r.numel }

// Close closes the file.
func (r *NpyReader) Close() error {
	if r.closer == nil {
		return nil
	}
	err := r.closer.Close()
	r.closer = nil
	return err
}

// Read fills dst with the next len(dst) values, which must not be more
// than remain. A file that ends early is an ErrTruncated error saying how
// many values it held.
func (r *NpyReader) Read(dst []float32) error {
	if int64(len(dst)) > r.numel-r.read {
		return fmt.Errorf("tensorio: reading %d values from an .npy file with %d left", len(dst), r.numel-r.read)
	}
	if r.buf == nil {
		r.buf = make([]byte, min(4*r.numel, chunkBytes))
	}
	for len(dst) > 0 {
		k := min(len(dst), len(r.buf)/4)
		m, err := io.ReadFull(r.r, r.buf[:4*k])
		for i := 0; i+4 <= m; i += 4 {
			dst[i/4] = math.Float32frombits(binary.LittleEndian.Uint32(r.buf[i:]))
		}
		r.read += int64(m / 4)
		if err != nil {
			e := readErr(fmtNpy, "data", err, fmt.Sprintf("data holds %d of the %d values shape %s declares", r.read, r.numel, fmtShape(r.Shape)))
			return withFile(e, r.path)
		}
		dst = dst[k:]
	}
	return nil
}

// Finish checks, once every value is read, that no bytes follow them,
// which would mean the header's shape is wrong.
func (r *NpyReader) Finish() error {
	if r.read != r.numel {
		return fmt.Errorf("tensorio: Finish after %d of the %d values of an .npy file", r.read, r.numel)
	}
	if n, _ := io.Copy(io.Discard, io.LimitReader(r.r, 1<<20)); n > 0 {
		return &Error{File: r.path, Format: fmtNpy, Field: "data", Err: ErrMalformed,
			Msg: fmt.Sprintf("%s bytes follow the %d values shape %s declares", moreThan(n, 1<<20), r.numel, fmtShape(r.Shape))}
	}
	return nil
}
