package main

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/cnnc/cnnc/compiler"
)

func init() {
	register(&command{name: "graph", args: "[--model NAME] [--depth N] [--format dot|svg|png] FILE",
		short: "draw a model with Graphviz: its layers, shapes, parameters and MACs, its blocks boxed", run: runGraph})
}

func runGraph(c *cli, args []string) int {
	fs := c.flags(lookup("graph"))
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	depth := fs.Int("depth", 0, "draw definitions' calls below depth `N` as single boxes (0: every layer)")
	format := fs.String("format", "dot", "the output `FORMAT`: dot, or svg or png rendered by Graphviz's dot")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	if *format != "dot" && *format != "svg" && *format != "png" {
		c.errorf("--format is dot, svg or png, have %q", *format)
		return exitUsage
	}
	if *depth < 0 {
		c.errorf("--depth must be 0 or more (0: every layer), have %d", *depth)
		return exitUsage
	}
	dot := ""
	if *format != "dot" {
		var err error
		if dot, err = exec.LookPath("dot"); err != nil {
			c.errorf("--format %s needs Graphviz's dot on PATH", *format)
			return exitError
		}
	}
	r, err := c.checkFile(pos[0], &compiler.Options{})
	if err != nil {
		return c.fail(err)
	}
	c.printDiags(r)
	status := exitOK
	if r.Diags.HasErrors() {
		status = exitError
	}
	m, err := selectModel(r, pos[0], *model)
	if err != nil {
		return c.fail(err)
	}
	// A model with errors is drawn up to its first failure.
	if *format == "dot" {
		writeGraph(c.stdout, m, *depth, r.Diags)
		return status
	}
	var src bytes.Buffer
	writeGraph(&src, m, *depth, r.Diags)
	if err := render(dot, *format, &src, c.stdout); err != nil {
		return c.fail(err)
	}
	return status
}

// render runs Graphviz's dot on a graph.
func render(dot, format string, src io.Reader, w io.Writer) error {
	var stderr bytes.Buffer
	cmd := exec.Command(dot, "-T"+format)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = src, w, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("dot -T%s: %v: %s", format, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}
