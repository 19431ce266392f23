package cnnc_test

import (
	"testing"

	"github.com/cnnc/cnnc"
)

// TestArenaBytesBeforeWeights checks that the arena planned from a
// model's graph, as cnnc check reports it, is the one its compiled
// program uses, as cnnc bench reports it.
func TestArenaBytesBeforeWeights(t *testing.T) {
	for _, path := range []string{"models/lenet5.cnn", "models/googlenet.cnn", "models/resnet18.cnn"} {
		m, err := cnnc.CompileFile(path)
		if err != nil {
			t.Fatal(err)
		}
		batches := []int{1, 2, 3, 8}
		planned := map[int]int64{}
		for _, n := range batches {
			if planned[n] = m.ArenaBytes(n); planned[n] <= 0 {
				t.Fatalf("%s: planned %d bytes at batch %d", path, planned[n], n)
			}
		}
		if err := m.SetWeights(m.RandomWeights(1)); err != nil {
			t.Fatal(err)
		}
		for _, n := range batches {
			if got := m.ArenaBytes(n); got != planned[n] {
				t.Errorf("%s at batch %d: %d bytes planned before weights, %d after", path, n, planned[n], got)
			}
		}
		if got := m.ArenaBytes(0); got != 0 {
			t.Errorf("%s: %d bytes at batch 0", path, got)
		}
	}
}
