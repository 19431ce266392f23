package cnnc_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/runtime"
)

// TestReleaseMemory runs a model at many batch sizes: what it keeps stays
// within the runtime's limit, ReleaseMemory gives it all back, and Runs
// afterwards give the same results.
func TestReleaseMemory(t *testing.T) {
	m, _ := compileRandom(t, runtimeCases["concat"], 3)
	first := map[int][]float32{}
	for n := 1; n <= 40; n++ {
		x := randomInput(n, m.Input.Numel(), 5)
		out := make([]float32, n*int(m.Output.Numel()))
		if err := m.Run(context.Background(), out, x, n); err != nil {
			t.Fatal(err)
		}
		first[n] = out
		if got := m.RetainedBytes(); got <= 0 || got > max(runtime.DefaultRetainLimit, m.ArenaBytes(n)) {
			t.Fatalf("after batch %d: %d bytes retained", n, got)
		}
	}
	m.ReleaseMemory()
	if got := m.RetainedBytes(); got != 0 {
		t.Errorf("%d bytes retained after ReleaseMemory", got)
	}
	for _, n := range []int{40, 1, 7} {
		x := randomInput(n, m.Input.Numel(), 5)
		out := make([]float32, n*int(m.Output.Numel()))
		if err := m.Run(context.Background(), out, x, n); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(out, first[n]) {
			t.Errorf("batch %d: a Run after ReleaseMemory differs", n)
		}
	}
	unloaded, _ := cnnc.Compile("m.cnn", []byte(`model m (input 3x8x8) < relu >`))
	unloaded.ReleaseMemory()
	if got := unloaded.RetainedBytes(); got != 0 {
		t.Errorf("a model without weights retains %d bytes", got)
	}
}

// TestWeightsErrorListsTheFirst checks that a WeightsError's message lists
// 20 problems and counts the rest: a hostile file once printed 1.2 million.
func TestWeightsErrorListsTheFirst(t *testing.T) {
	var problems []string
	for i := range 25 {
		problems = append(problems, fmt.Sprintf("t%d: unexpected", i))
	}
	msg := (&cnnc.WeightsError{File: "w.safetensors", Model: "m", Problems: problems}).Error()
	if !strings.HasPrefix(msg, "w.safetensors do not fit model m (25 problems):\n\tt0: unexpected") {
		t.Errorf("message starts wrong:\n%s", msg)
	}
	if !strings.HasSuffix(msg, "\n\tt19: unexpected\n\t... and 5 more") {
		t.Errorf("message does not end with the 20th problem and a count:\n%s", msg)
	}
	short := (&cnnc.WeightsError{Model: "m", Problems: problems[:20]}).Error()
	if strings.Contains(short, "more") || strings.Count(short, "\n") != 20 {
		t.Errorf("20 problems are not listed whole:\n%s", short)
	}
}
