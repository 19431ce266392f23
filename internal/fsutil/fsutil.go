// Package fsutil opens and reads the files a user names: sources and their
// imports, weights, labels, arrays, images, data sets.
//
// It is a leaf of the module, below the compiler, tensorio, the language
// server and the command, which all read such files. The standard library's
// os.ReadFile reads whatever a path leads to until it ends, and its callers
// bounded it by the size stat gives, which is 0 for devices and pipes:
// `cnnc check /dev/zero` read until memory ran out, and a named pipe as an
// import blocked forever. Open refuses anything but a regular file, and
// opens without blocking so that it can see a named pipe for what it is;
// ReadFile also reads no more than its limit, whatever stat says. Standard
// input is read only where a command is given "-", never through here.
package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// The kinds of failure, for errors.Is.
var (
	// ErrNotRegular means the path leads to a directory, device, named
	// pipe or socket.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge means the file holds more than the reader's limit.
	ErrTooLarge = errors.New("file too large")
)

// An Error says why a file was refused, in one line: Path + " " + Msg.
type Error struct {
	Path string
	Msg  string // "is a named pipe, not a regular file", "is larger than the 4 MiB limit for source files"
	Kind string // what the path leads to, for ErrNotRegular: "directory", "named pipe", "device", "socket" or ""
	Err  error  // ErrNotRegular or ErrTooLarge
}

func (e *Error) Error() string { return e.Path + " " + e.Msg }

// Unwrap returns the kind of the error.
func (e *Error) Unwrap() error { return e.Err }

// Open opens the regular file at path for reading. A path that leads
// elsewhere is refused with an *Error wrapping ErrNotRegular, before any
// byte is read; opening a named pipe does not wait for a writer. Other
// failures are *fs.PathError, as os.Open's.
func Open(path string) (*os.File, error) {
	// Stat first, so that a device is not even opened; the check after
	// opening covers a path changed in between.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, notRegular(path, st.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	if st, err = f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err != nil {
			return nil, err
		}
		return nil, notRegular(path, st.Mode())
	}
	return f, nil
}

func notRegular(path string, m fs.FileMode) *Error {
	e := &Error{Path: path, Msg: "is not a regular file", Err: ErrNotRegular}
	switch {
	case m.IsDir():
		e.Kind, e.Msg = "directory", "is a directory"
		return e
	case m&fs.ModeNamedPipe != 0:
		e.Kind = "named pipe"
	case m&fs.ModeSocket != 0:
		e.Kind = "socket"
	case m&fs.ModeDevice != 0:
		e.Kind = "device"
	default:
		return e
	}
	e.Msg = "is a " + e.Kind + ", not a regular file"
	return e
}

// ReadFile reads the regular file at path, refusing it with an *Error
// wrapping ErrTooLarge if it holds more than limit bytes; what names the
// files the limit is for, as in "source files". It reads at most limit+1
// bytes, whatever the file's size said when it was opened.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(512)
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		size = min(st.Size(), limit) + 1
	}
	buf := make([]byte, 0, size)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, TooLarge(path, limit, what)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow
		}
	}
}

// TooLarge returns the error ReadFile gives for a file over limit bytes.
func TooLarge(path string, limit int64, what string) *Error {
	return &Error{Path: path, Msg: fmt.Sprintf("is larger than the %s limit for %s", Size(limit), what), Err: ErrTooLarge}
}

// Size writes a byte count as 4 MiB, 16 KiB or 1000 bytes: in the largest
// binary unit that divides it.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
