package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
)

func init() {
	register(&command{name: "check", args: "[--json] [--depth N] [--batch N] [--input CxHxW] [--model NAME] [--memory-limit SIZE] FILE...",
		short: "check every shape of the models in FILEs and print a summary of each", run: runCheck})
}

func runCheck(c *cli, args []string) int {
	fs := c.flags(lookup("check"))
	asJSON := fs.Bool("json", false, "print one JSON object with the models and the diagnostics")
	depth := fs.Int("depth", 3, "show nodes down to depth `N` (1: the model's members only; 0: the totals only)")
	batch := fs.Int("batch", 1, "report memory at batch size `N`")
	model := fs.String("model", "", "check only the model `NAME`")
	c.addMemoryLimit(fs)
	var input shapeFlag
	fs.Var(&input, "input", "check at another input size `CxHxW`")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitUsage
	}
	if *depth < 0 {
		c.errorf("--depth must be 0 or more (0: the totals only), have %d", *depth)
		return exitUsage
	}
	if *batch < 1 || *batch > maxCheckBatch {
		c.errorf("--batch must be from 1 to %d, have %d", maxCheckBatch, *batch)
		return exitUsage
	}
	opts := optionsWith(input.s)
	opts.MemoryLimit = c.memLimit.limit()
	report := jsonReport{Version: 1, Models: []jsonModel{}, Diagnostics: []diag.JSON{}}
	status := exitOK
	// The errors come after every table, where they are the last thing
	// on the screen: a file's diagnostics and its count, or a message.
	var tail []func()
	shown := 0 // files whose diagnostics are printed
	for i, path := range pos {
		r, err := c.checkFile(path, opts)
		if err != nil {
			tail = append(tail, func() { c.errorf("%v", err) })
			status = exitError
			continue
		}
		models := r.Models
		if *model != "" {
			m, err := selectModel(r, path, *model)
			if err != nil {
				tail = append(tail, func() { c.errorf("%v", err) })
				status = exitError
				continue
			}
			models = []*compiler.Model{m}
		} else if len(models) == 0 && len(r.Diags) == 0 {
			tail = append(tail, func() { c.errorf("%s declares no model", path) })
			status = exitError
		}
		if r.Diags.HasErrors() {
			status = exitError
		}
		if *asJSON {
			for _, m := range models {
				report.Models = append(report.Models, toJSONModel(m, *batch))
			}
			for _, d := range r.Diags {
				report.Diagnostics = append(report.Diagnostics, diag.ToJSON(d))
			}
			continue
		}
		if len(r.Diags) > 0 {
			tail = append(tail, func() {
				if shown > 0 {
					fmt.Fprintln(c.stderr)
				}
				shown++
				c.printDiags(r)
			})
		}
		for j, m := range models {
			if i > 0 || j > 0 {
				fmt.Fprintln(c.stdout)
			}
			writeSummary(c.stdout, m, *depth, *batch)
		}
	}
	if len(tail) > 0 && !*asJSON && isTTY(c.stdout) && isTTY(c.stderr) {
		fmt.Fprintln(c.stderr) // a blank line between the tables and the errors
	}
	for _, f := range tail {
		f()
	}
	if *asJSON {
		writeJSON(c.stdout, report)
	}
	return status
}

// writeSummary prints a model's table: the input and a row per node down
// to depth (none at depth 0), and the totals at the batch size; for a
// model with errors, the rows up to the first failure.
func writeSummary(w io.Writer, m *compiler.Model, depth, batch int) {
	fmt.Fprintf(w, "%s: model %s, input %s\n", diag.Printable(m.File), m.Name, m.Input)
	if depth == 0 && !m.OK {
		fmt.Fprintln(w, "\n(the model has errors)")
		return
	}
	if depth == 0 {
		writeTotals(w, m, batch)
		return
	}
	fmt.Fprintln(w)
	t := &table{align: "lllrrr"}
	t.add("name", "op", "output", "params", "MACs", "memory")
	t.add("input", "", m.Input.String(), "-", "-", nodeBytes(m.Input, batch))
	for _, row := range m.Rows() {
		n := row.Node
		if row.Depth > depth {
			continue
		}
		out := n.Out.String()
		switch {
		case n.Failed && !n.Out.Known():
			out = "error"
		case n.Failed && isLeaf(n):
			out += " error"
		}
		t.add(strings.Repeat("  ", row.Depth-1)+n.Key, row.Op(), out, count(n.ParamCount), macs(n.MACs), nodeBytes(n.Out, batch))
		if n.Failed && !m.OK && isLeaf(n) {
			break
		}
	}
	t.write(w)
	writeTotals(w, m, batch)
}

// writeTotals prints a summary's totals, after a blank line.
func writeTotals(w io.Writer, m *compiler.Model, batch int) {
	if !m.OK {
		fmt.Fprintln(w, "\n(the model has errors; the table stops at the first)")
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "output       %s\n", m.Output)
	fmt.Fprintf(w, "params       %s (%s as float32)\n", commas(m.ParamCount), mib(m.ParamCount*4))
	fmt.Fprintf(w, "MACs         %s per sample\n", macs(m.MACs))
	fmt.Fprintf(w, "activations  %s at batch %d (the input and every layer's output, summed)\n", mib(activationBytes(m, batch)), batch)
	if a, err := arenaBytes(m, batch); err != nil {
		fmt.Fprintf(w, "arena        unknown (%v)\n", err)
	} else {
		fmt.Fprintf(w, "arena        %s at batch %d (the runtime's planned peak: the activations alive at once, and kernel scratch)\n", mib(a), batch)
	}
}

func isLeaf(n *compiler.Node) bool {
	return n.Kind == compiler.KindLayer || len(n.Children) == 0
}

func count(n int64) string {
	if n == 0 {
		return "-"
	}
	return commas(n)
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func macs(n int64) string {
	switch {
	case n == 0:
		return "-"
	case n >= 1e9:
		return fmt.Sprintf("%.2fG", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fK", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func mib(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20))
	case b < 1<<10:
		return fmt.Sprintf("%d B", b)
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}

// jsonReport is check --json's output, described in docs/json.md.
type jsonReport struct {
	Version     int         `json:"version"`
	Models      []jsonModel `json:"models"`
	Diagnostics []diag.JSON `json:"diagnostics"`
}

type jsonModel struct {
	File   string      `json:"file"`
	Name   string      `json:"name"`
	Input  []int64     `json:"input"`
	Output []int64     `json:"output"`
	Params int64       `json:"params"`
	MACs   int64       `json:"macs"`
	OK     bool        `json:"ok"`
	Layers []jsonLayer `json:"layers"`
	// Memory at the batch size, in bytes (memory.go): activations, and
	// the arena for a model that checked.
	Batch           int   `json:"batch"`
	ActivationBytes int64 `json:"activation_bytes"`
	ArenaBytes      int64 `json:"arena_bytes,omitempty"`
}

type jsonLayer struct {
	Name   string  `json:"name"`
	Op     string  `json:"op"`
	Depth  int     `json:"depth"`
	Output []int64 `json:"output"`
	Params int64   `json:"params"`
	MACs   int64   `json:"macs"`
	Bytes  int64   `json:"bytes"` // the output's memory at the batch size
}

func toJSONModel(m *compiler.Model, batch int) jsonModel {
	jm := jsonModel{File: m.File, Name: m.Name, Input: orEmpty(m.Input), Output: orEmpty(m.Output),
		Params: m.ParamCount, MACs: m.MACs, OK: m.OK, Layers: []jsonLayer{},
		Batch: batch, ActivationBytes: activationBytes(m, batch)}
	if m.OK {
		jm.ArenaBytes, _ = arenaBytes(m, batch)
	}
	for _, row := range m.Rows() {
		n := row.Node
		var bytes int64
		if n.Out.Known() {
			bytes = batchBytes(n.Out.Numel(), batch)
		}
		jm.Layers = append(jm.Layers, jsonLayer{Name: n.Key, Op: row.Op(), Depth: row.Depth,
			Output: orEmpty(n.Out), Params: n.ParamCount, MACs: n.MACs, Bytes: bytes})
	}
	return jm
}

func orEmpty(s compiler.Shape) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}
