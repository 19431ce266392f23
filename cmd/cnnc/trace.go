package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cnnc/cnnc/internal/fsutil"
	"github.com/cnnc/cnnc/runtime"
)

// A trace collects what bench timed as Chrome's trace event format
// (https://docs.google.com/document/d/1CvAClvFfyA5R-PhYUmn5OOQtYMH4h6I0nSsKchNAySU),
// which Perfetto and chrome://tracing open: on one track a complete event
// ("ph":"X") per timed forward pass, on another one per profiled run with
// an event per op inside it, whose args give the op's kind, what fusion
// folded into it, its multiply-adds and its shapes.
type trace struct {
	origin time.Time
	Events []traceEvent `json:"traceEvents"`
	Unit   string       `json:"displayTimeUnit"`
}

// A traceEvent is one event; times are in microseconds from the trace's
// origin.
type traceEvent struct {
	Name string         `json:"name"`
	Cat  string         `json:"cat,omitempty"`
	Ph   string         `json:"ph"`
	Ts   float64        `json:"ts"`
	Dur  *float64       `json:"dur,omitempty"`
	Pid  int            `json:"pid"`
	Tid  int            `json:"tid"`
	Args map[string]any `json:"args,omitempty"`
}

// The trace's tracks.
const (
	traceForward = 1 // the timed forward passes
	traceOps     = 2 // the profiled runs and their ops
)

func newTrace(model string, batch int) *trace {
	t := &trace{origin: time.Now(), Unit: "ms"}
	meta := func(name string, tid int, value string) {
		t.Events = append(t.Events, traceEvent{Name: name, Ph: "M", Pid: 1, Tid: tid, Args: map[string]any{"name": value}})
	}
	meta("process_name", 0, fmt.Sprintf("cnnc bench %s, batch %d", model, batch))
	meta("thread_name", traceForward, "forward passes")
	meta("thread_name", traceOps, "profiled runs, op by op")
	return t
}

func (t *trace) span(name, cat string, tid int, start time.Time, d time.Duration, args map[string]any) {
	dur := float64(d.Nanoseconds()) / 1e3
	t.Events = append(t.Events, traceEvent{Name: name, Cat: cat, Ph: "X", Ts: float64(start.Sub(t.origin).Nanoseconds()) / 1e3,
		Dur: &dur, Pid: 1, Tid: tid, Args: args})
}

// forward records timed forward pass i of a batch of n.
func (t *trace) forward(i, n int, start time.Time, d time.Duration) {
	t.span("forward", "forward", traceForward, start, d, map[string]any{"run": i, "batch": n})
}

// profiled records profiled run i: an event spanning its ops, then one
// per op.
func (t *trace) profiled(i int, ops []runtime.OpTime) {
	if len(ops) == 0 {
		return
	}
	last := ops[len(ops)-1]
	t.span(fmt.Sprintf("profiled run %d", i), "run", traceOps, ops[0].Start, last.Start.Add(last.Time).Sub(ops[0].Start),
		map[string]any{"run": i, "ops": len(ops)})
	for _, o := range ops {
		name := o.Name
		if name == "" {
			name = o.Kind.String()
		}
		fused := strings.FieldsFunc(o.Fused, func(r rune) bool { return r == '+' })
		if fused == nil {
			fused = []string{}
		}
		args := map[string]any{"op": o.Kind.String(), "fused": fused, "macs": o.MACs, "in": o.In, "out": o.Out, "where": o.Where}
		t.span(name, o.Kind.String(), traceOps, o.Start, o.Time, args)
	}
}

// write saves the trace as JSON at path, replacing the file whole or not
// at all (fsutil.WriteFile, as every file cnnc writes).
func (t *trace) write(path string) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return fsutil.WriteFile(path, bytesTo(append(data, '\n')))
}
