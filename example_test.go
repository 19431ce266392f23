package cnnc_test

import (
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/png" // registers PNG with image.Decode
	"os"

	"gorgonia.org/tensor"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/diag"
)

func Example() {
	src := `
model lenet5 (input 1x28x28) <
  c1: conv 6 k5 p2; sigmoid
  s2: avgpool k2 s2
  c3: conv 16 k5; sigmoid
  s4: avgpool k2 s2
  flatten
  f5: dense 120 in 16*5*5; sigmoid
  f6: dense 84; sigmoid
  f7: dense 10
>`
	m, err := cnnc.Compile("lenet5.cnn", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Name, m.Input, "->", m.Output)
	fmt.Println("parameters:", m.ParamCount)
	for _, p := range m.Params[:2] {
		fmt.Println(p.Name, p.Shape.Dims())
	}
	// Output:
	// lenet5 [N, 1, 28, 28] -> [N, 10]
	// parameters: 61706
	// c1.weight 6x1x5x5
	// c1.bias 6
}

func ExampleCheck() {
	src := `model m (input 3x32x32) <
  conv 16 k3
  flatten
  dense 10 in 16*32*32
>`
	_, err := cnnc.Check("m.cnn", []byte(src))
	var diags diag.List
	if errors.As(err, &diags) {
		for _, d := range diags {
			fmt.Println(d.Range.Start, d.Code, d.Message)
			for _, n := range d.Notes {
				fmt.Println("  ", n.Label, n.Text)
			}
		}
	}
	// Output:
	// m.cnn:4:15 MismatchedShape dense 10 expects 16384 input features, 14400 flow in
	//    have [N, 16, 30, 30] = 14400 features (flatten of conv 16 k3)
	//    derivation 32 -conv k3-> 30
	//    hint write `in 30*30*16`, or drop `in` to let it be inferred
}

// This example compiles LeNet-5, loads the trained weights shipped with it
// and classifies a FashionMNIST test image.
func ExampleModel_Forward() {
	m, err := cnnc.CompileFile("models/lenet5.cnn")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.LoadWeights("models/weights/lenet5.safetensors"); err != nil {
		fmt.Println(err)
		return
	}
	x, _, err := m.LoadInput("testdata/images/7-sneaker.png") // 1x28x28, normalised
	if err != nil {
		fmt.Println(err)
		return
	}
	y, err := m.Forward(context.Background(), tensor.New(tensor.WithShape(1, 1, 28, 28), tensor.WithBacking(x)))
	if err != nil {
		fmt.Println(err)
		return
	}
	labels, _ := m.Labels()
	scores := y.Data().([]float32)
	best := 0
	for i, s := range scores {
		if s > scores[best] {
			best = i
		}
	}
	fmt.Println(y.Shape(), labels[best])
	// Output: (1, 10) Sneaker
}

// This example classifies an image file: ReadImage prepares it as cnnc
// run does, and Predict ranks every class with its label and probability.
func ExampleModel_Predict() {
	m, err := cnnc.CompileFile("models/lenet5.cnn")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.LoadWeights("models/weights/lenet5.safetensors"); err != nil {
		fmt.Println(err)
		return
	}
	f, err := os.Open("testdata/images/0-tshirt.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	x, err := m.ReadImage(f) // m.InputSize() values: 1x28x28, normalised
	if err != nil {
		fmt.Println(err)
		return
	}
	preds, err := m.Predict(context.Background(), x)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range preds[:3] {
		fmt.Printf("%d %-12s %.3f\n", p.Class, p.Label, p.Prob)
	}
	// Output:
	// 0 T-shirt/top  0.982
	// 6 Shirt        0.015
	// 2 Pullover     0.002
}

// This example runs a batch of decoded images and ranks each sample's
// outputs with Softmax and TopK.
func ExampleTopK() {
	m, err := cnnc.CompileFile("models/lenet5.cnn")
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.LoadWeights("models/weights/lenet5.safetensors"); err != nil {
		fmt.Println(err)
		return
	}
	files := []string{"testdata/images/1-trouser.png", "testdata/images/9-ankleboot.png"}
	var batch []float32
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			fmt.Println(err)
			return
		}
		img, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		x, err := m.ImageInput(img)
		if err != nil {
			fmt.Println(err)
			return
		}
		batch = append(batch, x...)
	}
	out := make([]float32, len(files)*m.OutputSize())
	if err := m.Run(context.Background(), out, batch, len(files)); err != nil {
		fmt.Println(err)
		return
	}
	labels, _ := m.Labels()
	for i := range files {
		scores := out[i*m.OutputSize() : (i+1)*m.OutputSize()]
		best := cnnc.TopK(cnnc.Softmax(scores), 1, labels)[0]
		fmt.Printf("%s %.2f\n", best.Label, best.Prob)
	}
	// Output:
	// Trouser 1.00
	// Ankle boot 1.00
}
