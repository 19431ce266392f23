package cnnc_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/diag"
)

// TestHostileFiles names, at every place a model or a user names a file (a
// model file, an import, a labels file, a weights file, an input), a
// device, a named pipe nobody writes to, a directory and a file over the
// limit. Each must give an error naming the path, at once: they once read
// /dev/zero until memory ran out and waited forever on the pipe.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Truncate(big, cnnc.MaxLabelsSize+1) // sparse: over every source and labels limit
	const model = "model m (input 1x4x4%s) < flatten; dense 3 >\n"
	modelFile := func(t *testing.T, text string) string {
		p := filepath.Join(t.TempDir(), "m.cnn")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	compile := func(t *testing.T, text string) *cnnc.Model {
		m, err := cnnc.CompileFile(modelFile(t, text))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	entries := map[string]func(t *testing.T, path string) error{
		"model file": func(t *testing.T, path string) error {
			_, err := cnnc.CompileFile(path)
			return err
		},
		"import": func(t *testing.T, path string) error {
			_, err := cnnc.CompileFile(modelFile(t, "import \""+path+"\"\n"+strings.Replace(model, "%s", "", 1)))
			var l diag.List
			if errors.As(err, &l) && len(l) > 0 && l[0].Code != diag.ImportError && l[0].Code != diag.LimitExceeded {
				t.Errorf("import: %s, want ImportError or LimitExceeded", l[0].Code)
			}
			return err
		},
		"labels": func(t *testing.T, path string) error {
			_, err := compile(t, strings.Replace(model, "%s", ", labels \""+path+"\"", 1)).Labels()
			return err
		},
		"weights": func(t *testing.T, path string) error {
			return compile(t, strings.Replace(model, "%s", "", 1)).LoadWeights(path)
		},
		"input": func(t *testing.T, path string) error {
			_, _, err := compile(t, strings.Replace(model, "%s", "", 1)).LoadInput(path)
			return err
		},
	}
	for _, h := range []struct{ name, path, want string }{
		{"device", "/dev/zero", "device"},
		{"named pipe", fifo, "named pipe"},
		{"directory", dir, "directory"},
		{"too large", big, "larger than|over the limit|safetensors|image"},
	} {
		for entry, fn := range entries {
			t.Run(entry+"/"+h.name, func(t *testing.T) {
				done := make(chan error, 1)
				go func() { done <- fn(t, h.path) }()
				var err error
				select {
				case err = <-done:
				case <-time.After(5 * time.Second):
					t.Fatalf("still reading %s after 5 s", h.path)
				}
				if err == nil || !strings.Contains(err.Error(), h.path) || !containsAny(err.Error(), h.want) {
					t.Errorf("%v; want an error naming %s and saying %s", err, h.path, h.want)
				}
			})
		}
	}
}

func containsAny(s, alternatives string) bool {
	for _, a := range strings.Split(alternatives, "|") {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}
