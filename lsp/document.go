package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
)

// A document is a file open in the editor, with the analysis of its
// current text and the last analysis of a text that parsed.
type document struct {
	uri     string
	name    string // the compiler's name for it: its path, or stdlib/x.cnn for a library file
	version int
	an      *analysis // of the current text
	good    *analysis // the latest analysis without syntax errors; may be an
}

// check is the analysis of cnnc check; tests replace it to make it fail.
var check = compiler.Check

// document returns the open document a request reads, or nil when it is
// not open or its text is over the compiler's limit on a source file:
// the check refused it at once (its one diagnostic says why), and no
// request may then parse, tokenize or scan the megabytes instead.
func (s *Server) document(uri string) *document {
	d := s.docs[uri]
	if d == nil || d.an == nil || d.tooLarge() {
		return nil
	}
	return d
}

// tooLarge reports whether the document's text is over compiler.MaxFileSize.
func (d *document) tooLarge() bool { return len(d.an.text) > compiler.MaxFileSize }

// An analysis is one check of one text: everything the features answer from.
type analysis struct {
	text   []byte
	lines  *lineIndex
	result *compiler.Result // nil when the check panicked
	crash  string           // the panic, reported as a diagnostic
	parsed bool             // the text has no syntax error
	idx    *index           // the syntax tree's names, built on first use
}

// names returns the index of the analysis' syntax tree.
func (a *analysis) names() *index {
	if a.idx == nil {
		a.idx = &index{}
		if a.result != nil {
			a.idx = newIndex(a.result.File)
		}
	}
	return a.idx
}

func (s *Server) didOpen(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[didOpenParams](raw)
	if err != nil {
		return nil, err
	}
	d := &document{uri: p.TextDocument.URI, version: p.TextDocument.Version}
	d.name = s.docName(d.uri)
	s.docs[d.uri] = d
	s.update(d, []byte(p.TextDocument.Text))
	return nil, nil
}

func (s *Server) didChange(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[didChangeParams](raw)
	if err != nil {
		return nil, err
	}
	d := s.docs[p.TextDocument.URI]
	if d == nil || len(p.ContentChanges) == 0 {
		return nil, nil
	}
	text := d.an.text
	for _, ch := range p.ContentChanges {
		if ch.Range == nil {
			text = []byte(ch.Text)
			continue
		}
		// The server asks for full sync; a client that sends ranges anyway
		// is served too.
		x := newLineIndex(text)
		from, to := x.offset(ch.Range.Start), x.offset(ch.Range.End)
		if to < from {
			from, to = to, from
		}
		text = append(append(append([]byte(nil), text[:from]...), ch.Text...), text[to:]...)
	}
	d.version = p.TextDocument.Version
	if s.queue.superseded(d.uri) {
		// A later change is already here: keep the text, for it to apply
		// to, and check only that one. Nothing reads this analysis.
		d.an = &analysis{text: text, lines: newLineIndex(text)}
		return nil, nil
	}
	s.update(d, text)
	return nil, nil
}

func (s *Server) didClose(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[didCloseParams](raw)
	if err != nil {
		return nil, err
	}
	if d := s.docs[p.TextDocument.URI]; d != nil {
		delete(s.docs, d.uri)
		s.conn.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Diagnostics: []Diagnostic{}})
		s.recheckImporters(d.name)
	}
	return nil, nil
}

// update checks a document's new text, publishes its diagnostics, and
// checks again the open documents that import it.
func (s *Server) update(d *document, text []byte) {
	d.an = s.analyze(d.name, text)
	if d.an.parsed {
		d.good = d.an
	}
	s.publish(d)
	s.recheckImporters(d.name)
}

func (s *Server) recheckImporters(name string) {
	for _, o := range s.docs {
		if o.name == name || o.an == nil || o.an.result == nil {
			continue
		}
		for _, f := range o.an.result.Files()[1:] {
			if f == name {
				o.an = s.analyze(o.name, o.an.text)
				if o.an.parsed {
					o.good = o.an
				}
				s.publish(o)
				break
			}
		}
	}
}

// analyze checks text as cnnc check checks a file; imports are read from
// the open documents first, then from disk.
func (s *Server) analyze(name string, text []byte) (a *analysis) {
	a = &analysis{text: text, lines: newLineIndex(text)}
	defer func() {
		if p := recover(); p != nil {
			a.result, a.parsed = nil, false
			a.crash = fmt.Sprint(p)
			fmt.Fprintf(s.log, "cnnc lsp: the check of %s panicked: %v\n", name, p)
		}
	}()
	a.result = check(name, text, &compiler.Options{ReadFile: s.readFile})
	a.parsed = true
	for _, d := range a.result.Diags {
		if d.Code == diag.SyntaxError && d.Range.Start.File == name {
			a.parsed = false
		}
	}
	return a
}

func (s *Server) readFile(path string) ([]byte, error) {
	for _, d := range s.docs {
		if d.name == path && d.an != nil {
			return d.an.text, nil
		}
	}
	return compiler.ReadSource(path)
}

// docName is the name the compiler gives a document: its path, or for a
// file of the materialised standard library the name the compiler uses
// for the embedded one, so that both are one file.
func (s *Server) docName(uri string) string {
	path, ok := uriToPath(uri)
	if !ok {
		return uri
	}
	if filepath.Dir(path) == s.stdlibPath() {
		name := compiler.StdlibPrefix + filepath.Base(path)
		if compiler.StdlibSource(name) != nil {
			return name
		}
	}
	return path
}

// textOf returns the text of a file the analysis a read, as the editor has
// it when the file is open.
func (s *Server) textOf(a *analysis, name string) []byte {
	for _, d := range s.docs {
		if d.name == name && d.an != nil {
			return d.an.text
		}
	}
	if a.result != nil {
		if src := a.result.Source(name); src != nil {
			return src
		}
	}
	return compiler.StdlibSource(name)
}

// uriOf returns the URI of a file the compiler names name, or "" for a
// library file when the library could not be written to the cache.
func (s *Server) uriOf(name string) string {
	for _, d := range s.docs {
		if d.name == name {
			return d.uri
		}
	}
	if strings.HasPrefix(name, compiler.StdlibPrefix) && compiler.StdlibSource(name) != nil {
		if dir := s.stdlibDir(); dir != "" {
			return pathToURI(filepath.Join(dir, strings.TrimPrefix(name, compiler.StdlibPrefix)))
		}
		return "" // the library could not be written: nowhere to go
	}
	if abs, err := filepath.Abs(name); err == nil {
		return pathToURI(abs)
	}
	return name
}

// location converts a compiler range in any file the analysis read; in
// the analysis' own file, the range is in the analysis' text.
func (s *Server) location(a *analysis, r diag.Range) (Location, bool) {
	if a.result != nil && r.Start.File == a.result.File.Name {
		return Location{URI: s.uriOf(r.Start.File), Range: a.lines.rangeOf(r)}, true
	}
	text := s.textOf(a, r.Start.File)
	uri := s.uriOf(r.Start.File)
	if text == nil || uri == "" {
		return Location{}, false
	}
	return Location{URI: uri, Range: newLineIndex(text).rangeOf(r)}, true
}

// at returns the analysis to answer a position request from, and the
// byte offset of the position in that analysis' text: the current one,
// or, when the current text does not parse and fn finds nothing there,
// the last one that parsed, if the position's line is unchanged since.
func (s *Server) at(uri string, p Position, fn func(a *analysis, off int) bool) {
	d := s.document(uri)
	if d == nil {
		return
	}
	if fn(d.an, d.an.lines.offset(p)) || d.an.parsed || d.good == nil {
		return
	}
	m := diffLines(d.good.lines, d.an.lines)
	if old, ok := m.toOld(p.Line); ok {
		fn(d.good, d.good.lines.offset(Position{Line: old, Character: p.Character}))
	}
}
