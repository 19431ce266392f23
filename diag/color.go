package diag

import (
	"fmt"
	"io"
	"strings"
)

// A Printer writes diagnostics in the long form. With Color set it marks
// them up with ANSI escapes in rustc's palette: the severity in bold red
// (error), bold yellow (warning) or bold green (info), the message in bold,
// the gutter and line numbers in bold blue, the carets in the severity's
// colour (a related location's in blue), note labels in bold green and
// hints in bold cyan. Its zero value writes plain text.
type Printer struct {
	Color bool
}

// The escapes of the palette.
const (
	reset  = "\x1b[0m"
	bold   = "\x1b[1m"
	red    = "\x1b[1;31m"
	green  = "\x1b[1;32m"
	yellow = "\x1b[1;33m"
	blue   = "\x1b[1;34m"
	cyan   = "\x1b[1;36m"
)

// Fprint writes every diagnostic of l, a blank line between two.
func (p Printer) Fprint(w io.Writer, l List, src SourceFunc) {
	for i, d := range l {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fprint(w, d, src, p)
	}
}

// FprintCount writes the line that ends a run's diagnostics, as cargo's
// "could not compile" does: "error: 3 errors and 1 warning in models/x.cnn",
// or "warning: 2 warnings in ..." when l holds no error. where names what
// was checked. It writes nothing when l holds neither.
func (p Printer) FprintCount(w io.Writer, l List, where string) {
	errs, warns := 0, 0
	for _, d := range l {
		switch d.Severity {
		case Error:
			errs++
		case Warning:
			warns++
		}
	}
	var parts []string
	if errs > 0 {
		parts = append(parts, plural(errs, "error"))
	}
	if warns > 0 {
		parts = append(parts, plural(warns, "warning"))
	}
	if len(parts) == 0 {
		return
	}
	sev := Warning
	if errs > 0 {
		sev = Error
	}
	fmt.Fprintf(w, "%s%s\n", p.paint(p.severity(sev), sev.String()), p.paint(bold, ": "+strings.Join(parts, " and ")+" in "+Printable(where)))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// paint wraps s in the escape code, when p colours and s is not empty.
func (p Printer) paint(code, s string) string {
	if !p.Color || code == "" || s == "" {
		return s
	}
	return code + s + reset
}

func (p Printer) severity(s Severity) string {
	switch s {
	case Warning:
		return yellow
	case Info:
		return green
	}
	return red
}

// note returns the colour of a note's label: hints are help, in cyan; the
// rest explain, in green.
func (p Printer) note(label string) string {
	if label == "hint" {
		return cyan
	}
	return green
}
