package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEscapedFileNames: a file name holding an escape sequence is printed
// escaped, in diagnostics, errors and check's summary.
func TestEscapedFileNames(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "\x1b[2Jbad.cnn")
	good := filepath.Join(dir, "\x1b[2Jgood.cnn")
	os.WriteFile(bad, []byte("model m (input 1x8x8) < conv 8 k3 nobais >\n"), 0o644)
	os.WriteFile(good, []byte("model m (input 1x8x8) < relu >\n"), 0o644)
	for _, args := range [][]string{
		{"check", bad}, {"check", good}, {"check", filepath.Join(dir, "\x1b[2Jmissing.cnn")},
		{"fmt", "-l", filepath.Join(dir, "\x1b[2Jmissing.cnn")},
		{"run", good, filepath.Join(dir, "\x1b]0;title\x07.png")},
	} {
		var stdout, stderr bytes.Buffer
		Main(args, strings.NewReader(""), &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if strings.Contains(out, "\x1b") || strings.Contains(out, "\x07") {
			t.Errorf("%q: a raw control character in:\n%q", args, out)
		}
		if !strings.Contains(out, `\x1b`) {
			t.Errorf("%q: no escaped name in:\n%q", args, out)
		}
	}
}
