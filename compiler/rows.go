package compiler

// A Row is one line of a model summary: a node and its depth below the
// model (its top-level members are at depth 1).
type Row struct {
	Depth int
	Node  *Node
}

// Op is how the row's node reads: the call it stands for, or its layer.
func (r Row) Op() string {
	if r.Node.Call != "" {
		return r.Node.Call
	}
	return r.Node.Label
}

// Rows lists the nodes of a model in source order with their depth,
// skipping the transparent ones (concat branches, residual bodies) whose
// members belong to the concat or residual above them.
func (m *Model) Rows() []Row {
	var rows []Row
	var walk func(n *Node, depth int)
	walk = func(n *Node, depth int) {
		if n == nil {
			return
		}
		if n.Transparent {
			depth--
		} else if depth > 0 {
			rows = append(rows, Row{Depth: depth, Node: n})
		}
		for _, c := range n.Children {
			walk(c, depth+1)
		}
		walk(n.Shortcut, depth+1)
		walk(n.Then, depth+1)
	}
	walk(m.Root, 0)
	return rows
}
