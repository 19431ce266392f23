package tensorio

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// An IDXReader reads the items of an IDX file (images or labels) a few at
// a time, so that a data set is never in memory whole: a gzip bomb of 1.4
// MB that declares 1.9 million images costs what the items asked for, and
// a header that declares more than the stream holds is found out when the
// stream ends, not before.
type IDXReader struct {
	// Count is the number of items the header declares; Rows and Cols
	// their size, for images (0 for labels).
	Count, Rows, Cols int

	src      io.Reader
	item     int   // bytes per item
	total    int64 // bytes the header declares
	done     int   // items read
	dims     []int
	names    []string
	closer   io.Closer
	path     string
	finished bool
}

// NewIDXImageReader reads the header of an IDX image file (magic
// 0x00000803), gzip-compressed or not, as ReadIDXImages does, and returns
// a reader of its images.
func NewIDXImageReader(r io.Reader) (*IDXReader, error) { return newIDXReader(r, idxImagesMagic) }

// NewIDXLabelReader reads the header of an IDX label file (magic
// 0x00000801), gzip-compressed or not, and returns a reader of its labels.
func NewIDXLabelReader(r io.Reader) (*IDXReader, error) { return newIDXReader(r, idxLabelsMagic) }

// OpenIDXImages opens the IDX image file at path and reads its header;
// Close closes it.
func OpenIDXImages(path string) (*IDXReader, error) { return openIDX(path, idxImagesMagic) }

// OpenIDXLabels opens the IDX label file at path and reads its header;
// Close closes it.
func OpenIDXLabels(path string) (*IDXReader, error) { return openIDX(path, idxLabelsMagic) }

func openIDX(path string, want uint32) (*IDXReader, error) {
	f, err := openFile(path, fmtIDX)
	if err != nil {
		return nil, err
	}
	r, err := newIDXReader(f, want)
	if err != nil {
		f.Close()
		return nil, withFile(err, path)
	}
	r.closer, r.path = f, path
	return r, nil
}

// Close closes the file that OpenIDXImages or OpenIDXLabels opened.
func (r *IDXReader) Close() error {
	if r.closer == nil {
		return nil
	}
	err := r.closer.Close()
	r.closer = nil
	return err
}

// ItemSize is the bytes of one item: Rows × Cols for images, 1 for labels.
func (r *IDXReader) ItemSize() int { return r.item }

// Read fills dst with the next len(dst)/ItemSize() items; len(dst) must be
// a multiple of ItemSize() and cover no more items than remain. A stream
// that ends early is an ErrTruncated error saying how much data it held.
func (r *IDXReader) Read(dst []uint8) error {
	if len(dst)%r.item != 0 || len(dst)/r.item > r.Count-r.done {
		return fmt.Errorf("tensorio: reading %d bytes from an IDX file of %d-byte items with %d left", len(dst), r.item, r.Count-r.done)
	}
	n, err := io.ReadFull(r.src, dst)
	if err != nil {
		read := int64(r.done)*int64(r.item) + int64(n)
		return withFile(idxReadErr("data", err, fmt.Sprintf("data holds %d of the %d bytes of %s", read, r.total, r.describe())), r.path)
	}
	r.done += len(dst) / r.item
	return nil
}

// Finish checks, once every item is read, that the data ends where the
// header says, with no bytes after it, and (compressed) that the gzip
// checksum holds.
func (r *IDXReader) Finish() error {
	if r.done != r.Count {
		return fmt.Errorf("tensorio: Finish after %d of the %d items of an IDX file", r.done, r.Count)
	}
	if r.finished {
		return nil
	}
	r.finished = true
	// Read on to the end: bytes after the data mean the header is wrong, and
	// a gzip stream's checksum is checked only at its end.
	var err error
	if n, rerr := io.Copy(io.Discard, io.LimitReader(r.src, 1<<20)); errors.Is(rerr, io.ErrUnexpectedEOF) {
		err = newError(fmtIDX, "data", ErrTruncated, "the gzip stream ends before its trailer (checksum and size)")
	} else if rerr != nil {
		err = idxReadErr("data", rerr, "after the data")
	} else if n > 0 {
		err = newError(fmtIDX, "data", ErrMalformed, "%s bytes follow the %d bytes of %s", moreThan(n, 1<<20), r.total, r.describe())
	}
	return withFile(err, r.path)
}

func (r *IDXReader) describe() string { return describeDims(r.dims, r.names) }

// newIDXReader reads an IDX header: the magic, which must be want, and
// the dimensions, each positive and their product at most MaxElements.
func newIDXReader(rd io.Reader, want uint32) (*IDXReader, error) {
	br := bufio.NewReader(rd)
	src := io.Reader(br)
	gz := false
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, idxReadErr("gzip header", err, "cannot read the gzip header")
		}
		src, gz = zr, true
	}
	var magic [4]byte
	if n, err := io.ReadFull(src, magic[:]); err != nil {
		return nil, idxReadErr("magic", err, fmt.Sprintf("file of %d bytes ends inside the 4-byte magic", n))
	}
	m := binary.BigEndian.Uint32(magic[:])
	if m != want {
		return nil, idxMagicErr(m, want, gz)
	}
	rank := int(magic[3])
	dims := make([]int, rank)
	total := int64(1)
	names := []string{"image count", "rows", "columns"}
	if want == idxLabelsMagic {
		names = []string{"label count"}
	}
	for i := range dims {
		var b [4]byte
		if _, err := io.ReadFull(src, b[:]); err != nil {
			return nil, idxReadErr("dimensions", err, fmt.Sprintf("file ends inside the %s", names[i]))
		}
		d := int64(binary.BigEndian.Uint32(b[:]))
		if d == 0 {
			return nil, newError(fmtIDX, "dimensions", ErrMalformed, "%s is 0", names[i])
		}
		dims[i] = int(d)
		var ok bool
		if total, ok = mulCheck(total, d, MaxElements); !ok {
			return nil, newError(fmtIDX, "dimensions", ErrTooLarge, "%s over MaxElements (%d) bytes", describeDims(dims[:i+1], names), MaxElements)
		}
	}
	r := &IDXReader{Count: dims[0], src: src, item: int(total) / dims[0], total: total, dims: dims, names: names}
	if rank == 3 {
		r.Rows, r.Cols = dims[1], dims[2]
	}
	return r, nil
}
