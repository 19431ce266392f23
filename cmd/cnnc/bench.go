package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/runtime"
)

func init() {
	register(&command{name: "bench", args: "[--weights W] [--data X.npy] [--batch N] [--runs R] [--min-time D] [--warmup W] [--json] [--trace OUT.json] [--model NAME] [--memory-limit SIZE] MODEL",
		short: "time a model's forward pass, layer by layer and whole", run: runBench})
}

func runBench(c *cli, args []string) int {
	fs := c.flags(lookup("bench"))
	weights := fs.String("weights", "", "the weights `W.safetensors` (default: random weights, which time the same)")
	batch := fs.Int("batch", 1, "the batch size `N`")
	runs := fs.Int("runs", 7, "timed runs; the medians of the whole forward and of each layer are reported")
	warmup := fs.Int("warmup", 3, "untimed runs first")
	minTime := fs.Duration("min-time", 0, "time more runs than --runs until `D` has gone, 50 at most")
	asJSON := fs.Bool("json", false, "print the timings as JSON (docs/json.md)")
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	data := fs.String("data", "", "the input batch `X.npy` (default: a fixed pattern)")
	traceOut := fs.String("trace", "", "write every timed run and the ops of the profiled ones to `OUT.json` (Chrome's trace event format: Perfetto, chrome://tracing)")
	c.addMemoryLimit(fs)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !c.validBatch(*batch) {
		return exitUsage
	}
	if len(pos) != 1 || *runs < 1 || *warmup < 0 || *minTime < 0 {
		fs.Usage()
		return exitUsage
	}
	m, err := c.compileModel(pos[0], *model)
	if err != nil {
		return c.fail(err)
	}
	if *data == "" {
		if err := c.checkBatch(m, *batch, 0); err != nil {
			return c.fail(err)
		}
	}
	if *weights != "" {
		err = m.LoadWeights(*weights)
	} else {
		err = m.SetWeights(m.RandomWeights(1))
	}
	if err != nil {
		return c.fail(err)
	}
	n := *batch
	var x []float32
	if *data != "" {
		if x, n, err = m.LoadInput(*data); err != nil {
			return c.fail(err)
		}
		if err := c.checkBatch(m, n, 0); err != nil {
			return c.fail(err)
		}
	} else {
		x = make([]float32, n*int(m.Input.Numel()))
		for i := range x {
			x[i] = float32(i%255) / 255
		}
	}
	out := make([]float32, n*int(m.Output.Numel()))
	ctx := context.Background()
	var tr *trace
	if *traceOut != "" {
		tr = newTrace(m.Name, n)
	}
	for range *warmup {
		if err := m.Run(ctx, out, x, n); err != nil {
			return c.fail(err)
		}
	}
	var times []float64
	var spent time.Duration
	for len(times) < *runs || spent < *minTime && len(times) < max(*runs, 50) {
		t := time.Now()
		if err := m.Run(ctx, out, x, n); err != nil {
			return c.fail(err)
		}
		d := time.Since(t)
		if tr != nil {
			tr.forward(len(times), n, t, d)
		}
		spent += d
		times = append(times, d.Seconds()*1e3)
	}
	sort.Float64s(times)
	median := times[len(times)/2]
	gflops := 2 * float64(m.MACs) * float64(n) / median / 1e6
	ops, err := profile(ctx, m, x, n, *runs, tr)
	if err != nil {
		return c.fail(err)
	}
	if tr != nil {
		if err := tr.write(*traceOut); err != nil {
			return c.fail(err)
		}
	}
	if *asJSON {
		type layer struct {
			Name   string  `json:"name"`
			Op     string  `json:"op"`
			Ms     float64 `json:"ms"`
			GFLOPS float64 `json:"gflops,omitempty"`
		}
		var layers []layer
		for _, o := range ops {
			layers = append(layers, layer{o.Name, o.Kind.String() + o.Fused, ms(o.Time), opGFLOPS(o)})
		}
		writeJSON(c.stdout, map[string]any{"version": 1, "model": m.Name, "batch": n, "median_ms": median,
			"min_ms": times[0], "max_ms": times[len(times)-1], "gflops": gflops, "arena_bytes": m.ArenaBytes(n), "layers": layers})
		return exitOK
	}
	var total time.Duration
	for _, o := range ops {
		total += o.Time
	}
	t := &table{align: "llrrrr"}
	t.add("layer", "op", "ms", "share", "GFLOPS", "GB/s")
	for _, o := range ops {
		g, bw := "", ""
		if o.MACs > 0 {
			g = fmt.Sprintf("%.1f", opGFLOPS(o))
		}
		if o.Kind == runtime.OpDense {
			// A dense layer at a small batch streams its weights once.
			bw = fmt.Sprintf("%.1f", float64(o.MACs)/float64(n)*4/o.Time.Seconds()/1e9)
		}
		t.add(o.Name, o.Kind.String()+o.Fused, fmt.Sprintf("%.3f", ms(o.Time)),
			fmt.Sprintf("%.1f%%", 100*o.Time.Seconds()/total.Seconds()), g, bw)
	}
	t.write(c.stdout)
	// The arena is check's figure of the same name (memory.go).
	fmt.Fprintf(c.stdout, "\nmodel %s, batch %d: median %.3f ms over %d runs (min %.3f, max %.3f), %.1f GFLOPS, arena %s\n",
		m.Name, n, median, len(times), times[0], times[len(times)-1], gflops, mib(m.ArenaBytes(n)))
	return exitOK
}

// profile times every op over runs batches and keeps each op's median: one
// run's layer times swing with the machine as much as the whole forward's.
// A trace, if any, records every run.
func profile(ctx context.Context, m *cnnc.Model, x []float32, n, runs int, tr *trace) ([]runtime.OpTime, error) {
	var ops []runtime.OpTime
	var times [][]time.Duration
	for r := range runs {
		got, err := m.Profile(ctx, x, n)
		if err != nil {
			return nil, err
		}
		if tr != nil {
			tr.profiled(r, got)
		}
		if r == 0 {
			ops, times = got, make([][]time.Duration, len(got))
		}
		for i, o := range got {
			times[i] = append(times[i], o.Time)
		}
	}
	for i := range ops {
		slices.Sort(times[i])
		ops[i].Time = times[i][len(times[i])/2]
	}
	return ops, nil
}

func ms(d time.Duration) float64 { return d.Seconds() * 1e3 }

func opGFLOPS(o runtime.OpTime) float64 {
	if o.MACs == 0 || o.Time <= 0 {
		return 0
	}
	return 2 * float64(o.MACs) / o.Time.Seconds() / 1e9
}
