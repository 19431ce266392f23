package tensorio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNotRegular gives every reader that takes a path a device, a named
// pipe nobody writes to, a directory and a link to a device: each must
// refuse it at once, naming it, where they once read /dev/zero until
// memory ran out or waited forever for the pipe's writer.
func TestNotRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink("/dev/zero", link)
	readers := map[string]func(path string) error{
		"LoadImageFile": func(p string) error { _, err := LoadImageFile(p, 1, 28, 28); return err },
		"ReadNpyFile":   func(p string) error { _, _, err := ReadNpyFile(p); return err },
		"ReadIDXImagesFile": func(p string) error {
			_, _, _, _, err := ReadIDXImagesFile(p)
			return err
		},
		"ReadIDXLabelsFile": func(p string) error { _, err := ReadIDXLabelsFile(p); return err },
		"OpenSafetensors": func(p string) error {
			f, err := OpenSafetensors(p)
			if err == nil {
				f.Close()
			}
			return err
		},
	}
	for _, h := range []struct{ path, kind string }{
		{"/dev/zero", "device"}, {fifo, "named pipe"}, {dir, "directory"}, {link, "device"},
	} {
		for name, read := range readers {
			t.Run(name+"/"+h.kind, func(t *testing.T) {
				done := make(chan error, 1)
				go func() { done <- read(h.path) }()
				var err error
				select {
				case err = <-done:
				case <-time.After(5 * time.Second):
					t.Fatalf("%s(%s) still reading after 5 s", name, h.path)
				}
				var e *Error
				if !errors.As(err, &e) || e.File != h.path || !errors.Is(err, ErrUnsupported) ||
					!strings.HasPrefix(err.Error(), h.path+": ") || !strings.Contains(err.Error(), "not a regular file but a "+h.kind) {
					t.Errorf("%s(%s) = %v; want an *Error naming the file, ErrUnsupported, \"not a regular file but a %s\"", name, h.path, err, h.kind)
				}
			})
		}
	}
}
