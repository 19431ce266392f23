package lsp

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileDocuments opens documents that once froze the server (its
// checks ran for minutes, built messages of hundreds of megabytes, read
// /dev/zero until memory ran out or waited forever on a named pipe): each
// must get its diagnostics at once, and the server must go on answering
// requests, shutdown included.
func TestHostileDocuments(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.cnn")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var doubling strings.Builder
	doubling.WriteString("let a0 = 1\n")
	for i := 1; i < 64; i++ {
		fmt.Fprintf(&doubling, "let a%d = (a%d, a%d)\n", i, i-1, i-1)
	}
	doubling.WriteString("model m (input 1x8x8) < conv a63 k3 >\n")
	model := "model m (input 1x8x8) < relu >\n"
	c := newClient(t, nil)
	for i, tc := range []struct{ name, text, code, message string }{
		{"empty repeats", "model m (input 1x8x8) < repeat 99999 < repeat 99999 < repeat 99999 < > > > >\n",
			"LimitExceeded", `more than 250000 members and repeat copies`},
		{"doubling tuple", doubling.String(), "LimitExceeded", `a tuple of more than 65536 values`},
		{"import of a device", "import \"/dev/zero\"\n" + model, "ImportError", `it is a device, not a regular file`},
		{"import of a named pipe", "import \"fifo.cnn\"\n" + model, "ImportError", `it is a named pipe, not a regular file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			uri := pathToURI(filepath.Join(dir, fmt.Sprintf("doc%d.cnn", i)))
			start := time.Now()
			ds := c.open(uri, tc.text)
			re := regexp.MustCompile(tc.message)
			found := false
			for _, d := range ds {
				found = found || d.Code == tc.code && re.MatchString(d.Message)
				if len(d.Message) > 1000 {
					t.Errorf("a message of %d bytes: %.100s", len(d.Message), d.Message)
				}
			}
			if !found {
				t.Errorf("no %s diagnostic matching %q: %+v", tc.code, tc.message, ds)
			}
			var hover any
			c.result("textDocument/hover", at(uri, 0, 2), &hover)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("diagnostics and a hover took %v", d)
			}
		})
	}
	if err := c.shutdown(); err != nil {
		t.Errorf("shutdown: %v", err)
	}
}
