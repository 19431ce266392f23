package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cnnc/cnnc/act"
	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
)

// A dotGraph draws a model as Graphviz: a box per layer, coloured by its
// kind, with its name, its layer and its parameters and MACs; edges
// labelled with the shape that flows along them; a concat's branches side
// by side and a residual's shortcut beside its body; and a box (a
// cluster) around each named sequence, definition call, residual and
// concat. A model with errors is drawn up to its first failure, the
// failing node red, its diagnostic as the tooltip.
//
// Nodes are written inside their clusters as the walk meets them and the
// edges after every cluster has closed: an edge written inside a cluster
// would pull both its ends into it.
type dotGraph struct {
	w       io.Writer
	ids     int
	depth   int // calls below it are single boxes; 0: none are
	indent  string
	edges   []string
	diags   diag.List
	stopped bool // the failure is drawn; nothing after it is
}

// The fill colour of each kind of node.
const (
	colorConv      = "#cfe2f3"
	colorDense     = "#d9d2e9"
	colorPool      = "#d9ead3"
	colorNorm      = "#fff2cc"
	colorAct       = "#fce5cd"
	colorShape     = "#eeeeee" // flatten, dropout, identity
	colorJoin      = "#e8f4e8" // a concat's or residual's join
	colorCall      = "#fff4d6" // a definition call drawn as one box
	colorInOut     = "#dde8f8"
	colorError     = "#f4cccc"
	colorErrorLine = "#cc0000"
)

// writeGraph draws m; depth > 0 draws calls below that depth as single
// boxes. diags are the file's, for the failing node's tooltip.
func writeGraph(w io.Writer, m *compiler.Model, depth int, diags diag.List) {
	d := &dotGraph{w: w, depth: depth, indent: "  ", diags: diags}
	fmt.Fprintf(w, "digraph %q {\n", m.Name)
	fmt.Fprintln(w, `  rankdir=TB; node [shape=box, style="rounded,filled", fillcolor="#f4f4f4", fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9, color="#555555"];`)
	in := d.node("input", m.Input.String(), "", fmt.Sprintf(`shape=oval, fillcolor=%q`, colorInOut))
	out, shape := d.walk(m.Root, in, m.Input, 0)
	if m.OK && !d.stopped {
		end := d.node("output", m.Output.String(), "", fmt.Sprintf(`shape=oval, fillcolor=%q`, colorInOut))
		d.edge(out, end, shape, "")
	}
	for _, e := range d.edges {
		fmt.Fprintln(w, "  "+e)
	}
	fmt.Fprintln(w, "}")
}

// node writes a node and returns its id: name, then detail and cost on
// lines of their own where they say something more.
func (d *dotGraph) node(name, detail, cost, attrs string) string {
	d.ids++
	id := fmt.Sprintf("n%d", d.ids)
	lines := []string{name}
	if detail != "" && detail != name {
		lines = append(lines, detail)
	}
	if cost != "" {
		lines = append(lines, cost)
	}
	if attrs != "" {
		attrs = ", " + attrs
	}
	fmt.Fprintf(d.w, "%s%s [label=%q%s];\n", d.indent, id, strings.Join(lines, "\n"), attrs)
	return id
}

// edge records an edge from a node to another, labelled with the shape
// that flows along it; nothing when the walk stopped before from.
func (d *dotGraph) edge(from, to string, s compiler.Shape, attrs string) {
	if from == "" || to == "" {
		return
	}
	if attrs != "" {
		attrs += ", "
	}
	d.edges = append(d.edges, fmt.Sprintf("%s -> %s [%slabel=%q];", from, to, attrs, s.Dims()))
}

// cluster opens a box around what the walk draws until its close.
func (d *dotGraph) cluster(label string) (close func()) {
	d.ids++
	fmt.Fprintf(d.w, "%ssubgraph cluster_%d {\n", d.indent, d.ids)
	outer := d.indent
	d.indent += "  "
	fmt.Fprintf(d.w, `%slabel=%q; labeljust=l; style="rounded,dashed"; color="#9e9e9e"; fontname="Helvetica"; fontsize=10;`+"\n", d.indent, label)
	return func() {
		d.indent = outer
		fmt.Fprintf(d.w, "%s}\n", d.indent)
	}
}

// walk draws n after the node prev, whose output has shape s, and returns
// the node that ends n and its output shape ("" once the failure is drawn).
func (d *dotGraph) walk(n *compiler.Node, prev string, s compiler.Shape, level int) (string, compiler.Shape) {
	if d.stopped {
		return "", nil
	}
	collapse := d.depth > 0 && level >= d.depth && n.Kind != compiler.KindLayer
	if label := clusterLabel(n); label != "" && !collapse {
		defer d.cluster(label)()
	}
	switch {
	case collapse || n.Kind == compiler.KindLayer || ownFailure(n) && n.Kind == compiler.KindSeq:
		detail := n.Label
		if n.Call != "" {
			detail = n.Call
		}
		attrs := fmt.Sprintf("fillcolor=%q", fillColor(n, collapse))
		if n.Failed {
			attrs = d.failure(n)
		}
		name := n.Key
		if name == "" {
			name = detail
		}
		id := d.node(name, detail, cost(n), attrs)
		d.edge(prev, id, s, "")
		return id, n.Out
	case n.Kind == compiler.KindSeq:
		for _, c := range n.Children {
			prev, s = d.walk(c, prev, s, level+1)
		}
		return prev, s
	case n.Kind == compiler.KindConcat:
		type end struct {
			id    string
			shape compiler.Shape
		}
		var ends []end
		for _, br := range n.Children {
			id, bs := d.walk(br, prev, s, level)
			ends = append(ends, end{id, bs})
		}
		if d.stopped {
			return "", nil
		}
		join := d.join(n, "concat")
		for _, e := range ends {
			d.edge(e.id, join, e.shape, "")
		}
		return join, n.Out
	case n.Kind == compiler.KindResidual:
		end, bs := d.walk(n.Children[0], prev, s, level)
		scEnd, ss := prev, s
		if n.Shortcut != nil {
			scEnd, ss = d.walk(n.Shortcut, prev, s, level+1)
		}
		if d.stopped {
			return "", nil
		}
		sum := d.join(n, "+")
		d.edge(end, sum, bs, "")
		if n.Shortcut != nil {
			d.edge(scEnd, sum, ss, "")
		} else {
			d.edge(prev, sum, s, "style=dashed")
		}
		out := n.Children[0].Out
		if n.Then != nil {
			return d.walk(n.Then, sum, out, level+1)
		}
		return sum, out
	}
	return prev, s
}

// join draws a concat's or residual's joining circle, the failure when
// the join itself failed.
func (d *dotGraph) join(n *compiler.Node, label string) string {
	attrs := fmt.Sprintf("shape=circle, fillcolor=%q, tooltip=%q", colorJoin, nodeName(n, n.Label))
	if ownFailure(n) {
		attrs = "shape=circle, " + d.failure(n)
	}
	return d.node(label, "", "", attrs)
}

// failure returns the attributes of the failing node n, the first error
// about it as its tooltip, and stops the walk.
func (d *dotGraph) failure(n *compiler.Node) string {
	d.stopped = true
	msg := "this node did not check"
	if e := d.diagFor(n); e != nil {
		msg = fmt.Sprintf("error[%s]: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("fillcolor=%q, color=%q, fontcolor=%q, penwidth=2, tooltip=%q", colorError, colorErrorLine, colorErrorLine, msg)
}

// diagFor returns the first error inside n's source range, or the first
// error if none is (an error in a definition's body, for instance).
func (d *dotGraph) diagFor(n *compiler.Node) *diag.Diagnostic {
	var first *diag.Diagnostic
	for _, e := range d.diags {
		if e.Severity != diag.Error {
			continue
		}
		if first == nil {
			first = e
		}
		if within(e.Range, n.Range) {
			return e
		}
	}
	return first
}

// nodeName is n's key, or fallback for a node without one.
func nodeName(n *compiler.Node, fallback string) string {
	if n.Key == "" {
		return fallback
	}
	return n.Key
}

func within(inner, outer diag.Range) bool {
	return inner.Start.File == outer.Start.File && outer.Start.IsValid() &&
		inner.Start.Offset >= outer.Start.Offset && inner.Start.Offset < max(outer.End.Offset, outer.Start.Offset+1)
}

// ownFailure reports whether n failed itself rather than inside a member.
func ownFailure(n *compiler.Node) bool {
	if n == nil || !n.Failed {
		return false
	}
	for _, c := range n.Children {
		if c.Failed {
			return false
		}
	}
	return !(n.Shortcut != nil && n.Shortcut.Failed) && !(n.Then != nil && n.Then.Failed)
}

// clusterLabel is the label of the box around n, or "" for none: named
// sequences, definition calls, residuals and concats have one; the model,
// a concat's branches and a residual's body do not.
func clusterLabel(n *compiler.Node) string {
	if n == nil || n.Transparent || n.Kind == compiler.KindLayer {
		return ""
	}
	what := n.Call
	switch {
	case what != "":
	case n.Kind == compiler.KindResidual || n.Kind == compiler.KindConcat:
		what = n.Label
	case n.Key == "":
		return "" // the model, or an unnamed sequence
	}
	switch {
	case n.Key == "":
		return what
	case what == "":
		return n.Key
	}
	return n.Key + ": " + what
}

// fillColor is a node's colour by the kind of its layer.
func fillColor(n *compiler.Node, collapsed bool) string {
	if collapsed || n.Kind != compiler.KindLayer {
		return colorCall
	}
	switch n.Op {
	case compiler.OpConv:
		return colorConv
	case compiler.OpDense:
		return colorDense
	case compiler.OpMaxPool, compiler.OpAvgPool, compiler.OpAdaptiveAvg, compiler.OpGlobalAvg:
		return colorPool
	case compiler.OpBatchNorm:
		return colorNorm
	case compiler.OpFlatten, compiler.OpDropout, compiler.OpIdentity:
		return colorShape
	case compiler.OpSoftmax, compiler.OpLogSoftmax, compiler.OpPReLU:
		return colorAct
	}
	if n.Act.Kind != act.None {
		return colorAct
	}
	return colorShape
}

// cost is a node's parameters and MACs, or "" if it has neither.
func cost(n *compiler.Node) string {
	var parts []string
	if n.ParamCount > 0 {
		parts = append(parts, commas(n.ParamCount)+" params")
	}
	if n.MACs > 0 {
		parts = append(parts, macs(n.MACs)+" MACs")
	}
	return strings.Join(parts, ", ")
}
