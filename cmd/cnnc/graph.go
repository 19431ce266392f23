package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cnnc/cnnc/compiler"
)

func init() {
	register(&command{name: "graph", args: "[--model NAME] [--depth N] FILE",
		short: "print a model as a Graphviz graph (cnnc graph m.cnn | dot -Tsvg > m.svg)", run: runGraph})
}

func runGraph(c *cli, args []string) int {
	fs := c.flags(lookup("graph"))
	model := fs.String("model", "", "the model `NAME`, when the file has several")
	depth := fs.Int("depth", 0, "draw definitions' calls below depth `N` as single boxes (0: every layer)")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	r, err := checkFile(pos[0], &compiler.Options{})
	if err != nil {
		return c.fail(err)
	}
	if r.Diags.HasErrors() {
		c.printDiags(r)
		return exitError
	}
	m, err := selectModel(r, pos[0], *model)
	if err != nil {
		return c.fail(err)
	}
	writeDot(c.stdout, m, *depth)
	return exitOK
}

// A dotWriter draws a checked model: a box per layer, edges labelled with
// the shape that flows along them, a concat's branches side by side and a
// residual's shortcut beside its body.
type dotWriter struct {
	w     io.Writer
	n     int
	depth int
}

func writeDot(w io.Writer, m *compiler.Model, depth int) {
	d := &dotWriter{w: w, depth: depth}
	fmt.Fprintf(w, "digraph %q {\n", m.Name)
	fmt.Fprintln(w, `  rankdir=TB; node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9, color="#555555"];`)
	in := d.node("input", m.Input.String(), `shape=oval, fillcolor="#dde8f8"`)
	out, shape := d.walk(m.Root, in, m.Input, 0)
	end := d.node("output", m.Output.String(), `shape=oval, fillcolor="#dde8f8"`)
	d.edge(out, end, shape)
	fmt.Fprintln(w, "}")
}

func (d *dotWriter) node(label, detail, attrs string) string {
	d.n++
	id := fmt.Sprintf("n%d", d.n)
	text := label
	if detail != "" && detail != label {
		text += "\n" + detail
	}
	if attrs != "" {
		attrs = ", " + attrs
	}
	fmt.Fprintf(d.w, "  %s [label=%q%s];\n", id, text, attrs)
	return id
}

func (d *dotWriter) edge(from, to string, s compiler.Shape) {
	fmt.Fprintf(d.w, "  %s -> %s [label=%q];\n", from, to, s.Dims())
}

// walk draws n after the node prev, whose output has shape s, and returns
// the node that ends n and its output shape.
func (d *dotWriter) walk(n *compiler.Node, prev string, s compiler.Shape, level int) (string, compiler.Shape) {
	collapse := d.depth > 0 && level >= d.depth && n.Kind != compiler.KindLayer
	switch {
	case collapse:
		label := n.Key
		if label == "" {
			label = n.Label
		}
		detail := n.Call
		if detail == "" {
			detail = n.Label
		}
		id := d.node(label, detail, `fillcolor="#fff4d6"`)
		d.edge(prev, id, s)
		return id, n.Out
	case n.Kind == compiler.KindSeq:
		for _, c := range n.Children {
			prev, s = d.walk(c, prev, s, level+1)
		}
		return prev, s
	case n.Kind == compiler.KindConcat:
		join := d.node("concat", "", `shape=circle, fillcolor="#e8f4e8", tooltip=`+fmt.Sprintf("%q", nodeName(n, "concat")))
		for _, br := range n.Children {
			end, bs := d.walk(br, prev, s, level)
			d.edge(end, join, bs)
		}
		return join, n.Out
	case n.Kind == compiler.KindResidual:
		sum := d.node("+", "", `shape=circle, fillcolor="#e8f4e8", tooltip=`+fmt.Sprintf("%q", nodeName(n, "residual")))
		end, bs := d.walk(n.Children[0], prev, s, level)
		d.edge(end, sum, bs)
		if n.Shortcut != nil {
			scEnd, ss := d.walk(n.Shortcut, prev, s, level+1)
			d.edge(scEnd, sum, ss)
		} else {
			fmt.Fprintf(d.w, "  %s -> %s [style=dashed, label=%q];\n", prev, sum, s.Dims())
		}
		out := n.Children[0].Out
		if n.Then != nil {
			return d.walk(n.Then, sum, out, level+1)
		}
		return sum, out
	}
	name := n.Key[strings.LastIndexByte(n.Key, '.')+1:]
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = n.Label // an unnamed member: its layer says enough
	} else {
		name = n.Key
	}
	id := d.node(name, n.Label, "")
	d.edge(prev, id, s)
	return id, n.Out
}

func nodeName(n *compiler.Node, fallback string) string {
	if n.Key == "" {
		return fallback
	}
	return n.Key
}
