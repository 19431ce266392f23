package cnnc_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/cnnc/cnnc"
)

func TestTopK(t *testing.T) {
	probs := []float64{0.1, 0.4, 0.1, 0.4}
	labels := []string{"a", "b", "c"} // the last class has none
	got := fmt.Sprint(cnnc.TopK(probs, 3, labels))
	if want := "[{1 b 0.4} {3  0.4} {0 a 0.1}]"; got != want {
		t.Errorf("TopK(3) = %s, want %s", got, want)
	}
	if n := len(cnnc.TopK(probs, 9, nil)); n != 4 {
		t.Errorf("TopK(9) of 4 gives %d", n)
	}
	if n := len(cnnc.TopK(probs, -1, nil)); n != 0 {
		t.Errorf("TopK(-1) gives %d", n)
	}
}

func TestSoftmax(t *testing.T) {
	p := cnnc.Softmax([]float32{1000, 1000, -1000, 0})
	if p[0] != 0.5 || p[1] != 0.5 || p[2] != 0 || p[3] != 0 {
		t.Errorf("Softmax of large scores: %v", p)
	}
	p = cnnc.Softmax([]float32{1, 2, 3})
	sum := p[0] + p[1] + p[2]
	if math.Abs(sum-1) > 1e-15 || math.Abs(p[2]/p[1]-math.E) > 1e-12 {
		t.Errorf("Softmax(1, 2, 3) = %v", p)
	}
}

// TestImageInputs checks that a decoded image, a reader and a file give
// LeNet-5 the same sample, and that Predict ranks it as cnnc run does.
func TestImageInputs(t *testing.T) {
	m, err := cnnc.CompileFile("models/lenet5.cnn")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.LoadWeights("models/weights/lenet5.safetensors"); err != nil {
		t.Fatal(err)
	}
	const path = "testdata/images/0-tshirt.png"
	want, _, err := m.LoadInput(path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fromReader, err := m.ReadImage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	fromImage, err := m.ImageInput(img)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(fromReader, want) || !slices.Equal(fromImage, want) {
		t.Fatal("ReadImage or ImageInput differs from LoadInput")
	}
	if m.InputSize() != 784 || m.OutputSize() != 10 || !slices.Equal(m.InputShape(), []int{1, 28, 28}) || !slices.Equal(m.OutputShape(), []int{10}) {
		t.Errorf("sizes %d, %d, shapes %v, %v", m.InputSize(), m.OutputSize(), m.InputShape(), m.OutputShape())
	}
	preds, err := m.Predict(context.Background(), want)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for i, p := range preds {
		sum += p.Prob
		if i > 0 && p.Prob > preds[i-1].Prob {
			t.Errorf("prediction %d (%v) above the one before", i, p)
		}
	}
	if len(preds) != 10 || preds[0].Label != "T-shirt/top" || preds[0].Class != 0 || math.Abs(sum-1) > 1e-9 {
		t.Errorf("predictions %v (sum %v)", preds, sum)
	}
	if _, err := m.Predict(context.Background(), want[:10]); err == nil {
		t.Error("Predict took 10 values")
	}
}

func TestPredictRefuses(t *testing.T) {
	m, err := cnnc.Compile("m.cnn", []byte("model m (input 2x4x4) < conv 3 k1 >"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Predict(context.Background(), make([]float32, 32)); err == nil {
		t.Error("Predict on a [N, 3, 4, 4] output")
	}
	if _, err := m.ImageInput(image.NewGray(image.Rect(0, 0, 4, 4))); err == nil {
		t.Error("an image for a 2-channel input")
	}
	// A model that ends in a softmax gives its own outputs as probabilities.
	s, err := cnnc.Compile("s.cnn", []byte("model s (input 1x2x2) < flatten; dense 3; softmax >"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetWeights(s.RandomWeights(1)); err != nil {
		t.Fatal(err)
	}
	x := []float32{1, 2, 3, 4}
	preds, err := s.Predict(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float32, 3)
	if err := s.Run(context.Background(), out, x, 1); err != nil {
		t.Fatal(err)
	}
	if preds[0].Prob != float64(slices.Max(out)) || preds[0].Label != "" {
		t.Errorf("predictions %v of outputs %v", preds, out)
	}
}
