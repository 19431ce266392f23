package cnnc_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/cnnc/cnnc"
)

// BenchmarkCheckResNet50 measures a whole check of torchvision's ResNet-50:
// parsing, expanding the standard library's blocks, inferring every shape.
func BenchmarkCheckResNet50(b *testing.B) {
	src, err := os.ReadFile("models/torchvision/resnet50.cnn")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cnnc.Check("models/torchvision/resnet50.cnn", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkForward runs every model of models/ with random weights at
// batch 1 and 8, reporting milliseconds and effective GFLOPS (2 x MACs per
// second). go test -bench Forward/resnet18 selects one.
func BenchmarkForward(b *testing.B) {
	files := []string{"lenet5", "alexnet", "vgg16", "googlenet", "resnet18",
		"torchvision/alexnet", "torchvision/vgg16", "torchvision/googlenet", "torchvision/resnet18", "torchvision/resnet50"}
	for _, f := range files {
		b.Run(f, func(b *testing.B) {
			m, err := cnnc.CompileFile("models/" + f + ".cnn")
			if err != nil {
				b.Fatal(err)
			}
			if err := m.SetWeights(m.RandomWeights(1)); err != nil {
				b.Fatal(err)
			}
			for _, n := range []int{1, 8} {
				b.Run(fmt.Sprintf("b%d", n), func(b *testing.B) {
					x := make([]float32, n*int(m.Input.Numel()))
					for i := range x {
						x[i] = float32(i%251) / 251
					}
					out := make([]float32, n*int(m.Output.Numel()))
					ctx := context.Background()
					if err := m.Run(ctx, out, x, n); err != nil { // plan and warm up
						b.Fatal(err)
					}
					b.ResetTimer()
					for b.Loop() {
						if err := m.Run(ctx, out, x, n); err != nil {
							b.Fatal(err)
						}
					}
					sec := b.Elapsed().Seconds() / float64(b.N)
					b.ReportMetric(sec*1e3, "ms/op")
					b.ReportMetric(2*float64(m.MACs)*float64(n)/sec/1e9, "GFLOPS")
				})
			}
		})
	}
}
