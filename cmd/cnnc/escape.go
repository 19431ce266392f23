package main

import (
	"strings"

	"github.com/cnnc/cnnc/diag"
)

// printableLines escapes the control characters of each line of s, as
// diag.Printable does, keeping its line breaks: an error may quote a file
// name or a label, which must not reach the terminal raw.
func printableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = diag.Printable(l)
	}
	return strings.Join(lines, "\n")
}
