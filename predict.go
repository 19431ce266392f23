package cnnc

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/cnnc/cnnc/compiler"
)

// A Prediction is one class of a classifier's output: its index, its name
// in the model's labels file ("" without one) and its probability.
type Prediction struct {
	Class int
	Label string
	Prob  float64
}

// Predict runs the model on one sample (InputSize values, prepared as
// LoadInput, ImageInput or ReadImage prepare them) and returns every class
// from the most probable down, as cnnc run ranks them: the outputs
// through a softmax, unless the model ends in one, named by the model's
// labels. The model's output must be one score per class ([N, F], or
// [N, C, 1, 1]).
func (m *Model) Predict(ctx context.Context, x []float32) ([]Prediction, error) {
	if !m.classifies() {
		return nil, fmt.Errorf("model %s outputs %s, not one score per class", m.Name, m.Output)
	}
	if len(x) != m.InputSize() {
		return nil, fmt.Errorf("model %s: one sample is %d values (%s), have %d", m.Name, m.InputSize(), m.Input.Dims(), len(x))
	}
	labels, err := m.cachedLabels()
	if err != nil {
		return nil, err
	}
	out := make([]float32, m.OutputSize())
	if err := m.Run(ctx, out, x, 1); err != nil {
		return nil, err
	}
	probs := m.Probabilities(out)
	return TopK(probs, len(probs), labels), nil
}

// Probabilities turns one sample's outputs into class probabilities: a
// softmax of them, or the outputs themselves where the model ends in a
// softmax.
func (m *Model) Probabilities(out []float32) []float64 {
	if !endsInSoftmax(m.Model) {
		return Softmax(out)
	}
	probs := make([]float64, len(out))
	for i, v := range out {
		probs[i] = float64(v)
	}
	return probs
}

// Softmax turns scores into probabilities, in float64: exp(x_i - max x)
// over their sum.
func Softmax(x []float32) []float64 {
	p := make([]float64, len(x))
	top := math.Inf(-1)
	for _, v := range x {
		top = math.Max(top, float64(v))
	}
	var sum float64
	for i, v := range x {
		p[i] = math.Exp(float64(v) - top)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// TopK returns the k most probable classes of probs, the most probable
// first (the lower class first among equals), each named by labels[class]
// where labels has it. A k past len(probs) gives them all; k < 1 none.
func TopK(probs []float64, k int, labels []string) []Prediction {
	k = min(max(k, 0), len(probs))
	idx := make([]int, len(probs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case probs[a] > probs[b]:
			return -1
		case probs[a] < probs[b]:
			return 1
		}
		return 0
	})
	preds := make([]Prediction, k)
	for i, c := range idx[:k] {
		preds[i] = Prediction{Class: c, Prob: probs[c]}
		if c < len(labels) {
			preds[i].Label = labels[c]
		}
	}
	return preds
}

// classifies reports whether the model's output is one value per class.
func (m *Model) classifies() bool {
	return len(m.Output) > 0 && m.Output.Numel() == m.Output[0]
}

// endsInSoftmax reports whether a model's last layer is a softmax (a
// compute-free layer after it, dropout or identity, changes nothing at
// inference).
func endsInSoftmax(m *compiler.Model) bool {
	var last *compiler.Node
	m.Root.Walk(func(n *compiler.Node) bool {
		if n.Kind == compiler.KindLayer && !compiler.ComputeFree(n.Op) {
			last = n
		}
		return true
	})
	return last != nil && last.Op == compiler.OpSoftmax
}

// labelCache holds a model's labels once read.
type labelCache struct {
	once   sync.Once
	labels []string
	err    error
}

func (m *Model) cachedLabels() ([]string, error) {
	if m.labels == nil {
		return m.Labels()
	}
	m.labels.once.Do(func() { m.labels.labels, m.labels.err = m.Labels() })
	return m.labels.labels, m.labels.err
}
