package diag

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A SourceFunc returns the text of a file, or nil when it is not known; the
// renderer then prints the diagnostic without a source excerpt.
type SourceFunc func(file string) []byte

// Fprint writes every diagnostic of l in the long form: the position and
// message, the source line with carets under the subject, the notes, and
// each related location with its own source line.
func Fprint(w io.Writer, l List, src SourceFunc) { Printer{}.Fprint(w, l, src) }

// Format returns d in the long form Fprint writes.
func Format(d *Diagnostic, src SourceFunc) string {
	var b bytes.Buffer
	fprint(&b, d, src, Printer{})
	return b.String()
}

func fprint(w io.Writer, d *Diagnostic, src SourceFunc, p Printer) {
	// File names, messages and notes may quote a source's text: they are
	// printed escaped, as source lines are (Printable).
	fmt.Fprintf(w, "%s %s%s\n", p.paint(bold, Printable(d.Range.Start.String())+":"),
		p.paint(p.severity(d.Severity), fmt.Sprintf("%s[%s]", d.Severity, d.Code)), p.paint(bold, ": "+Printable(d.Message)))
	width := len(strconv.Itoa(d.Range.Start.Line))
	for _, r := range d.Related {
		if n := len(strconv.Itoa(r.Range.Start.Line)); n > width {
			width = n
		}
	}
	gutter := strings.Repeat(" ", width)
	snippet(w, d.Range, gutter, src, p, p.severity(d.Severity))
	for _, n := range d.Notes {
		sep := ": "
		if n.Label == "have" || n.Label == "want" {
			sep = " "
		}
		fmt.Fprintf(w, "%s %s%s%s\n", p.paint(blue, gutter+" ="), p.paint(p.note(n.Label), n.Label), sep, Printable(n.Text))
	}
	for _, r := range d.Related {
		fmt.Fprintf(w, "%s %s: %s\n", p.paint(blue, gutter+" :::"), Printable(r.Range.Start.String()), Printable(r.Message))
		snippet(w, r.Range, gutter, src, p, blue)
	}
}

// snippet prints the first line of r with carets, in the colour caret
// when p paints, under the part r covers.
func snippet(w io.Writer, r Range, gutter string, src SourceFunc, p Printer, caret string) {
	if src == nil || !r.Start.IsValid() {
		return
	}
	text := src(r.Start.File)
	line, start, ok := lineAt(text, r.Start)
	if !ok {
		return
	}
	// A position past the line's text (its '\r', the end of the input)
	// gets its caret just after the text.
	from := min(r.Start.Offset-start, len(line))
	to := from + 1
	if r.End.File == r.Start.File && r.End.Offset > r.Start.Offset {
		to = min(r.End.Offset-start, len(line))
	}
	if to <= from {
		to = from + 1
	}
	line, from, to = printableSpan(line, from, to)
	line, from, to = window(line, from, to)
	// The caret line copies the tabs of the source line so the carets stay
	// under the text in any tab width.
	var pad strings.Builder
	for _, c := range line[:from] {
		if c == '\t' {
			pad.WriteByte('\t')
		} else {
			pad.WriteByte(' ')
		}
	}
	fmt.Fprintf(w, "%s\n", p.paint(blue, gutter+" |"))
	fmt.Fprintf(w, "%s %s\n", p.paint(blue, fmt.Sprintf("%*d |", len(gutter), r.Start.Line)), line)
	fmt.Fprintf(w, "%s %s%s\n", p.paint(blue, gutter+" |"), pad.String(), p.paint(caret, strings.Repeat("^", runeCount(line, from, to))))
}

// maxLine is the widest source excerpt printed; longer lines are cut
// around the subject and marked with "...".
const maxLine = 160

// window cuts a long line to maxLine bytes around [from, to) and shifts
// the offsets to match.
func window(line string, from, to int) (string, int, int) {
	if len(line) <= maxLine {
		return line, from, to
	}
	to = min(to, from+maxLine/2)
	start := max(0, from-maxLine/4)
	end := min(len(line), start+maxLine)
	for start > 0 && !utf8.RuneStart(line[start]) {
		start--
	}
	for end < len(line) && !utf8.RuneStart(line[end]) {
		end++
	}
	cut := line[start:end]
	shift := 0
	if start > 0 {
		cut = "..." + cut
		shift = 3
	}
	if end < len(line) {
		cut += "..."
	}
	return cut, from - start + shift, min(to-start+shift, len(cut))
}

// lineAt returns the line of text holding p without its newline, and the
// offset at which the line starts.
func lineAt(text []byte, p Pos) (string, int, bool) {
	if p.Offset < 0 || p.Offset > len(text) {
		return "", 0, false
	}
	before := text[:p.Offset]
	if p.Offset < len(text) && text[p.Offset] == '\n' && bytes.HasSuffix(before, []byte("\r")) {
		before = before[:len(before)-1] // the '\n' of "\r\n" ends the line before
	}
	start := bytes.LastIndexAny(before, "\r\n") + 1
	if start == 0 && bytes.HasPrefix(text, []byte(bom)) && p.Offset >= len(bom) {
		start = len(bom)
	}
	end := bytes.IndexAny(text[p.Offset:], "\r\n")
	if end < 0 {
		end = len(text)
	} else {
		end += p.Offset
	}
	return string(text[start:end]), start, true
}

// bom is the byte order mark a source may start with; like the grammar's
// lexer, the renderer skips it. A line ends, as there, at "\n", "\r\n"
// or a lone "\r".
const bom = "\uFEFF"

func runeCount(s string, from, to int) int {
	if to > len(s) {
		to = len(s)
	}
	if from >= to {
		return 1
	}
	return len([]rune(s[from:to]))
}
