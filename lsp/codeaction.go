package lsp

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/cnnc/cnnc/compiler"
)

// codeAction answers textDocument/codeAction with a quick fix for each fix
// the compiler attached to a diagnostic that touches the range: the edit
// its hint describes (`write in 6*6*256`, `did you mean k3?`, a missing
// flatten). A fix inside the standard library, which is read-only, is not
// offered.
func (s *Server) codeAction(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[codeActionParams](raw)
	if err != nil {
		return nil, err
	}
	out := []CodeAction{}
	d := s.document(p.TextDocument.URI)
	if d == nil || d.an.result == nil || !wants(p.Context.Only, "quickfix") {
		return out, nil
	}
	a := d.an
	for _, x := range a.result.Diags {
		if len(x.Fixes) == 0 {
			continue
		}
		shown := s.diagnostic(d, a, x)
		if !touches(shown.Range, p.Range) {
			continue
		}
		for _, f := range x.Fixes {
			if strings.HasPrefix(f.Range.Start.File, compiler.StdlibPrefix) {
				continue
			}
			loc, ok := s.location(a, f.Range)
			if !ok {
				continue
			}
			out = append(out, CodeAction{
				Title:       f.Message,
				Kind:        "quickfix",
				Diagnostics: []Diagnostic{shown},
				IsPreferred: len(x.Fixes) == 1,
				Edit:        &WorkspaceEdit{Changes: map[string][]TextEdit{loc.URI: {{Range: loc.Range, NewText: f.NewText}}}},
			})
		}
	}
	return out, nil
}

// wants reports whether a code action kind is among those asked for; a
// kind asks for its sub-kinds too, and no list asks for every kind.
func wants(only []string, kind string) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if k == kind || strings.HasPrefix(kind, k+".") {
			return true
		}
	}
	return false
}

// touches reports whether two ranges overlap or meet.
func touches(a, b Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

func before(p, q Position) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Character < q.Character
}
