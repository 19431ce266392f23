package cnnc_test

import (
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
