package tensorio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unsafe"

	"github.com/cnnc/cnnc/internal/hugepage"
)

// MaxSafetensorsHeader is the largest header, in bytes, that
// ReadSafetensorsHeader accepts: the reference implementation's limit.
const MaxSafetensorsHeader = 100_000_000

// MaxSafetensorsTensors is the most tensors a header may describe: far
// above any model's parameter count (torchvision's largest have under a
// thousand), and low enough that a hostile header of millions of tiny
// entries is refused at once instead of being checked entry by entry.
const MaxSafetensorsTensors = 100_000

const fmtSafetensors = "safetensors"

// dtypeBits gives the element size, in bits, of every dtype the reference
// implementation defines. Only F32, F16, BF16 and F64 are converted; the
// others are listed so that a file holding them (PyTorch's I64
// num_batches_tracked, say) still parses.
var dtypeBits = map[string]int64{
	"BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8,
	"I16": 16, "U16": 16, "F16": 16, "BF16": 16,
	"I32": 32, "U32": 32, "F32": 32,
	"I64": 64, "U64": 64, "F64": 64, "C64": 64,
	"F4": 4, "F6_E2M3": 6, "F6_E3M2": 6,
}

// A TensorInfo describes one tensor of a safetensors file.
type TensorInfo struct {
	Name  string
	Dtype string  // as written in the file: "F32", "F16", "BF16", "I64", ...
	Shape []int64 // empty for a scalar
	// Begin and End are the data_offsets: the tensor's bytes are [Begin, End)
	// of the data buffer that follows the header.
	Begin, End int64
}

// NumElements returns the product of the shape: 1 for a scalar.
func (t TensorInfo) NumElements() int64 {
	n, _ := numElements(t.Shape, math.MaxInt64) // validated when the header was read
	return n
}

// A SafetensorsFile is the validated header of a safetensors file, and the
// means to read its tensors. Its methods may be called from several
// goroutines at once, Close excepted.
type SafetensorsFile struct {
	// Metadata is the header's __metadata__ object; nil if it has none.
	Metadata map[string]string

	tensors   []TensorInfo // in header order
	byName    map[string]int
	r         io.ReaderAt
	dataStart int64 // 8 + header length
	path      string
	closer    io.Closer
}

// OpenSafetensors opens the safetensors file at path and reads its header.
// The file stays open for Float32 until Close.
func OpenSafetensors(path string) (*SafetensorsFile, error) {
	f, err := openFile(path, fmtSafetensors)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	sf, err := ReadSafetensorsHeader(f, st.Size())
	if err != nil {
		f.Close()
		return nil, withFile(err, path)
	}
	sf.path, sf.closer = path, f
	return sf, nil
}

// Close closes the file that OpenSafetensors opened; it does nothing for a
// SafetensorsFile from ReadSafetensorsHeader.
func (f *SafetensorsFile) Close() error {
	if f.closer == nil {
		return nil
	}
	err := f.closer.Close()
	f.closer = nil
	return err
}

// Tensors lists the tensors in the order the header names them (for files
// the reference implementation writes, the order of their data).
func (f *SafetensorsFile) Tensors() []TensorInfo {
	out := make([]TensorInfo, len(f.tensors))
	copy(out, f.tensors)
	return out
}

// Tensor returns the description of the named tensor.
func (f *SafetensorsFile) Tensor(name string) (TensorInfo, bool) {
	i, ok := f.byName[name]
	if !ok {
		return TensorInfo{}, false
	}
	return f.tensors[i], true
}

// ReadSafetensorsHeader reads and validates the header of the safetensors
// file r of size bytes; it reads no tensor data. It checks, in order: the
// 8-byte header length against the file size and MaxSafetensorsHeader; that
// the header is UTF-8 JSON holding one object of at most
// MaxSafetensorsTensors tensors; each entry's dtype, shape
// (sizes ≥ 0, at most MaxRank, no overflow) and data_offsets (integers,
// begin ≤ end ≤ data size, end − begin = element count × dtype size); that no
// name appears twice; and that the tensors cover the data buffer exactly,
// as the reference implementation requires: no overlaps, no holes, no
// trailing bytes. Unknown fields in a tensor entry are ignored, as the
// reference implementation ignores them.
func ReadSafetensorsHeader(r io.ReaderAt, size int64) (*SafetensorsFile, error) {
	if size < 8 {
		return nil, newError(fmtSafetensors, "header length", ErrTruncated,
			"file of %d bytes is shorter than the 8-byte header length", size)
	}
	var lenBuf [8]byte
	if err := readAt(r, lenBuf[:], 0); err != nil {
		return nil, readErr(fmtSafetensors, "header length", err, "cannot read the 8-byte header length")
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	if n > MaxSafetensorsHeader {
		return nil, newError(fmtSafetensors, "header length", ErrTooLarge,
			"header of %d bytes is over the %d-byte limit", n, MaxSafetensorsHeader)
	}
	if int64(n) > size-8 {
		return nil, newError(fmtSafetensors, "header length", ErrTruncated,
			"header of %d bytes does not fit in the file's %d bytes after the length", n, size-8)
	}
	hdr := make([]byte, n)
	if err := readAt(r, hdr, 8); err != nil {
		return nil, readErr(fmtSafetensors, "header", err, fmt.Sprintf("cannot read the %d-byte header", n))
	}
	f, err := parseSafetensorsHeader(hdr)
	if err != nil {
		return nil, err
	}
	f.r, f.dataStart = r, 8+int64(n)
	if err := f.validate(size - f.dataStart); err != nil {
		return nil, err
	}
	return f, nil
}

// validate checks each tensor's offsets against its dtype and shape and the
// data buffer's dataLen bytes, then that the tensors tile the buffer.
func (f *SafetensorsFile) validate(dataLen int64) error {
	for _, t := range f.tensors {
		field := fmt.Sprintf("tensor %q", t.Name)
		if t.Begin > t.End {
			return newError(fmtSafetensors, field, ErrMalformed,
				"data_offsets [%d, %d] end before they begin", t.Begin, t.End)
		}
		if t.End > dataLen {
			return newError(fmtSafetensors, field, ErrTruncated,
				"data_offsets [%d, %d] run past the end of the %d-byte data buffer", t.Begin, t.End, dataLen)
		}
		// Every product is checked against the buffer's size in bits, so
		// nothing overflows and a huge shape fails here, not at allocation.
		limBits := min(dataLen, 1<<56) * 8
		numel, ok := numElements(t.Shape, limBits)
		bits := dtypeBits[t.Dtype]
		if ok {
			_, ok = mulCheck(numel, bits, limBits)
		}
		if !ok {
			return newError(fmtSafetensors, field, ErrMalformed,
				"shape %s of %s needs more bytes than the %d-byte data buffer holds", fmtShape(t.Shape), t.Dtype, dataLen)
		}
		if numel*bits%8 != 0 {
			return newError(fmtSafetensors, field, ErrMalformed,
				"shape %s of %s is %d bits, not a whole number of bytes", fmtShape(t.Shape), t.Dtype, numel*bits)
		}
		if want := numel * bits / 8; t.End-t.Begin != want {
			return newError(fmtSafetensors, field, ErrMalformed,
				"data_offsets [%d, %d] span %d bytes, but %s %s needs %d", t.Begin, t.End, t.End-t.Begin, t.Dtype, fmtShape(t.Shape), want)
		}
	}
	order := make([]int, len(f.tensors))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := f.tensors[order[i]], f.tensors[order[j]]
		return a.Begin < b.Begin || a.Begin == b.Begin && a.End < b.End
	})
	var at int64
	prev := ""
	for _, i := range order {
		t := f.tensors[i]
		switch {
		case t.Begin < at:
			return newError(fmtSafetensors, fmt.Sprintf("tensor %q", t.Name), ErrMalformed,
				"data_offsets [%d, %d] overlap tensor %q, which ends at %d", t.Begin, t.End, prev, at)
		case t.Begin > at:
			after := "the start of the data buffer"
			if prev != "" {
				after = fmt.Sprintf("tensor %q", prev)
			}
			return newError(fmtSafetensors, fmt.Sprintf("tensor %q", t.Name), ErrMalformed,
				"data bytes [%d, %d) between %s and this tensor belong to no tensor", at, t.Begin, after)
		}
		at, prev = t.End, t.Name
	}
	if at != dataLen {
		return newError(fmtSafetensors, "data", ErrMalformed,
			"the tensors cover %d bytes of the %d-byte data buffer; the rest belongs to no tensor", at, dataLen)
	}
	return nil
}

// Float32 reads the named tensor as float32 values in C order, with its
// shape. F32 is returned as stored; F16, BF16 and F64 are converted (see
// Float16ToFloat32); other dtypes are an ErrUnsupported error.
func (f *SafetensorsFile) Float32(name string) ([]float32, []int64, error) {
	data, shape, err := f.float32(name)
	if err != nil && f.path != "" {
		err = withFile(err, f.path)
	}
	return data, shape, err
}

func (f *SafetensorsFile) float32(name string) ([]float32, []int64, error) {
	field := fmt.Sprintf("tensor %q", name)
	t, ok := f.Tensor(name)
	if !ok {
		return nil, nil, newError(fmtSafetensors, field, ErrNotFound, "no tensor of that name in the file%s", f.suggest(name))
	}
	var size int64
	var conv func(dst []float32, src []byte) (int, bool)
	switch t.Dtype {
	case "F32":
		size = 4
		conv = func(dst []float32, src []byte) (int, bool) {
			for i := range dst {
				dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
			}
			return 0, true
		}
	case "F16", "BF16":
		size = 2
		cv := Float16ToFloat32
		if t.Dtype == "BF16" {
			cv = BFloat16ToFloat32
		}
		conv = func(dst []float32, src []byte) (int, bool) {
			for i := range dst {
				dst[i] = cv(binary.LittleEndian.Uint16(src[2*i:]))
			}
			return 0, true
		}
	case "F64":
		size = 8
		conv = func(dst []float32, src []byte) (int, bool) {
			for i := range dst {
				v := math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:]))
				dst[i] = float32(v)
				if math.IsInf(float64(dst[i]), 0) && !math.IsInf(v, 0) {
					return i, false
				}
			}
			return 0, true
		}
	default:
		return nil, nil, newError(fmtSafetensors, field, ErrUnsupported,
			"dtype %s is not converted to float32 (tensorio reads F32, F16, BF16 and F64)", t.Dtype)
	}
	numel := t.NumElements()
	out := hugepage.Float32s(int(numel))
	// F32 on a little-endian machine: the file's bytes are the floats
	// themselves, read in place; other dtypes go through buf and conv.
	var direct []byte
	if t.Dtype == "F32" && littleEndian && numel > 0 {
		direct = unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 4*numel)
	}
	var buf []byte
	if direct == nil {
		buf = make([]byte, min(numel*size, chunkBytes))
	}
	per := chunkBytes / size
	for i := int64(0); i < numel; i += per {
		k := min(per, numel-i)
		off := f.dataStart + t.Begin + i*size
		var chunk []byte
		if direct != nil {
			chunk = direct[i*size:][:k*size]
		} else {
			chunk = buf[:k*size]
		}
		if err := readAt(f.r, chunk, off); err != nil {
			return nil, nil, readErr(fmtSafetensors, field, err,
				fmt.Sprintf("cannot read the tensor's bytes at file offset %d", off))
		}
		if direct != nil {
			continue
		}
		if j, ok := conv(out[i:i+k], chunk); !ok {
			v := math.Float64frombits(binary.LittleEndian.Uint64(chunk[8*j:]))
			return nil, nil, newError(fmtSafetensors, field, ErrUnsupported,
				"element %d, %g, is beyond float32's range", i+int64(j), v)
		}
	}
	shape := append([]int64{}, t.Shape...)
	return out, shape, nil
}

// littleEndian reports whether float32s are stored as safetensors stores
// them, so that F32 tensors can be read without conversion.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// readAt fills p from r at off. A ReaderAt may return io.EOF with a full
// buffer at the end of its input; that is success.
func readAt(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	switch {
	case n == len(p):
		return nil
	case err == nil:
		return io.ErrUnexpectedEOF
	}
	return err
}

// suggest names a tensor whose name ends like the missing one, the usual
// mistake being a missing or extra prefix ("model.", "module.").
func (f *SafetensorsFile) suggest(name string) string {
	var best string
	for _, t := range f.tensors {
		if t.Name != name && (strings.HasSuffix(t.Name, "."+name) || strings.HasSuffix(name, "."+t.Name)) {
			if best == "" || len(t.Name) < len(best) {
				best = t.Name
			}
		}
	}
	if best == "" {
		return fmt.Sprintf(" (it has %d tensors)", len(f.tensors))
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

func fmtShape(s []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, d)
	}
	b.WriteByte(']')
	return b.String()
}
