package cnnc

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/internal/fsutil"
	"github.com/cnnc/cnnc/runtime"
	"github.com/cnnc/cnnc/tensorio"
)

// A WeightsError lists every way a weights file does not fit a model:
// missing, unexpected and mis-shaped tensors. Its message shows 20 of them
// and counts the rest.
type WeightsError struct {
	File     string
	Model    string
	Problems []string
	// unexpected counts the problems at the end of Problems that are
	// tensors the model lacks: the message shows some of those too.
	unexpected int
}

func (e *WeightsError) Error() string {
	where := e.File
	if where == "" {
		where = "the weights"
	}
	return fmt.Sprintf("%s do not fit model %s (%d problems):\n\t%s", where, e.Model, len(e.Problems), e.list())
}

// maxProblems is how many problems a WeightsError's message lists: a
// file of the wrong model has one per tensor, and a hostile one 100,000.
const maxProblems = 20

// list joins maxProblems problems, one a line, and says how many more
// there are: the first of what the model lacks, and the first tensors the
// model does not have, half and half when both are many (a file of
// another model is told by its names).
func (e *WeightsError) list() string {
	u := min(max(e.unexpected, 0), len(e.Problems))
	head, tail := e.Problems[:len(e.Problems)-u], e.Problems[len(e.Problems)-u:]
	a := min(len(head), max(maxProblems-len(tail), maxProblems/2))
	b := min(len(tail), maxProblems-a)
	lines := append([]string(nil), head[:a]...)
	if a < len(head) {
		lines = append(lines, fmt.Sprintf("... and %d more", len(head)-a))
	}
	lines = append(lines, tail[:b]...)
	if b < len(tail) {
		lines = append(lines, fmt.Sprintf("... and %d more", len(tail)-b))
	}
	return strings.Join(lines, "\n\t")
}

// LoadWeights reads a safetensors file whose tensors are named as the
// model's state_dict names them (cnnc params lists them). Every name and
// shape is checked before any tensor is read; BatchNorm's
// num_batches_tracked is ignored; F16, BF16 and F64 tensors are converted.
func (m *Model) LoadWeights(path string) error {
	f, err := tensorio.OpenSafetensors(path)
	if err != nil {
		return err
	}
	defer f.Close()
	want := map[string]*compiler.Param{}
	var problems []string
	for _, p := range m.Params {
		want[p.Name] = p
		info, ok := f.Tensor(p.Name)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: missing; model wants %s", p.Name, shapeText(p.Shape)))
		case !sameShape(info.Shape, p.Shape):
			problems = append(problems, fmt.Sprintf("%s: file has %s, model wants %s", p.Name, shapeText(info.Shape), shapeText(p.Shape)))
		}
	}
	lacking := len(problems)
	for _, t := range f.Tensors() {
		if _, ok := want[t.Name]; !ok && !strings.HasSuffix(t.Name, "num_batches_tracked") {
			problems = append(problems, fmt.Sprintf("%s: unexpected %s tensor; the model has no such parameter", t.Name, shapeText(t.Shape)))
		}
	}
	if len(problems) > 0 {
		return &WeightsError{File: path, Model: m.Name, Problems: problems, unexpected: len(problems) - lacking}
	}
	w := make(runtime.Weights, len(m.Params))
	for _, p := range m.Params {
		data, _, err := f.Float32(p.Name)
		if err != nil {
			return err
		}
		if i := firstNonFinite(data); i >= 0 {
			return fmt.Errorf("%s: tensor %s holds %v at element %d", path, p.Name, data[i], i)
		}
		w[p.Name] = data
	}
	return m.setWeights(w)
}

func sameShape(a []int64, b compiler.Shape) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func shapeText(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// RandomWeights returns fresh weights initialised as the seed's notes do:
// Kaiming-normal convolutions (fan in, ReLU gain), normal(0, 0.01) dense
// layers, zero biases, BatchNorm as the identity (weight 1, bias 0, mean 0,
// variance 1), PReLU's slopes 0.25: each parameter's Init, which its layer
// sets. The same seed gives the same weights.
func (m *Model) RandomWeights(seed uint64) map[string][]float32 {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	w := make(runtime.Weights, len(m.Params))
	for _, p := range m.Params {
		t := make([]float32, p.Shape.Numel())
		switch p.Init.Kind {
		case compiler.InitConst:
			for i := range t {
				t[i] = float32(p.Init.Value)
			}
		case compiler.InitKaiming:
			fanIn := float64(p.Shape.Numel() / p.Shape[0])
			std := math.Sqrt(2 / fanIn)
			for i := range t {
				t[i] = float32(rng.NormFloat64() * std)
			}
		case compiler.InitNormal:
			for i := range t {
				t[i] = float32(rng.NormFloat64() * p.Init.Value)
			}
		}
		w[p.Name] = t
	}
	return w
}

// SaveWeights writes weights as a safetensors file in the model's parameter
// order. The file is replaced whole or not at all (fsutil.WriteFile): a
// failure leaves the previous file as it was.
func (m *Model) SaveWeights(path string, w map[string][]float32) error {
	return fsutil.WriteFile(path, func(f io.Writer) error { return m.WriteWeights(f, w) })
}

// WriteWeights writes weights to f in the safetensors format, in the model's
// parameter order.
func (m *Model) WriteWeights(f io.Writer, w map[string][]float32) error {
	var ts []tensorio.NamedTensor
	for _, p := range m.Params {
		ts = append(ts, tensorio.NamedTensor{Name: p.Name, Shape: p.Shape, Data: w[p.Name]})
	}
	return tensorio.WriteSafetensors(f, ts, map[string]string{"model": m.Name, "format": "pt"})
}

// MaxLabelsSize bounds the bytes of a labels file: ImageNet's 21,841
// class names take under 1 MiB.
const MaxLabelsSize = 16 << 20

// Labels reads the class names of the model's labels file, one a line. The
// file must be a regular file of at most MaxLabelsSize bytes.
func (m *Model) Labels() ([]string, error) {
	if m.Options.Labels == "" {
		return nil, nil
	}
	data, err := fsutil.ReadFile(m.Options.Labels, MaxLabelsSize, "labels files")
	if err != nil {
		return nil, fmt.Errorf("model %s: labels: %w", m.Name, err)
	}
	// Lines end as a source's do: "\n", "\r\n" or a lone "\r".
	text := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(data))
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if int64(len(lines)) != m.Output.Numel() {
		return nil, fmt.Errorf("%s: %d labels for %d outputs of model %s", m.Options.Labels, len(lines), m.Output.Numel(), m.Name)
	}
	return lines, nil
}
