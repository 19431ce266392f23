package lsp

import (
	"context"
	"encoding/json"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
)

// signatureHelp answers textDocument/signatureHelp inside the parentheses
// of a definition's call: its signature, its doc comment and the parameter
// being written (by position, or by name after KEY=). The call is read
// from the tokens of its declaration before the cursor, which need not
// parse, so that a call spread over lines is found too.
func (s *Server) signatureHelp(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[textDocumentPositionParams](raw)
	if err != nil {
		return nil, err
	}
	d := s.document(p.TextDocument.URI)
	if d == nil || p.Position.Line >= d.an.lines.lines() {
		return nil, nil
	}
	text := d.an.text[:d.an.lines.offset(p.Position)]
	start := declStart(text)
	if len(text)-start > maxLinePrefix {
		return nil, nil
	}
	var toks []grammar.Token
	for _, t := range grammar.Tokens(text[start:]) {
		if t.Kind == grammar.TokenComment {
			if start+t.Offset+len(t.Text) == len(text) {
				return nil, nil // in a comment
			}
			continue
		}
		toks = append(toks, t)
	}
	if inString(string(text[max(start, d.an.lines.starts[p.Position.Line]):])) {
		return nil, nil
	}
	open := unclosed(toks)
	if open < 1 || toks[open-1].Kind != grammar.TokenIdent || open == 2 && (toks[0].Text == "def" || toks[0].Text == "model") {
		return nil, nil
	}
	name := toks[open-1].Text
	if isLayer(name) {
		return nil, nil
	}
	var sym compiler.Symbol
	found := false
	for _, a := range []*analysis{d.an, d.good} {
		if a != nil && a.result != nil && !found {
			sym, found = a.result.LookupDef(name)
		}
	}
	if !found {
		return nil, nil
	}
	// The argument being written: commas outside brackets since the
	// parenthesis, and a KEY= at its start.
	arg, argStart, depth := 0, open+1, 0
	for i := open + 1; i < len(toks); i++ {
		if toks[i].Kind != grammar.TokenPunct {
			continue
		}
		switch toks[i].Text {
		case "(", "[":
			depth++
		case ")", "]":
			depth--
		case ",":
			if depth == 0 {
				arg, argStart = arg+1, i+1
			}
		}
	}
	active := arg
	if argStart+1 < len(toks) && toks[argStart].Kind == grammar.TokenIdent && toks[argStart+1].Text == "=" {
		active = len(sym.Def.Params) // a key that names no parameter: none is active
		for i, prm := range sym.Def.Params {
			if prm.Name.Name == toks[argStart].Text {
				active = i
			}
		}
	}
	info := signatureInfo(sym.Def)
	if sym.Doc != "" {
		info.Documentation = &MarkupContent{Kind: "markdown", Value: sym.Doc}
	}
	return SignatureHelp{Signatures: []SignatureInformation{info}, ActiveParameter: active}, nil
}

// signatureInfo is compiler.Signature's text with the span of each
// parameter in it.
func signatureInfo(def *grammar.Def) SignatureInformation {
	label := def.Name.Name + "("
	info := SignatureInformation{Parameters: []ParameterInformation{}}
	for i, p := range def.Params {
		if i > 0 {
			label += ", "
		}
		text := p.Name.Name
		if p.Default != nil {
			text += "=" + grammar.FormatExpr(p.Default)
		}
		from := utf16LenString(label)
		label += text
		info.Parameters = append(info.Parameters, ParameterInformation{Label: [2]int{from, utf16LenString(label)}})
	}
	info.Label = label + ")"
	return info
}
