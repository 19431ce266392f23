package lsp

import (
	"path/filepath"
	"strings"

	"github.com/cnnc/cnnc/diag"
)

// publish sends a document's diagnostics: those of `cnnc check` on its
// current text, each with its notes as further lines of the message and
// the call sites of the definitions it lies in as related information.
func (s *Server) publish(d *document) {
	out := []Diagnostic{}
	a := d.an
	if a.crash != "" {
		out = append(out, Diagnostic{Severity: severityError, Source: "cnnc",
			Message: "internal error: the check of this file panicked (" + a.crash + "); please report it with the file"})
	}
	if a.result != nil {
		for _, x := range a.result.Diags {
			out = append(out, s.diagnostic(d, a, x))
		}
	}
	v := d.version
	s.conn.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: out})
}

func (s *Server) diagnostic(d *document, a *analysis, x *diag.Diagnostic) Diagnostic {
	out := Diagnostic{Severity: severity(x.Severity), Code: string(x.Code), Source: "cnnc", Message: diagText(x)}
	related := x.Related
	if x.Range.Start.File == d.name {
		out.Range = a.lines.rangeOf(x.Range)
	} else {
		// The fault lies in another file, a definition of an import or of
		// the standard library: show it at the innermost call site in this
		// one, and link to where it is.
		out.Range = s.anchor(d, a, x)
		if loc, ok := s.location(a, x.Range); ok {
			out.RelatedInformation = append(out.RelatedInformation, DiagnosticRelatedInformation{
				Location: loc, Message: "the error is here, in " + x.Range.Start.String()})
		}
		out.Message += "\n(in " + x.Range.Start.String() + ")"
	}
	for _, r := range related {
		if loc, ok := s.location(a, r.Range); ok {
			out.RelatedInformation = append(out.RelatedInformation, DiagnosticRelatedInformation{Location: loc, Message: r.Message})
		}
	}
	return out
}

// anchor finds where in document d to show a diagnostic of another file:
// the innermost call site in d, else the import that brought the file in,
// else the start of the document.
func (s *Server) anchor(d *document, a *analysis, x *diag.Diagnostic) Range {
	for _, r := range x.Related {
		if r.Range.Start.File == d.name {
			return a.lines.rangeOf(r.Range)
		}
	}
	imports := a.names().imports
	for _, imp := range imports {
		if filepath.Join(filepath.Dir(d.name), filepath.FromSlash(imp.Path.Value)) == x.Range.Start.File {
			return a.lines.rangeOf(diag.Range{Start: diag.Pos{Offset: imp.Pos.Offset}, End: diag.Pos{Offset: imp.EndPos.Offset}})
		}
	}
	if len(imports) > 0 {
		imp := imports[0]
		return a.lines.rangeOf(diag.Range{Start: diag.Pos{Offset: imp.Pos.Offset}, End: diag.Pos{Offset: imp.EndPos.Offset}})
	}
	return Range{}
}

// diagText is a diagnostic's message with its notes, one a line, as
// cnnc check prints them after the source excerpt.
func diagText(x *diag.Diagnostic) string {
	var b strings.Builder
	b.WriteString(x.Message)
	for _, n := range x.Notes {
		sep := ": "
		if n.Label == "have" || n.Label == "want" {
			sep = " "
		}
		b.WriteString("\n" + n.Label + sep + n.Text)
	}
	return b.String()
}

func severity(s diag.Severity) int {
	switch s {
	case diag.Warning:
		return severityWarning
	case diag.Info:
		return severityInformation
	}
	return severityError
}
