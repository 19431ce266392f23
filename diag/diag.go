// Package diag defines the diagnostics that every stage of cnnc reports: a
// position, a range, a stable error code, a one-line message and the notes
// (have, want, derivation, hint) and related locations that explain it.
//
// It sits at the bottom of the pipeline, diag ← grammar ← compiler, and
// imports nothing of the module. The shape follows go/scanner's ErrorList and
// hcl's Diagnostic: a narrow subject range, sorted lists, and a text renderer
// (render.go) that prints the source line with carets under the subject.
package diag

import (
	"fmt"
	"sort"
	"strings"
)

// A Pos is a position in a source file. Line and Col count from 1; Col counts
// bytes, as Go's compilers do. Offset is the byte offset from the file start.
type Pos struct {
	File   string
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether p refers to a place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string {
	switch {
	case !p.IsValid() && p.File == "":
		return "-"
	case !p.IsValid():
		return p.File
	case p.File == "":
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// A Range is the half-open span [Start, End) of source text.
type Range struct {
	Start, End Pos
}

func (r Range) String() string { return r.Start.String() }

// Severity orders diagnostics by how much they matter.
type Severity int

// The severities.
const (
	Error Severity = iota
	Warning
	Info
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "error"
}

// A Note explains a diagnostic: Label is one of "have", "want",
// "derivation", "hint" or "note" and Text is one line.
type Note struct {
	Label string
	Text  string
}

// A Related location is another place that contributed to a diagnostic, such
// as the call site of the definition in which the error lies.
type Related struct {
	Range   Range
	Message string
}

// A Fix is an edit that does what a hint says, for editors to offer as a
// quick fix: replace Range (empty for an insertion) with NewText. Message
// says what it does, as the hint does ("write `in 6*6*256`").
type Fix struct {
	Message string
	Range   Range
	NewText string
}

// A Diagnostic is one problem found in a source file.
type Diagnostic struct {
	Severity Severity
	Code     Code
	Message  string // lowercase, one line, no final period
	Range    Range  // the subject: what the carets underline
	Notes    []Note
	Related  []Related
	Fixes    []Fix // edits that resolve it, where the fix is known
}

// Note appends a note and returns d, for chaining.
func (d *Diagnostic) Note(label, format string, args ...any) *Diagnostic {
	d.Notes = append(d.Notes, Note{Label: label, Text: fmt.Sprintf(format, args...)})
	return d
}

// Fix appends a fix and returns d, for chaining.
func (d *Diagnostic) Fix(message string, r Range, newText string) *Diagnostic {
	d.Fixes = append(d.Fixes, Fix{Message: message, Range: r, NewText: newText})
	return d
}

// Error formats d as "file:line:col: message", the one-line form.
func (d *Diagnostic) Error() string {
	return fmt.Sprintf("%s: %s", d.Range.Start, d.Message)
}

// A List is a set of diagnostics; as an error it reports all of them.
type List []*Diagnostic

// Add appends a new diagnostic and returns it so notes can be attached.
func (l *List) Add(r Range, code Code, format string, args ...any) *Diagnostic {
	d := &Diagnostic{Severity: code.Severity(), Code: code, Message: fmt.Sprintf(format, args...), Range: r}
	*l = append(*l, d)
	return d
}

// Sort orders l by file, position and code, the order in which they are printed.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Range.Start, l[j].Range.Start
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		return l[i].Code < l[j].Code
	})
}

// Dedup removes diagnostics that repeat an earlier one at the same place with
// the same message, as a faulty definition called many times would produce.
// The related locations of the dropped ones are not kept: the first call
// site is enough to find the fault.
func (l List) Dedup() List {
	seen := map[string]bool{}
	out := l[:0]
	for _, d := range l {
		k := fmt.Sprintf("%s|%d|%s|%s", d.Range.Start.File, d.Range.Start.Offset, d.Code, d.Message)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// HasErrors reports whether any diagnostic in l is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Err returns l as an error if it holds an error, otherwise nil.
func (l List) Err() error {
	if l.HasErrors() {
		return l
	}
	return nil
}

func (l List) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	var b strings.Builder
	for i, d := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}
