package main

import (
	"context"
	"fmt"
	"io"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/tensorio"
)

func init() {
	register(&command{name: "run", args: "[--weights W] [--top K] [--output OUT.npy] [--json] [--model NAME] [--batch N] [--memory-limit SIZE] MODEL INPUT...",
		short: "run a model on images or .npy arrays and print the top classes", run: runRun})
}

func runRun(c *cli, args []string) int {
	fs := c.flags(lookup("run"))
	weights := fs.String("weights", "", "the weights `W.safetensors` (default: the model's weights option)")
	top := fs.Int("top", 5, "print the `K` most probable classes of each sample")
	output := fs.String("output", "", "write the raw outputs, [N, ...], to `OUT.npy` (- for standard output, in place of the classes)")
	asJSON := fs.Bool("json", false, "print the results as JSON (docs/json.md)")
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	batch := fs.Int("batch", defaultRunBatch, "run the inputs `N` samples at a time (unless given, fewer if they do not fit --memory-limit)")
	c.addMemoryLimit(fs)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !c.validBatch(*batch) {
		return exitUsage
	}
	if len(pos) < 2 {
		fs.Usage()
		return exitUsage
	}
	if *top < 0 {
		c.errorf("--top must not be negative")
		return exitUsage
	}
	m, err := c.loadModel(pos[0], *model, *weights)
	if err != nil {
		return c.fail(err)
	}
	out, names, err := c.runBatches(context.Background(), m, pos[1:], *batch, flagSet(fs, "batch"))
	if err != nil {
		return c.fail(err)
	}
	if *output != "" {
		shape := append([]int64{int64(len(names))}, m.Output...)
		if err := c.writeOutput(*output, func(w io.Writer) error { return tensorio.WriteNpy(w, out, shape) }); err != nil {
			return c.fail(err)
		}
		if *output == "-" {
			return exitOK // standard output holds the array
		}
	}
	labels, err := m.Labels()
	if err != nil {
		return c.fail(err)
	}
	results := rank(m, out, names, labels, *top)
	if *asJSON {
		writeJSON(c.stdout, map[string]any{"version": 1, "model": m.Name, "results": results})
		return exitOK
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		fmt.Fprintln(c.stdout, diag.Printable(r.Input))
		t := &table{align: "rlr"}
		for j, cl := range r.Top {
			t.add(fmt.Sprint(j+1), diag.Printable(cl.Label), fmt.Sprintf("%.4f", cl.Probability))
		}
		t.write(c.stdout)
	}
	return exitOK
}

type result struct {
	Input string    `json:"input"`
	Top   []scored  `json:"top"`
	Raw   []float32 `json:"output"`
}

type scored struct {
	Class       int     `json:"class"`
	Label       string  `json:"label"`
	Probability float64 `json:"probability"`
}

// rank turns each sample's outputs into probabilities (softmax, unless the
// model ends in one) and keeps the top k.
func rank(m *cnnc.Model, out []float32, names, labels []string, k int) []result {
	classes := int(m.Output.Numel())
	var res []result
	for i, name := range names {
		o := out[i*classes : (i+1)*classes]
		r := result{Input: name, Raw: o}
		for _, p := range cnnc.TopK(m.Probabilities(o), k, labels) {
			if p.Label == "" {
				p.Label = fmt.Sprintf("class %d", p.Class)
			}
			r.Top = append(r.Top, scored{Class: p.Class, Label: p.Label, Probability: p.Prob})
		}
		res = append(res, r)
	}
	return res
}
