package lsp

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
)

// inlayHint answers textDocument/inlayHint: at the end of each line of a
// model that ends a member, the shape that member outputs (`→ [N,64,56,56]`).
// Where the current text does not parse, the lines that did not change
// keep the hints of the last text that did.
func (s *Server) inlayHint(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[inlayHintParams](raw)
	if err != nil {
		return nil, err
	}
	out := []InlayHint{}
	d := s.document(p.TextDocument.URI)
	if d == nil {
		return out, nil
	}
	hints := lineHints(d.an, d.name)
	if !d.an.parsed && d.good != nil && d.good != d.an {
		covered := modelLines(d.an)
		m := diffLines(d.good.lines, d.an.lines)
		for old, h := range lineHints(d.good, d.name) {
			l, ok := m.toNew(old)
			if _, done := hints[l]; !ok || done || covered[l] {
				continue
			}
			h.Position.Line = l
			hints[l] = h
		}
	}
	for l, h := range hints {
		if l >= p.Range.Start.Line && l <= p.Range.End.Line && h.Label != "" {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Position.Line < out[j].Position.Line })
	return out, nil
}

// lineHints returns the hint of each line of the analysis' models that
// ends a member. A line whose last member did not check has a hint with no
// label: no shape is better than the shape of the member before.
func lineHints(a *analysis, name string) map[int]InlayHint {
	hints := map[int]InlayHint{}
	if a == nil || a.result == nil {
		return hints
	}
	for _, m := range a.result.Models {
		body := m.Root.Range
		inModel := func(r diag.Range) bool {
			return r.Start.File == name && r.Start.Offset >= body.Start.Offset && r.End.Offset <= body.End.Offset
		}
		// Post-order, so that of the members ending on one line the one
		// that ends last, the outermost, is visited last and wins. Members
		// a definition's call expands to are put on the call's line.
		var walk func(n *compiler.Node)
		walk = func(n *compiler.Node) {
			if n == nil {
				return
			}
			own := inModel(n.Range)
			if own {
				for _, c := range n.Children {
					walk(c)
				}
				walk(n.Shortcut)
				walk(n.Then)
			}
			if n.Transparent {
				return
			}
			end := n.Range.End.Offset
			if !own {
				if len(n.Calls) == 0 || !inModel(n.Calls[0]) {
					return
				}
				end = n.Calls[0].End.Offset
			}
			h := InlayHint{Position: a.lines.position(end), Kind: 1, PaddingLeft: true}
			if n.Out.Known() {
				h.Label = "→ " + shapeText(n.Out)
			}
			hints[h.Position.Line] = h
		}
		for _, c := range m.Root.Children {
			walk(c)
		}
	}
	return hints
}

// modelLines returns the lines of the models that parsed.
func modelLines(a *analysis) map[int]bool {
	lines := map[int]bool{}
	if a.result == nil {
		return lines
	}
	for _, d := range a.result.File.Decls {
		if d.Model != nil {
			for l := a.lines.lineOf(d.Pos.Offset); l <= a.lines.lineOf(d.EndPos.Offset); l++ {
				lines[l] = true
			}
		}
	}
	return lines
}
