package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
)

// formatting answers textDocument/formatting with what `cnnc fmt` prints,
// as one edit of the lines that change (so that the editor keeps its marks
// and cursor on the others). A text that does not parse gets no edits:
// the formatter would drop what it could not read. A text over the size
// limit gets an error that says so, at once.
func (s *Server) formatting(ctx context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[documentParams](raw)
	if err != nil {
		return nil, err
	}
	edits := []TextEdit{}
	if d := s.docs[p.TextDocument.URI]; d != nil && d.an != nil && d.tooLarge() {
		return nil, fmt.Errorf("%s is %d bytes, over the limit of %d for a source file: it is not formatted", d.name, len(d.an.text), compiler.MaxFileSize)
	}
	d := s.document(p.TextDocument.URI)
	if d == nil {
		return edits, nil
	}
	name, src := d.name, d.an.text
	var out []byte
	if err := s.interruptible(ctx, func() {
		if f, diags := grammar.Parse(name, src); !diags.HasErrors() {
			out = grammar.Format(f)
		}
	}); err != nil {
		return nil, err
	}
	if out == nil || string(out) == string(src) {
		return edits, nil
	}
	return []TextEdit{lineEdit(d.an.lines, newLineIndex(out))}, nil
}

// lineEdit returns one edit that turns old into cur, replacing only the
// lines between their common first and last lines.
func lineEdit(old, cur *lineIndex) TextEdit {
	a := strings.SplitAfter(string(old.text), "\n")
	b := strings.SplitAfter(string(cur.text), "\n")
	p, q := 0, 0 // common leading and trailing lines, newlines included
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	for p+q < len(a) && p+q < len(b) && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	from, newFrom := bytesIn(a[:p]), bytesIn(b[:p])
	to, newTo := len(old.text)-bytesIn(a[len(a)-q:]), len(cur.text)-bytesIn(b[len(b)-q:])
	return TextEdit{
		Range:   Range{Start: old.position(from), End: old.position(to)},
		NewText: string(cur.text[newFrom:newTo]),
	}
}

func bytesIn(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	return n
}
