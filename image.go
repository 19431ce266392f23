package cnnc

import (
	"fmt"
	"image"
	"io"

	"github.com/cnnc/cnnc/tensorio"
)

// ImageInput prepares a decoded image as one sample of the model's input,
// as LoadInput and cnnc run prepare image files: converted to the model's
// channel count (luminance or RGB), resized to its input size, scaled to
// [0, 1] and normalised by its mean and std. The model's input must be a
// map of 1 or 3 channels.
func (m *Model) ImageInput(img image.Image) ([]float32, error) {
	c, h, w, err := m.imageSize()
	if err != nil {
		return nil, err
	}
	x, err := tensorio.ImageTensor(img, c, h, w)
	if err != nil {
		return nil, err
	}
	m.Normalize(x)
	return x, nil
}

// ReadImage decodes a PNG, JPEG, GIF or BMP image from r and prepares it as
// ImageInput does. Its size is checked from its header before it is
// decoded (tensorio.MaxImagePixels).
func (m *Model) ReadImage(r io.Reader) ([]float32, error) {
	c, h, w, err := m.imageSize()
	if err != nil {
		return nil, err
	}
	x, err := tensorio.LoadImage(r, c, h, w)
	if err != nil {
		return nil, err
	}
	m.Normalize(x)
	return x, nil
}

// imageSize is the model's input as channels, height and width, for an
// image.
func (m *Model) imageSize() (c, h, w int, err error) {
	if !m.Input.IsMap() || m.Input[0] != 1 && m.Input[0] != 3 {
		return 0, 0, 0, fmt.Errorf("model %s takes %s; an image gives 1 or 3 channels", m.Name, m.Input)
	}
	return int(m.Input[0]), int(m.Input[1]), int(m.Input[2]), nil
}

// InputSize is the number of values of one input sample (C×H×W).
func (m *Model) InputSize() int { return int(m.Input.Numel()) }

// OutputSize is the number of values of one output sample: the classes of
// a classifier.
func (m *Model) OutputSize() int { return int(m.Output.Numel()) }

// InputShape is the shape of one input sample, [C, H, W], as ints.
func (m *Model) InputShape() []int { return ints(m.Input) }

// OutputShape is the shape of one output sample as ints.
func (m *Model) OutputShape() []int { return ints(m.Output) }
