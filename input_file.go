package cnnc

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cnnc/cnnc/tensorio"
)

// An InputFile gives the samples of one input file a few at a time, as
// LoadInput gives them all: a .npy file of thousands of samples is read
// as they are needed, an image is one sample.
type InputFile struct {
	// N is the number of samples in the file.
	N int

	path  string
	per   int
	npy   *tensorio.NpyReader
	image []float32
	next  int // the next sample to read
}

// OpenInput opens an input file for the model (see LoadInput for what it
// may hold). An .npy file's header is read and its shape checked against
// the model's input; an image is decoded and converted at once.
func (m *Model) OpenInput(path string) (*InputFile, error) {
	f := &InputFile{path: path, per: int(m.Input.Numel())}
	if !strings.EqualFold(filepath.Ext(path), ".npy") {
		x, n, err := m.LoadInput(path)
		if err != nil {
			return nil, err
		}
		f.N, f.image = n, x
		return f, nil
	}
	r, err := tensorio.OpenNpy(path)
	if err != nil {
		return nil, err
	}
	ts := make([]int, len(r.Shape))
	for i, d := range r.Shape {
		ts[i] = int(d)
	}
	n, err := m.batchOf(ts)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.N, f.npy = n, r
	return f, nil
}

// Read fills dst with the next len(dst)/per samples, where per is the
// model's input size: no more than remain. A sample holding NaN or an
// infinity is an error naming the element.
func (f *InputFile) Read(dst []float32) error {
	k := len(dst) / f.per
	if len(dst)%f.per != 0 || k > f.N-f.next {
		return fmt.Errorf("%s: reading %d values, not whole samples of %d among the %d left", f.path, len(dst), f.per, f.N-f.next)
	}
	first := f.next * f.per
	if f.image != nil {
		copy(dst, f.image[first:])
	} else {
		if err := f.npy.Read(dst); err != nil {
			return err
		}
		if i := firstNonFinite(dst); i >= 0 {
			return fmt.Errorf("%s: element %d is %v", f.path, first+i, dst[i])
		}
	}
	f.next += k
	if f.next == f.N && f.npy != nil {
		return f.npy.Finish()
	}
	return nil
}

// Close closes the file.
func (f *InputFile) Close() error {
	if f.npy != nil {
		return f.npy.Close()
	}
	return nil
}
