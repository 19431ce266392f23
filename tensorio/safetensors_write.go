package tensorio

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"unicode/utf8"
)

// A NamedTensor is a float32 tensor to write: its values in C order and its
// shape (empty for a scalar).
type NamedTensor struct {
	Name  string
	Shape []int64
	Data  []float32
}

// WriteSafetensors writes tensors as an F32 safetensors file: names and data
// in the given order, metadata (which may be nil) as the header's
// __metadata__ object with sorted keys, and the header padded with spaces to
// a multiple of 8 bytes, as the reference implementation does, so that every
// tensor's data is 8-byte aligned in the file. It rejects duplicate or
// non-UTF-8 names, the name __metadata__, and shapes that disagree with the
// data's length.
func WriteSafetensors(w io.Writer, tensors []NamedTensor, metadata map[string]string) error {
	hdr, err := safetensorsHeader(tensors, metadata)
	if err != nil {
		return err
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hdr)))
	if _, err := w.Write(lenBuf[:]); err != nil {
		return fmt.Errorf("safetensors: writing the header: %w", err)
	}
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("safetensors: writing the header: %w", err)
	}
	buf := make([]byte, 0, chunkBytes)
	for _, t := range tensors {
		if err := writeFloat32LE(w, t.Data, buf); err != nil {
			return fmt.Errorf("safetensors: writing tensor %q: %w", t.Name, err)
		}
	}
	return nil
}

// writeFloat32LE writes data as little-endian float32, converting through
// buf a chunk at a time.
func writeFloat32LE(w io.Writer, data []float32, buf []byte) error {
	for len(data) > 0 {
		k := min(len(data), cap(buf)/4)
		b := buf[:4*k]
		for i, v := range data[:k] {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
		data = data[k:]
	}
	return nil
}

func safetensorsHeader(tensors []NamedTensor, metadata map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	quote := func(s string) {
		enc.Encode(s) // a string always encodes
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteByte('{')
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k, v := range metadata {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return nil, fmt.Errorf("safetensors: __metadata__ key %q: key or value is not valid UTF-8", k)
			}
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf.WriteString(`"__metadata__":{`)
		for i, k := range keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			quote(k)
			buf.WriteByte(':')
			quote(metadata[k])
		}
		buf.WriteByte('}')
	}
	seen := map[string]bool{}
	var off int64
	for i, t := range tensors {
		switch {
		case t.Name == "__metadata__":
			return nil, fmt.Errorf("safetensors: tensor %d: the name __metadata__ is reserved for the header's metadata", i)
		case !utf8.ValidString(t.Name):
			return nil, fmt.Errorf("safetensors: tensor %d: name %q is not valid UTF-8", i, t.Name)
		case seen[t.Name]:
			return nil, fmt.Errorf("safetensors: tensor %q: name given twice", t.Name)
		case len(t.Shape) > MaxRank:
			return nil, fmt.Errorf("safetensors: tensor %q: shape has %d dimensions, at most %d are allowed", t.Name, len(t.Shape), MaxRank)
		}
		seen[t.Name] = true
		numel, ok := numElements(t.Shape, math.MaxInt64/4)
		if !ok || numel != int64(len(t.Data)) {
			return nil, fmt.Errorf("safetensors: tensor %q: shape %s does not hold the %d values given", t.Name, fmtShape(t.Shape), len(t.Data))
		}
		if len(metadata) > 0 || i > 0 {
			buf.WriteByte(',')
		}
		quote(t.Name)
		buf.WriteString(`:{"dtype":"F32","shape":[`)
		for j, d := range t.Shape {
			if j > 0 {
				buf.WriteByte(',')
			}
			fmt.Fprint(&buf, d)
		}
		fmt.Fprintf(&buf, `],"data_offsets":[%d,%d]}`, off, off+4*numel)
		off += 4 * numel
	}
	buf.WriteByte('}')
	for buf.Len()%8 != 0 {
		buf.WriteByte(' ')
	}
	if buf.Len() > MaxSafetensorsHeader {
		return nil, fmt.Errorf("safetensors: header of %d bytes is over the %d-byte limit readers apply", buf.Len(), MaxSafetensorsHeader)
	}
	return buf.Bytes(), nil
}
