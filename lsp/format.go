package lsp

import (
	"encoding/json"
	"strings"

	"github.com/cnnc/cnnc/grammar"
)

// formatting answers textDocument/formatting with what `cnnc fmt` prints,
// as one edit of the lines that change (so that the editor keeps its marks
// and cursor on the others). A text that does not parse gets no edits:
// the formatter would drop what it could not read.
func (s *Server) formatting(raw json.RawMessage) (any, error) {
	p, err := decode[documentParams](raw)
	if err != nil {
		return nil, err
	}
	edits := []TextEdit{}
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		return edits, nil
	}
	src := d.an.text
	f, diags := grammar.Parse(d.name, src)
	if diags.HasErrors() {
		return edits, nil
	}
	out := grammar.Format(f)
	if string(out) == string(src) {
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
