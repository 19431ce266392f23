package lsp

import (
	"strings"
	"testing"
)

// BenchmarkDidChange measures what a keystroke costs in an editor: a
// didChange of models/torchvision/resnet50.cnn (full text) until its
// publishDiagnostics arrives, over in-memory pipes. The goal is 20 ms.
func BenchmarkDidChange(b *testing.B) {
	c := newClient(b, nil)
	src := readFile(b, "../models/torchvision/resnet50.cnn")
	uri := fileURI(b, "../models/torchvision/resnet50.cnn")
	if ds := c.open(uri, src); len(ds) != 0 {
		b.Fatalf("resnet50 has diagnostics: %v", ds)
	}
	texts := []string{strings.Replace(src, "dense 1000", "dense 100", 1), src}
	b.ReportAllocs()
	v := 1
	for b.Loop() {
		v++
		if ds := c.change(uri, v, texts[v%2]); len(ds) != 0 {
			b.Fatalf("diagnostics: %v", ds)
		}
	}
}
