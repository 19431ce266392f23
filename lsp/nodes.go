package lsp

import (
	"sort"
	"strconv"
	"strings"

	"github.com/cnnc/cnnc/compiler"
)

// An expansion is one checked node with the model it is part of. A member
// written in a definition has one expansion per call of the definition.
type expansion struct {
	model *compiler.Model
	node  *compiler.Node
}

// nodesAt returns the expansions of the innermost member of file name
// that holds byte offset off, searching the models of every result given.
// Transparent nodes (a residual's body, a concat's branch) are skipped:
// their members are what a reader points at.
func nodesAt(results []*compiler.Result, name string, off int) []expansion {
	var out []expansion
	best := -1
	for _, r := range results {
		if r == nil {
			continue
		}
		for _, m := range r.Models {
			for _, ch := range m.Root.Children {
				ch.Walk(func(n *compiler.Node) bool {
					s, e := n.Range.Start, n.Range.End
					if s.File != name || n.Transparent || off < s.Offset || off > e.Offset {
						return true
					}
					switch size := e.Offset - s.Offset; {
					case best < 0 || size < best:
						best, out = size, []expansion{{m, n}}
					case size == best && sameRange(out[0].node, n):
						out = append(out, expansion{m, n})
					}
					return true
				})
			}
		}
	}
	return out
}

func sameRange(a, b *compiler.Node) bool {
	return a.Range.Start.Offset == b.Range.Start.Offset && a.Range.End.Offset == b.Range.End.Offset
}

// results lists the analyses to search for the nodes of document d: its
// own, and those of the other open documents, which expand its
// definitions when they import it or, for a library file, call them.
func (s *Server) results(d *document, own *analysis) []*compiler.Result {
	out := []*compiler.Result{own.result}
	var uris []string
	for uri, o := range s.docs {
		if o != d && o.an != nil && o.an.result != nil {
			uris = append(uris, uri)
		}
	}
	sort.Strings(uris)
	for _, uri := range uris {
		out = append(out, s.docs[uri].an.result)
	}
	return out
}

// shapeText prints a shape compactly, as [N,64,56,56]; an unknown one is ?.
func shapeText(s compiler.Shape) string {
	return strings.ReplaceAll(s.String(), ", ", ",")
}

// count prints n with thousands separators, as 11,689,512.
func count(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
