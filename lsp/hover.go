package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
)

// maxExpansions is how many expansions of a line inside a definition a
// hover lists; the rest are counted.
const maxExpansions = 4

// hover answers textDocument/hover: for a layer or a call, the shapes it
// maps, its parameters and cost (one line per expansion inside a
// definition); for a call, the definition's signature and documentation;
// for a constant or parameter, its declaration.
func (s *Server) hover(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[textDocumentPositionParams](raw)
	if err != nil {
		return nil, err
	}
	var h *Hover
	d := s.document(p.TextDocument.URI)
	s.at(p.TextDocument.URI, p.Position, func(a *analysis, off int) bool {
		h = s.hoverAt(d, a, off)
		return h != nil
	})
	return h, nil
}

func (s *Server) hoverAt(d *document, a *analysis, off int) *Hover {
	if a.result == nil {
		return nil
	}
	var parts []string
	var rng *Range
	r := a.names().at(off)
	if r != nil {
		if text := s.describeName(a, r); text != "" {
			parts = append(parts, text)
			if a == d.an {
				x := a.lines.rangeOf(grammar.Range(r.id.Pos, r.id.EndPos))
				rng = &x
			}
		}
	}
	if r == nil || (r.role != roleModel && r.role != roleDef && r.role != roleLet && r.role != roleParam) {
		if text := describeNodes(nodesAt(s.results(d, a), d.name, off)); text != "" {
			parts = append(parts, text)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return &Hover{Contents: MarkupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}, Range: rng}
}

// describeName documents the name under the cursor.
func (s *Server) describeName(a *analysis, r *ref) string {
	res := a.result
	name := r.id.Name
	switch r.role {
	case roleModel:
		for _, m := range res.Models {
			if m.Name == name {
				return fmt.Sprintf("```cnn\nmodel %s\n```\n\n%s → %s\n\nparameters: %s · MACs: %s",
					name, shapeText(m.Input), shapeText(m.Output), count(m.ParamCount), count(m.MACs))
			}
		}
	case roleApply:
		if doc, ok := compiler.LayerDoc(name); ok {
			return fmt.Sprintf("**%s**: %s", name, doc)
		}
		if sym, ok := res.LookupDef(name); ok {
			return s.symbolText(a, sym)
		}
	case roleDef:
		return s.symbolText(a, compiler.Symbol{Name: name, File: a.result.File.Name, Def: r.def, Doc: r.decl.Doc})
	case roleLet:
		return s.symbolText(a, compiler.Symbol{Name: name, File: a.result.File.Name, Let: r.decl.Let, Doc: r.decl.Doc})
	case roleParam:
		return paramText(r.def, name)
	case roleArgKey:
		if _, layer := compiler.LayerDoc(r.apply.Name.Name); !layer {
			if sym, ok := res.LookupDef(r.apply.Name.Name); ok {
				return paramText(sym.Def, name)
			}
		}
	case roleExpr:
		if r.def != nil && hasParam(r.def, name) {
			return paramText(r.def, name)
		}
		if sym, ok := res.LookupLet(name); ok {
			return s.symbolText(a, sym)
		}
	}
	return ""
}

// symbolText shows a definition's or constant's declaration, its doc
// comment and, when it is not in this file, where it is.
func (s *Server) symbolText(a *analysis, sym compiler.Symbol) string {
	var b strings.Builder
	if sym.Def != nil {
		fmt.Fprintf(&b, "```cnn\ndef %s\n```", compiler.Signature(sym.Def))
	} else {
		fmt.Fprintf(&b, "```cnn\nlet %s = %s\n```", sym.Name, grammar.FormatExpr(sym.Let.Value))
	}
	if sym.Doc != "" {
		b.WriteString("\n\n" + sym.Doc)
	}
	if sym.File != a.result.File.Name {
		fmt.Fprintf(&b, "\n\n*%s*", sym.File)
	}
	return b.String()
}

func paramText(def *grammar.Def, name string) string {
	return fmt.Sprintf("parameter `%s` of `%s`", name, compiler.Signature(def))
}

func hasParam(def *grammar.Def, name string) bool {
	for _, p := range def.Params {
		if p.Name.Name == name {
			return true
		}
	}
	return false
}

// describeNodes shows what a member computes: for one expansion its key,
// what it is, the shapes and the cost; for several, a line for each of the
// first few.
func describeNodes(exps []expansion) string {
	if len(exps) == 0 {
		return ""
	}
	models := map[string]bool{}
	for _, x := range exps {
		models[x.model.Name] = true
	}
	key := func(x expansion) string {
		if len(models) > 1 {
			return x.model.Name + " · " + x.node.Key
		}
		return x.node.Key
	}
	if len(exps) == 1 {
		n := exps[0].node
		text := fmt.Sprintf("**%s** · `%s`\n\n%s → %s", key(exps[0]), what(n), shapeText(n.In), shapeText(n.Out))
		if n.ParamCount > 0 || n.MACs > 0 {
			text += fmt.Sprintf("\n\nparameters: %s · MACs: %s", count(n.ParamCount), count(n.MACs))
		}
		return text
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d expansions:\n", len(exps))
	for i, x := range exps {
		if i == maxExpansions {
			fmt.Fprintf(&b, "\n- and %d more", len(exps)-i)
			break
		}
		n := x.node
		fmt.Fprintf(&b, "\n- in %s: %s → %s (`%s`", key(x), shapeText(n.In), shapeText(n.Out), what(n))
		if n.ParamCount > 0 || n.MACs > 0 {
			fmt.Fprintf(&b, ", %s parameters, %s MACs", count(n.ParamCount), count(n.MACs))
		}
		b.WriteString(")")
	}
	return b.String()
}

// what is how a node reads: the call it stands for, or its layer.
func what(n *compiler.Node) string {
	if n.Call != "" {
		return n.Call
	}
	return n.Label
}
