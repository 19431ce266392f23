package lsp

import (
	"context"
	"encoding/json"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
)

// The semantic token legend. Layers are functions of the default library,
// definitions functions, models classes, member names and attributes
// properties, constants read-only variables.
var (
	tokenTypes     = []string{"keyword", "comment", "string", "number", "operator", "function", "variable", "parameter", "property", "class"}
	tokenModifiers = []string{"declaration", "readonly", "defaultLibrary"}
)

const (
	tokKeyword = iota
	tokComment
	tokString
	tokNumber
	tokOperator
	tokFunction
	tokVariable
	tokParameter
	tokProperty
	tokClass
)

const (
	modDeclaration = 1 << iota
	modReadonly
	modDefaultLibrary
)

// semanticTokens answers textDocument/semanticTokens/full: every token of
// the current text, the names classified by the role the syntax tree and
// the resolver give them (names in declarations that did not parse only
// by their lexical class).
func (s *Server) semanticTokens(ctx context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[documentParams](raw)
	if err != nil {
		return nil, err
	}
	out := &SemanticTokens{Data: []uint32{}}
	d := s.document(p.TextDocument.URI)
	if d == nil {
		return out, nil
	}
	a := d.an
	refs := map[int]*ref{}
	lets := map[string]bool{}
	if a.result != nil {
		x := a.names()
		for i := range x.refs {
			refs[x.refs[i].id.Pos.Offset] = &x.refs[i]
		}
		for _, sym := range a.result.Symbols() {
			if sym.Let != nil {
				lets[sym.Name] = true
			}
		}
	}
	var toks []grammar.Token
	if err := s.interruptible(ctx, func() { toks = grammar.Tokens(a.text) }); err != nil {
		return nil, err
	}
	var line, char int
	for i, t := range toks {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, errCancelled
		}
		typ, mods, ok := classify(t, refs[t.Offset], lets)
		if !ok {
			continue
		}
		pos := a.lines.position(t.Offset)
		if pos.Line != line {
			char = 0
		}
		out.Data = append(out.Data, uint32(pos.Line-line), uint32(pos.Character-char),
			uint32(utf16LenString(t.Text)), uint32(typ), uint32(mods))
		line, char = pos.Line, pos.Character
	}
	return out, nil
}

// classify returns a token's semantic type and modifiers; ok is false for
// brackets and separators, which keep the editor's own colours.
func classify(t grammar.Token, r *ref, lets map[string]bool) (typ, mods int, ok bool) {
	switch t.Kind {
	case grammar.TokenComment:
		return tokComment, 0, true
	case grammar.TokenString:
		return tokString, 0, true
	case grammar.TokenInt, grammar.TokenFloat, grammar.TokenDims:
		return tokNumber, 0, true
	case grammar.TokenKeyword:
		return tokKeyword, 0, true
	case grammar.TokenArrow:
		return tokOperator, 0, true
	case grammar.TokenPunct:
		switch t.Text {
		case "+", "-", "*", "/", "%", "=":
			return tokOperator, 0, true
		}
		return 0, 0, false
	case grammar.TokenIdent:
		if r == nil {
			if t.Text == "block" {
				return tokKeyword, 0, true
			}
			return 0, 0, false
		}
		return classifyName(r, lets)
	}
	return 0, 0, false
}

func classifyName(r *ref, lets map[string]bool) (typ, mods int, ok bool) {
	name := r.id.Name
	switch r.role {
	case roleModel:
		return tokClass, modDeclaration, true
	case roleDef:
		return tokFunction, modDeclaration, true
	case roleParam:
		return tokParameter, modDeclaration, true
	case roleLet:
		return tokVariable, modDeclaration | modReadonly, true
	case roleOption:
		return tokProperty, 0, true
	case roleMember:
		return tokProperty, modDeclaration, true
	case roleApply:
		if isLayer(name) {
			return tokFunction, modDefaultLibrary, true
		}
		return tokFunction, 0, true
	case roleArgKey:
		if isLayer(r.apply.Name.Name) {
			return tokProperty, 0, true
		}
		return tokParameter, 0, true
	}
	switch {
	case r.def != nil && hasParam(r.def, name):
		return tokParameter, 0, true
	case lets[name]:
		return tokVariable, modReadonly, true
	case r.bare:
		return tokProperty, 0, true // an attribute: k3, nobias
	}
	return tokVariable, 0, true
}

func isLayer(name string) bool {
	_, ok := compiler.LayerDoc(name)
	return ok
}
