package lsp

import (
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cnnc/cnnc/diag"
)

// The compiler counts bytes; LSP counts lines from 0 and columns in UTF-16
// code units. A lineIndex converts between the two for one text.
type lineIndex struct {
	text   []byte
	starts []int // byte offset of each line's start
}

func newLineIndex(text []byte) *lineIndex {
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{text: text, starts: starts}
}

// lines is the number of lines, the last one possibly empty.
func (x *lineIndex) lines() int { return len(x.starts) }

// lineOf returns the zero-based line holding byte offset off.
func (x *lineIndex) lineOf(off int) int {
	return sort.SearchInts(x.starts, off+1) - 1
}

// lineText returns line l without its line break.
func (x *lineIndex) lineText(l int) string {
	if l < 0 || l >= len(x.starts) {
		return ""
	}
	end := len(x.text)
	if l+1 < len(x.starts) {
		end = x.starts[l+1] - 1
	}
	return strings.TrimSuffix(string(x.text[x.starts[l]:end]), "\r")
}

// position converts a byte offset, clamped to the text, to a Position.
func (x *lineIndex) position(off int) Position {
	off = max(0, min(off, len(x.text)))
	l := x.lineOf(off)
	return Position{Line: l, Character: utf16Len(x.text[x.starts[l]:off])}
}

// offset converts a Position to a byte offset; a column past the end of
// its line means the end of the line, a line past the end the end of text.
func (x *lineIndex) offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(x.starts) {
		return len(x.text)
	}
	off := x.starts[p.Line]
	line := x.lineText(p.Line)
	units := 0
	for i, r := range line {
		if units >= p.Character {
			return off + i
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return off + len(line)
}

// rangeOf converts a diagnostic range to an LSP range.
func (x *lineIndex) rangeOf(r diag.Range) Range {
	end := r.End.Offset
	if r.End.File != r.Start.File || end < r.Start.Offset {
		end = r.Start.Offset
	}
	return Range{Start: x.position(r.Start.Offset), End: x.position(end)}
}

// utf16Len counts the UTF-16 code units of b; invalid bytes count one each,
// as editors show them.
func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func utf16LenString(s string) int { return utf16Len([]byte(s)) }

// uriToPath returns the file path of a file:// URI, or ok false for any
// other scheme (an editor's unsaved buffer).
func uriToPath(uri string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	p := u.Path
	if runtime.GOOS == "windows" {
		p = strings.TrimPrefix(p, "/")
	}
	return filepath.FromSlash(p), true
}

// pathToURI returns the file:// URI of an absolute path.
func pathToURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
