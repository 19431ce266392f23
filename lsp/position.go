package lsp

import (
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/cnnc/cnnc/diag"
)

// The compiler counts bytes; LSP counts lines from 0 and columns in UTF-16
// code units. A lineIndex converts between the two for one text, in time
// that does not grow with the length of a line: a column of an ASCII text
// is a byte count, and other texts get marks, every markEvery bytes, of
// the code units before them (on first use: a document too large to check
// never needs them).
type lineIndex struct {
	text   []byte
	starts []int // byte offset of each line's start
	ascii  bool  // every byte is below 0x80
	marks  []mark
}

// A mark is a byte offset at a rune's start and the UTF-16 code units of
// the text before it.
type mark struct{ off, units int }

const markEvery = 1024

func newLineIndex(text []byte) *lineIndex {
	starts := []int{0}
	ascii := true
	for i, c := range text {
		// A line ends at "\n", "\r\n" or a lone "\r", as LSP says and as
		// the grammar's lexer counts lines.
		if c == '\n' || c == '\r' && (i+1 == len(text) || text[i+1] != '\n') {
			starts = append(starts, i+1)
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	return &lineIndex{text: text, starts: starts, ascii: ascii}
}

// mark returns the marks, made on first use.
func (x *lineIndex) mark() []mark {
	if x.marks == nil {
		x.marks = []mark{{0, 0}}
		for off, units := 0, 0; off < len(x.text); {
			if off >= len(x.marks)*markEvery {
				x.marks = append(x.marks, mark{off, units})
			}
			r, size := utf8.DecodeRune(x.text[off:])
			off += size
			units += utf16Units(r)
		}
	}
	return x.marks
}

// lines is the number of lines, the last one possibly empty.
func (x *lineIndex) lines() int { return len(x.starts) }

// lineOf returns the zero-based line holding byte offset off.
func (x *lineIndex) lineOf(off int) int {
	return sort.SearchInts(x.starts, off+1) - 1
}

// lineEnd returns the offset of line l's end, before its line break.
func (x *lineIndex) lineEnd(l int) int {
	if l+1 < len(x.starts) {
		return x.starts[l+1] - 1
	}
	return len(x.text)
}

// lineText returns line l without its line break.
func (x *lineIndex) lineText(l int) string {
	if l < 0 || l >= len(x.starts) {
		return ""
	}
	return strings.TrimSuffix(string(x.text[x.starts[l]:x.lineEnd(l)]), "\r")
}

// unitsTo returns the UTF-16 code units of the text before byte offset off.
func (x *lineIndex) unitsTo(off int) int {
	if x.ascii {
		return off
	}
	marks := x.mark()
	i := sort.Search(len(marks), func(i int) bool { return marks[i].off > off }) - 1
	return marks[i].units + utf16Len(x.text[marks[i].off:off])
}

// position converts a byte offset, clamped to the text, to a Position.
func (x *lineIndex) position(off int) Position {
	off = max(0, min(off, len(x.text)))
	l := x.lineOf(off)
	return Position{Line: l, Character: x.unitsTo(off) - x.unitsTo(x.starts[l])}
}

// offset converts a Position to a byte offset; a column past the end of
// its line means the end of the line (before a \r), a line past the end
// the end of text.
func (x *lineIndex) offset(p Position) int {
	if p.Line < 0 {
		return 0
	}
	if p.Line >= len(x.starts) {
		return len(x.text)
	}
	start, end := x.starts[p.Line], x.lineEnd(p.Line)
	if end > start && x.text[end-1] == '\r' {
		end--
	}
	if p.Character <= 0 {
		return start
	}
	if x.ascii {
		return min(start+p.Character, end)
	}
	// From the last mark of the line at or before the column, rune by rune.
	base := x.unitsTo(start)
	marks := x.mark()
	off, units := start, 0
	lo := sort.Search(len(marks), func(i int) bool { return marks[i].off > start })
	hi := sort.Search(len(marks), func(i int) bool { return marks[i].off > end })
	if i := lo + sort.Search(hi-lo, func(i int) bool { return marks[lo+i].units-base > p.Character }) - 1; i >= lo {
		off, units = marks[i].off, marks[i].units-base
	}
	for off < end && units < p.Character {
		r, size := utf8.DecodeRune(x.text[off:end])
		off += size
		units += utf16Units(r)
	}
	return off
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
		n += utf16Units(r)
	}
	return n
}

// utf16Units is the code units of one rune; an invalid byte counts one.
func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
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
