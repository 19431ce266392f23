package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestBenchTrace checks that bench --trace writes Chrome's trace event
// format: a complete event per timed forward pass, and per profiled run
// one spanning it with an event per op inside, whose args describe it.
func TestBenchTrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	var stdout, stderr bytes.Buffer
	args := []string{"bench", "--runs", "3", "--warmup", "1", "--batch", "2", "--trace", path, "../../models/lenet5.cnn"}
	if code := Main(args, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("bench exited %d: %s", code, stderr.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tr struct {
		TraceEvents []struct {
			Name string         `json:"name"`
			Cat  string         `json:"cat"`
			Ph   string         `json:"ph"`
			Ts   *float64       `json:"ts"`
			Dur  *float64       `json:"dur"`
			Pid  int            `json:"pid"`
			Tid  int            `json:"tid"`
			Args map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatalf("the trace does not parse: %v", err)
	}
	forward, runs, ops := 0, 0, 0
	var runStart, runEnd float64
	var c1 map[string]any
	for _, e := range tr.TraceEvents {
		if e.Ph == "M" {
			continue
		}
		if e.Ph != "X" || e.Ts == nil || e.Dur == nil || *e.Dur < 0 || e.Pid != 1 {
			t.Fatalf("not a complete event: %+v", e)
		}
		switch {
		case e.Name == "forward":
			forward++
			if e.Args["batch"] != 2.0 {
				t.Errorf("forward pass args %v", e.Args)
			}
		case e.Cat == "run":
			runs++
			runStart, runEnd = *e.Ts, *e.Ts+*e.Dur
		default:
			ops++
			if *e.Ts < runStart || *e.Ts+*e.Dur > runEnd+0.001 {
				t.Errorf("op %s [%v, %v] outside its run [%v, %v]", e.Name, *e.Ts, *e.Ts+*e.Dur, runStart, runEnd)
			}
			for _, k := range []string{"op", "fused", "macs", "in", "out"} {
				if _, ok := e.Args[k]; !ok {
					t.Errorf("op %s: no %q in args %v", e.Name, k, e.Args)
				}
			}
			if e.Name == "c1" && c1 == nil {
				c1 = e.Args
			}
		}
	}
	if forward != 3 || runs != 3 {
		t.Errorf("%d forward passes and %d profiled runs, want 3 and 3", forward, runs)
	}
	if ops == 0 || ops%runs != 0 {
		t.Errorf("%d op events over %d runs", ops, runs)
	}
	// LeNet-5's first convolution, its sigmoid fused: 117,600 MACs an image.
	want := `map[fused:[sigmoid] in:[[1 28 28]] macs:235200 op:conv out:[[6 28 28]]`
	if got := fmt.Sprint(c1); len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("c1's args: %s, want %s...", got, want)
	}
}
