package kernel

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cnnc/cnnc/runtime/kernel/internal/asmgen"
)

// TestGeneratedAssembly runs the assembly generator into a temporary
// directory and compares every file it writes, byte for byte, with the
// one committed here.
func TestGeneratedAssembly(t *testing.T) {
	dir := t.TempDir()
	for _, f := range asmgen.Files {
		b, err := asmgen.Generate(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), b, 0o644); err != nil {
			t.Fatal(err)
		}
		have, err := os.ReadFile(f.Name)
		if err != nil {
			t.Errorf("%s: %v; regenerate it: go generate ./runtime/kernel", f.Name, err)
			continue
		}
		if !bytes.Equal(have, b) {
			line, hl, wl := firstDiff(have, b)
			t.Errorf("%s is stale: line %d is\n\t%s\nthe generator writes\n\t%s\nregenerate it: go generate ./runtime/kernel (in runtime/kernel: go run ./internal/cmd/asmgen %s)",
				f.Name, line, hl, wl, f.Name)
		}
	}
}

// firstDiff returns the first line where a and b differ, 1-based, and
// that line of each ("<end of file>" past the last).
func firstDiff(a, b []byte) (int, string, string) {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	at := func(ls [][]byte, i int) string {
		if i < len(ls) {
			return string(ls[i])
		}
		return "<end of file>"
	}
	for i := 0; ; i++ {
		if i >= len(al) || i >= len(bl) || !bytes.Equal(al[i], bl[i]) {
			return i + 1, at(al, i), at(bl, i)
		}
	}
}
