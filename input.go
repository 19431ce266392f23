package cnnc

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cnnc/cnnc/tensorio"
)

// LoadInput reads one input file for the model and returns its samples
// and their number. A .npy file holds float32 samples already prepared
// (NCHW, or CHW for one sample); an image (PNG, JPEG, GIF, BMP) is
// converted to the model's channel count, resized to its input size,
// scaled to [0, 1] and normalised by the model's mean and std.
func (m *Model) LoadInput(path string) ([]float32, int, error) {
	if strings.EqualFold(filepath.Ext(path), ".npy") {
		data, shape, err := tensorio.ReadNpyFile(path)
		if err != nil {
			return nil, 0, err
		}
		ts := make([]int, len(shape))
		for i, d := range shape {
			ts[i] = int(d)
		}
		n, err := m.batchOf(ts)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", path, err)
		}
		if i := firstNonFinite(data); i >= 0 {
			return nil, 0, fmt.Errorf("%s: element %d is %v", path, i, data[i])
		}
		return data, n, nil
	}
	in := m.Input
	data, err := tensorio.LoadImageFile(path, int(in[0]), int(in[1]), int(in[2]))
	if err != nil {
		return nil, 0, err
	}
	m.Normalize(data)
	return data, 1, nil
}

// Normalize applies the model's mean and std, per channel, to samples
// scaled to [0, 1], in place.
func (m *Model) Normalize(x []float32) {
	mean, std := m.Options.Mean, m.Options.Std
	if len(mean) == 0 && len(std) == 0 {
		return
	}
	c := int(m.Input[0])
	plane := int(m.Input[1] * m.Input[2])
	for i := range x {
		ch := i / plane % c
		mu, sd := 0.0, 1.0
		if len(mean) > 0 {
			mu = mean[min(ch, len(mean)-1)]
		}
		if len(std) > 0 {
			sd = std[min(ch, len(std)-1)]
		}
		x[i] = float32((float64(x[i]) - mu) / sd)
	}
}
