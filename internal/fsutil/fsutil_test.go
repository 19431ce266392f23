package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A hostile path leads to a kind of file that once made a reader block or
// read until memory ran out.
type hostile struct {
	Name, Path string
	Want       string // in the error's text, after the path
}

// hostilePaths makes, under dir, a named pipe (nobody writes to it), a
// directory and a link to /dev/zero, and returns them with /dev/zero
// itself.
func hostilePaths(t testing.TB, dir string) []hostile {
	t.Helper()
	fifo := filepath.Join(dir, "fifo.cnn")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sub := filepath.Join(dir, "dir.cnn")
	os.Mkdir(sub, 0o755)
	link := filepath.Join(dir, "zero.cnn")
	os.Symlink("/dev/zero", link)
	return []hostile{
		{"device", "/dev/zero", "is a device, not a regular file"},
		{"named pipe", fifo, "is a named pipe, not a regular file"},
		{"directory", sub, "is a directory"},
		{"link to a device", link, "is a device, not a regular file"},
	}
}

// within fails the test if fn takes more than five seconds: a reader that
// blocks on a named pipe must fail the test, not hang it.
func within(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("still reading after 5 s")
	}
}

func TestRefused(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.cnn")
	os.WriteFile(big, make([]byte, 1025), 0o644)
	cases := append(hostilePaths(t, dir),
		hostile{"over the limit", big, "is larger than the 1 KiB limit for test files"},
		hostile{"missing", filepath.Join(dir, "nope.cnn"), "no such file or directory"})
	for _, h := range cases {
		t.Run(h.Name, func(t *testing.T) {
			within(t, func() {
				data, err := ReadFile(h.Path, 1024, "test files")
				if err == nil || !strings.Contains(err.Error(), h.Path) || !strings.Contains(err.Error(), h.Want) {
					t.Errorf("ReadFile(%s) = %d bytes, %v; want an error naming the path and saying %q", h.Path, len(data), err, h.Want)
				}
				if strings.Contains(h.Want, "regular") || h.Name == "directory" {
					if !errors.Is(err, ErrNotRegular) {
						t.Errorf("%v is not ErrNotRegular", err)
					}
					if _, err := Open(h.Path); !errors.Is(err, ErrNotRegular) {
						t.Errorf("Open(%s) = %v, want ErrNotRegular", h.Path, err)
					}
				}
			})
		})
	}
	var pe *fs.PathError
	if _, err := Open(filepath.Join(dir, "nope")); !errors.As(err, &pe) {
		t.Errorf("a missing file: %v, want an *fs.PathError as os.Open gives", err)
	}
	if _, err := ReadFile(big, 1024, "x"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("%v is not ErrTooLarge", err)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 1024} {
		p := filepath.Join(dir, "f")
		want := strings.Repeat("x", n)
		os.WriteFile(p, []byte(want), 0o644)
		if got, err := ReadFile(p, 1024, "test files"); err != nil || string(got) != want {
			t.Errorf("%d bytes: %d bytes, %v", n, len(got), err)
		}
	}
	// A regular file whose size stat gives as 0 is read to its end.
	if got, err := ReadFile("/proc/self/status", 1<<20, "test files"); err == nil && len(got) == 0 {
		t.Error("/proc/self/status read as empty")
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 16 << 10: "16 KiB", 1000: "1000 bytes", 3 << 30: "3 GiB", 1<<20 + 1: "1048577 bytes"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
