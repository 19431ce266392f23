package tensorio

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

const fmtNpy = "npy"

// maxNpyHeader is the largest .npy header accepted: numpy's own default
// limit (max_header_size in numpy.lib.format).
const maxNpyHeader = 10000

var npyMagic = []byte("\x93NUMPY")

// ReadNpy reads a NumPy .npy array (format version 1.0, 2.0 or 3.0) that
// holds little-endian float32 in C order, returning its values and shape (an
// empty shape for a 0-d array). Any other dtype, byte order or a
// Fortran-ordered array is an ErrUnsupported error that names what the file
// holds and the numpy expression that converts it; nothing is converted
// silently. A shape of more than MaxElements values is ErrTooLarge, checked
// before anything is allocated, and memory grows only as data arrives, so a
// short file with a huge shape costs no more than the file. ReadNpy stops at
// the array's end; bytes after it are left unread.
func ReadNpy(r io.Reader) ([]float32, []int64, error) {
	shape, numel, err := readNpyHeader(r)
	if err != nil {
		return nil, nil, err
	}
	data, err := readFloat32LE(r, numel)
	if err != nil {
		e := readErr(fmtNpy, "data", err, fmt.Sprintf("data holds %d of the %d values shape %s declares", len(data), numel, fmtShape(shape)))
		return nil, nil, e
	}
	return data, shape, nil
}

// ReadNpyFile reads the .npy file at path as ReadNpy does, and also rejects
// bytes after the array's end, which mean the header's shape is wrong.
func ReadNpyFile(path string) ([]float32, []int64, error) {
	f, err := openFile(path, fmtNpy)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	data, shape, err := ReadNpy(f)
	if err != nil {
		return nil, nil, withFile(err, path)
	}
	if n, _ := io.Copy(io.Discard, io.LimitReader(f, 1<<20)); n > 0 {
		return nil, nil, &Error{File: path, Format: fmtNpy, Field: "data", Err: ErrMalformed,
			Msg: fmt.Sprintf("%s bytes follow the %d values shape %s declares", moreThan(n, 1<<20), len(data), fmtShape(shape))}
	}
	return data, shape, nil
}

func moreThan(n, limit int64) string {
	if n >= limit {
		return fmt.Sprintf("%d or more", n)
	}
	return fmt.Sprint(n)
}

// readNpyHeader reads the magic, version and header dict, and checks that
// the array is float32, C-ordered and within MaxElements.
func readNpyHeader(r io.Reader) (shape []int64, numel int64, err error) {
	var pre [10]byte
	if n, err := io.ReadFull(r, pre[:8]); err != nil {
		return nil, 0, readErr(fmtNpy, "magic", err, fmt.Sprintf("file of %d bytes ends inside the 8-byte magic and version", n))
	}
	if !bytes.Equal(pre[:6], npyMagic) {
		if bytes.HasPrefix(pre[:], []byte("PK\x03\x04")) {
			return nil, 0, newError(fmtNpy, "magic", ErrUnsupported, "an .npz archive, not an .npy file: save one array with np.save, or extract it")
		}
		return nil, 0, newError(fmtNpy, "magic", ErrMalformed, "not an .npy file: it starts %q, want \"\\x93NUMPY\"", pre[:6])
	}
	major, minor := pre[6], pre[7]
	var hlen int
	switch {
	case major == 1 && minor == 0:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return nil, 0, readErr(fmtNpy, "header length", err, "file ends inside the header length")
		}
		hlen = int(binary.LittleEndian.Uint16(pre[8:10]))
	case (major == 2 || major == 3) && minor == 0:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, 0, readErr(fmtNpy, "header length", err, "file ends inside the header length")
		}
		n := binary.LittleEndian.Uint32(b[:])
		if n > maxNpyHeader {
			return nil, 0, newError(fmtNpy, "header length", ErrTooLarge, "header of %d bytes is over numpy's %d-byte limit", n, maxNpyHeader)
		}
		hlen = int(n)
	default:
		return nil, 0, newError(fmtNpy, "version", ErrUnsupported, "format version %d.%d, want 1.0, 2.0 or 3.0", major, minor)
	}
	if hlen > maxNpyHeader {
		return nil, 0, newError(fmtNpy, "header length", ErrTooLarge, "header of %d bytes is over numpy's %d-byte limit", hlen, maxNpyHeader)
	}
	hdr := make([]byte, hlen)
	if n, err := io.ReadFull(r, hdr); err != nil {
		return nil, 0, readErr(fmtNpy, "header", err, fmt.Sprintf("file ends %d bytes into the %d-byte header", n, hlen))
	}
	return parseNpyHeader(hdr)
}

// parseNpyHeader interprets the header, a Python dict literal such as
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
func parseNpyHeader(hdr []byte) ([]int64, int64, error) {
	p := &pyParser{s: string(hdr)}
	v, err := p.value(0)
	if err == nil {
		p.space()
		if p.i < len(p.s) {
			err = p.errorf("unexpected %q after the dict", strings.TrimSpace(p.s[p.i:min(p.i+10, len(p.s))]))
		}
	}
	if err != nil {
		return nil, 0, newError(fmtNpy, "header", ErrMalformed, "%v", err)
	}
	d, ok := v.(pyDict)
	if !ok {
		return nil, 0, newError(fmtNpy, "header", ErrMalformed, "header is %s, want a dict", pyKind(v))
	}
	for _, k := range d.keys {
		if k != "descr" && k != "fortran_order" && k != "shape" {
			return nil, 0, newError(fmtNpy, "header", ErrMalformed, "unexpected key %q (want descr, fortran_order and shape)", k)
		}
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if _, ok := d.m[k]; !ok {
			return nil, 0, newError(fmtNpy, "header", ErrMalformed, "no %q key", k)
		}
	}
	if err := checkDescr(d.m["descr"]); err != nil {
		return nil, 0, err
	}
	switch fo := d.m["fortran_order"].(type) {
	case bool:
		if fo {
			return nil, 0, newError(fmtNpy, "fortran_order", ErrUnsupported, "array is in Fortran (column-major) order; save np.ascontiguousarray(a)")
		}
	default:
		return nil, 0, newError(fmtNpy, "fortran_order", ErrMalformed, "is %s, want True or False", pyKind(fo))
	}
	tup, ok := d.m["shape"].(pyTuple)
	if !ok {
		return nil, 0, newError(fmtNpy, "shape", ErrMalformed, "is %s, want a tuple of sizes", pyKind(d.m["shape"]))
	}
	if len(tup) > MaxRank {
		return nil, 0, newError(fmtNpy, "shape", ErrMalformed, "has %d dimensions, at most %d are read", len(tup), MaxRank)
	}
	shape := make([]int64, len(tup))
	for i, x := range tup {
		n, ok := x.(int64)
		if !ok {
			return nil, 0, newError(fmtNpy, "shape", ErrMalformed, "shape[%d] is %s, want an integer", i, pyKind(x))
		}
		if n < 0 {
			return nil, 0, newError(fmtNpy, "shape", ErrMalformed, "shape[%d] is %d, want a size ≥ 0", i, n)
		}
		shape[i] = n
	}
	numel, fits := numElements(shape, MaxElements)
	if !fits {
		return nil, 0, newError(fmtNpy, "shape", ErrTooLarge, "shape %s holds more than MaxElements (%d) values", fmtShape(shape), MaxElements)
	}
	return shape, numel, nil
}

// dtypeKinds names numpy's dtype kind characters for messages.
var dtypeKinds = map[byte]string{
	'b': "bool", 'i': "int", 'u': "uint", 'f': "float", 'c': "complex",
	'O': "object", 'S': "bytes", 'a': "bytes", 'U': "unicode string", 'V': "void",
	'M': "datetime64", 'm': "timedelta64",
}

// checkDescr accepts '<f4' and explains everything else.
func checkDescr(v any) error {
	s, ok := v.(string)
	if !ok {
		if _, ok := v.(pyList); ok {
			return newError(fmtNpy, "descr", ErrUnsupported, "a structured dtype (record fields), want float32 '<f4'")
		}
		return newError(fmtNpy, "descr", ErrMalformed, "is %s, want a dtype string such as '<f4'", pyKind(v))
	}
	if s == "<f4" {
		return nil
	}
	body := strings.TrimLeft(s, "<>|=")
	order := s[:len(s)-len(body)]
	if body == "" || len(order) > 1 {
		return newError(fmtNpy, "descr", ErrMalformed, "%q is not a dtype", s)
	}
	kind, ok := dtypeKinds[body[0]]
	if !ok {
		return newError(fmtNpy, "descr", ErrUnsupported, "unknown dtype %q, want float32 '<f4'", s)
	}
	switch body[0] {
	case 'O':
		return newError(fmtNpy, "descr", ErrUnsupported, "an object array (%q), which only pickle can read; want float32 '<f4'", s)
	case 'i', 'u', 'f', 'c':
		size, err := strconv.Atoi(body[1:])
		if err != nil || size <= 0 || size > 32 {
			return newError(fmtNpy, "descr", ErrUnsupported, "unknown dtype %q, want float32 '<f4'", s)
		}
		kind = fmt.Sprintf("%s%d", kind, 8*size)
	case 'b':
	default:
		return newError(fmtNpy, "descr", ErrUnsupported, "dtype %s (%q), want float32 '<f4'", kind, s)
	}
	if body == "f4" {
		what := map[string]string{">": "big-endian", "=": "native-order", "|": "unordered", "": "unordered"}[order]
		return newError(fmtNpy, "descr", ErrUnsupported, "%s float32 (%q), want little-endian '<f4': save a.astype('<f4')", what, s)
	}
	return newError(fmtNpy, "descr", ErrUnsupported, "dtype %s (%q), want float32 '<f4': save a.astype(np.float32)", kind, s)
}

// WriteNpy writes data as a version 1.0 .npy array of little-endian float32
// ('<f4') in C order with the given shape, laid out as numpy writes it: the
// header dict padded with spaces and a newline so that the data starts at a
// multiple of 64 bytes.
func WriteNpy(w io.Writer, data []float32, shape []int64) error {
	if len(shape) > MaxRank {
		return fmt.Errorf("npy: shape has %d dimensions, at most %d are allowed", len(shape), MaxRank)
	}
	var dims []string
	for _, d := range shape {
		dims = append(dims, strconv.FormatInt(d, 10))
	}
	numel, ok := numElements(shape, math.MaxInt64)
	if !ok || numel != int64(len(data)) {
		return fmt.Errorf("npy: shape %s does not hold the %d values given", fmtShape(shape), len(data))
	}
	tuple := "(" + strings.Join(dims, ", ") + ")"
	if len(shape) == 1 {
		tuple = "(" + dims[0] + ",)"
	}
	hdr := "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }"
	pad := 64 - (len(npyMagic)+4+len(hdr)+1)%64
	if pad == 64 {
		pad = 0
	}
	hdr += strings.Repeat(" ", pad) + "\n"
	pre := append(append([]byte{}, npyMagic...), 1, 0)
	pre = binary.LittleEndian.AppendUint16(pre, uint16(len(hdr)))
	if _, err := w.Write(append(pre, hdr...)); err != nil {
		return fmt.Errorf("npy: writing the header: %w", err)
	}
	if err := writeFloat32LE(w, data, make([]byte, 0, min(4*len(data), chunkBytes)+4)); err != nil {
		return fmt.Errorf("npy: writing the data: %w", err)
	}
	return nil
}
