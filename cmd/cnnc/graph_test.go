package main

import (
	"bytes"
	"testing"
)

// TestGraphWithoutDot checks the message for --format svg and png when
// Graphviz's dot is not on PATH.
func TestGraphWithoutDot(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, format := range []string{"svg", "png"} {
		var stdout, stderr bytes.Buffer
		code := Main([]string{"graph", "--format", format, "../../models/lenet5.cnn"}, nil, &stdout, &stderr)
		want := "cnnc: --format " + format + " needs Graphviz's dot on PATH\n"
		if code != exitError || stderr.String() != want || stdout.Len() != 0 {
			t.Errorf("--format %s without dot: exit %d, stderr %q, %d bytes on stdout; want exit 1 and %q", format, code, stderr.String(), stdout.Len(), want)
		}
	}
}
