package lsp

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
)

// documentSymbol answers textDocument/documentSymbol with the outline of
// the declarations that parsed: models, definitions and constants, and
// under each the named members, nested as they are written (an unnamed
// block's named members belong to the block's parent).
func (s *Server) documentSymbol(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[documentParams](raw)
	if err != nil {
		return nil, err
	}
	out := []DocumentSymbol{}
	d := s.document(p.TextDocument.URI)
	if d == nil || d.an.result == nil {
		return out, nil
	}
	a := d.an
	nodes := memberNodes(a, d.name)
	for _, decl := range a.result.File.Decls {
		o := outline{a: a, nodes: nodes}
		var sym DocumentSymbol
		switch {
		case decl.Model != nil:
			m := decl.Model
			sym = o.symbol(m.Name, symbolClass, "", decl.Pos, decl.EndPos)
			for _, cm := range a.result.Models {
				if cm.Name == m.Name.Name && cm.Root.Range.Start.Offset == m.Pos.Offset {
					sym.Detail = shapeText(cm.Input) + " → " + shapeText(cm.Output)
				}
			}
			sym.Children = o.members(m.Body.Members)
		case decl.Def != nil:
			sym = o.symbol(decl.Def.Name, symbolFunction, compiler.Signature(decl.Def), decl.Pos, decl.EndPos)
			sym.Children = o.node(decl.Def.Body)
		case decl.Let != nil:
			sym = o.symbol(decl.Let.Name, symbolConstant, grammar.FormatExpr(decl.Let.Value), decl.Pos, decl.EndPos)
		case decl.Import != nil:
			sym = o.symbol(&grammar.Ident{Name: decl.Import.Path.Value, Pos: decl.Import.Path.Pos, EndPos: decl.Import.Path.EndPos},
				symbolModule, "import", decl.Pos, decl.EndPos)
		default:
			continue
		}
		out = append(out, sym)
	}
	return out, nil
}

// memberNodes maps the start of each member written in a model to its
// checked node (the last expansion, for a member of a repeat). Members of
// definitions are left out: each call gives them other shapes.
func memberNodes(a *analysis, name string) map[int]*compiler.Node {
	out := map[int]*compiler.Node{}
	for _, m := range a.result.Models {
		body := m.Root.Range
		for _, c := range m.Root.Children {
			c.Walk(func(n *compiler.Node) bool {
				r := n.Range
				if r.Start.File != name || n.Transparent || r.Start.Offset < body.Start.Offset || r.End.Offset > body.End.Offset {
					return true
				}
				out[n.Range.Start.Offset] = n
				return true
			})
		}
	}
	return out
}

type outline struct {
	a     *analysis
	nodes map[int]*compiler.Node
}

func (o outline) symbol(id *grammar.Ident, kind int, detail string, start, end lexer.Position) DocumentSymbol {
	return DocumentSymbol{
		Name: id.Name, Kind: kind, Detail: detail,
		Range:          o.a.lines.rangeOf(grammar.Range(start, end)),
		SelectionRange: o.a.lines.rangeOf(grammar.Range(id.Pos, id.EndPos)),
	}
}

func (o outline) members(ms []*grammar.Member) []DocumentSymbol {
	var out []DocumentSymbol
	for _, m := range ms {
		out = append(out, o.member(m)...)
	}
	return out
}

func (o outline) member(m *grammar.Member) []DocumentSymbol {
	if m == nil {
		return nil
	}
	inner := o.node(m.Node)
	if m.Name == nil {
		return inner
	}
	detail := ""
	if m.Node.Apply != nil {
		detail = grammar.FormatApply(m.Node.Apply)
	}
	if n := o.nodes[m.Pos.Offset]; n != nil && n.Out.Known() {
		detail = fmt.Sprintf("%s → %s", detail, shapeText(n.Out))
		if m.Node.Apply == nil {
			detail = "→ " + shapeText(n.Out)
		}
	}
	sym := o.symbol(m.Name, symbolField, detail, m.Pos, m.EndPos)
	sym.Children = inner
	return []DocumentSymbol{sym}
}

func (o outline) node(n *grammar.Node) []DocumentSymbol {
	switch {
	case n == nil:
	case n.Seq != nil:
		return o.members(n.Seq.Members)
	case n.Repeat != nil:
		return o.members(n.Repeat.Body.Members)
	case n.Concat != nil:
		var out []DocumentSymbol
		for _, b := range n.Concat.Branches {
			out = append(out, o.members(b.Members)...)
		}
		return out
	case n.Residual != nil:
		out := o.members(n.Residual.Body.Members)
		if n.Residual.Shortcut != nil {
			out = append(out, o.member(n.Residual.Shortcut.Path)...)
		}
		return append(out, o.member(n.Residual.Then)...)
	}
	return nil
}
