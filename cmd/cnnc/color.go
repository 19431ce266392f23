package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cnnc/cnnc/diag"
	"golang.org/x/term"
)

// Colour: every command that prints diagnostics takes --color WHEN, auto
// (the default), always or never. auto colours when standard error is a
// terminal, TERM is not "dumb" and NO_COLOR is unset or empty
// (no-color.org); always colours even then.

// colorMode is --color's value; "" is auto.
type colorMode string

func (m *colorMode) String() string {
	if *m == "" {
		return "auto"
	}
	return string(*m)
}

func (m *colorMode) Set(v string) error {
	switch v {
	case "auto", "always", "never":
		*m = colorMode(v)
		return nil
	}
	return errors.New("want auto, always or never")
}

const colorUsage = "when to colour diagnostics: `WHEN` is auto (when standard error is a terminal and NO_COLOR is unset), always or never"

// printsDiagnostics reports whether a command prints diagnostics, and so
// takes --color.
func printsDiagnostics(name string) bool {
	switch name {
	case "lsp", "help", "version", "completion":
		return false
	}
	return true
}

// printer returns the diagnostic printer for c's standard error.
func (c *cli) printer() diag.Printer {
	return diag.Printer{Color: colorEnabled(c.color.String(), os.Getenv("NO_COLOR"), os.Getenv("TERM"), isTTY(c.stderr))}
}

// colorEnabled decides --color: mode is auto, always or never; noColor and
// termName are $NO_COLOR and $TERM; tty says whether standard error is a
// terminal.
func colorEnabled(mode, noColor, termName string, tty bool) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	return tty && noColor == "" && termName != "dumb"
}

// isTTY reports whether w is a terminal.
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeDiags prints l on standard error as printDiags does: coloured as
// --color says, then after a blank line their count in where.
func (c *cli) writeDiags(l diag.List, src diag.SourceFunc, where string) {
	p := c.printer()
	p.Fprint(c.stderr, l, src)
	fmt.Fprintln(c.stderr)
	p.FprintCount(c.stderr, l, where)
}
