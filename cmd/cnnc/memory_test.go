package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// arenaFigure matches the figure of an arena line: the runtime's plan
// gives each worker scratch, so it depends on the machine's CPUs.
var arenaFigure = regexp.MustCompile(`(?m)^(arena\s+)\S+ \S+`)

// cmpMem is cmp for check's summaries: stdout (or stderr, as the first
// argument says) against FILE, the arena lines' figures aside.
func cmpMem(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpmem stdout|stderr FILE")
	}
	mask := func(s string) string { return arenaFigure.ReplaceAllString(s, "${1}#") }
	got, want := mask(ts.ReadFile(args[0])), mask(ts.ReadFile(args[1]))
	if got != want {
		ts.Logf("%s:\n%s", args[0], got)
		ts.Fatalf("%s and %s differ (arena figures aside)", args[0], args[1])
	}
}

// TestArenaCheckBench checks that check reports the arena that bench's
// compiled program uses, under the same name.
func TestArenaCheckBench(t *testing.T) {
	for _, batch := range []int{1, 3} {
		n := fmt.Sprint(batch)
		var check, bench, errs bytes.Buffer
		if code := Main([]string{"check", "--json", "--batch", n, "../../models/lenet5.cnn"}, nil, &check, &errs); code != 0 {
			t.Fatalf("check exited %d: %s", code, errs.String())
		}
		if code := Main([]string{"bench", "--json", "--batch", n, "--runs", "1", "--warmup", "0", "../../models/lenet5.cnn"}, nil, &bench, &errs); code != 0 {
			t.Fatalf("bench exited %d: %s", code, errs.String())
		}
		var c struct {
			Models []struct {
				Batch           int   `json:"batch"`
				ActivationBytes int64 `json:"activation_bytes"`
				ArenaBytes      int64 `json:"arena_bytes"`
				Layers          []struct {
					Bytes int64 `json:"bytes"`
				} `json:"layers"`
			} `json:"models"`
		}
		var b struct {
			ArenaBytes int64 `json:"arena_bytes"`
		}
		if err := json.Unmarshal(check.Bytes(), &c); err != nil || len(c.Models) != 1 {
			t.Fatalf("check --json: %v\n%s", err, check.String())
		}
		if err := json.Unmarshal(bench.Bytes(), &b); err != nil {
			t.Fatalf("bench --json: %v\n%s", err, bench.String())
		}
		m := c.Models[0]
		if m.ArenaBytes <= 0 || m.ArenaBytes != b.ArenaBytes {
			t.Errorf("batch %d: check's arena_bytes %d, bench's %d", batch, m.ArenaBytes, b.ArenaBytes)
		}
		// LeNet-5's input is 28x28, its layers' outputs as check's table
		// lists them; the activations are their sum.
		sum := int64(28 * 28 * 4 * batch)
		for _, l := range m.Layers {
			sum += l.Bytes
		}
		if m.ActivationBytes != sum || m.Batch != batch {
			t.Errorf("batch %d: activation_bytes %d, the input and layers sum to %d (batch %d)", batch, m.ActivationBytes, sum, m.Batch)
		}
	}
}
