package tensorio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cnnc/cnnc/internal/fsutil"
)

// The kinds of failure. Every error a reader returns is an *Error wrapping
// one of these (or, for a failing underlying reader, that reader's error), so
// callers can test with errors.Is.
var (
	// ErrTruncated means the input ends before its header says it should.
	ErrTruncated = errors.New("truncated")
	// ErrTooLarge means a declared size is over a cap: the safetensors header
	// limit, MaxElements or MaxImagePixels.
	ErrTooLarge = errors.New("too large")
	// ErrUnsupported means a well-formed file in a variant tensorio does not
	// read: a dtype other than float32, big-endian or Fortran-ordered data.
	ErrUnsupported = errors.New("unsupported")
	// ErrMalformed means the input violates its format.
	ErrMalformed = errors.New("malformed")
	// ErrNotFound means a tensor name is not in a safetensors file.
	ErrNotFound = errors.New("not found")
)

// MaxElements caps the number of values (float32 elements for npy, bytes for
// IDX) that a reader accepts from one file. A header declaring more is
// rejected with ErrTooLarge before anything is allocated. Change it only
// while no read is in progress.
var MaxElements int64 = 1 << 31

// MaxRank caps the number of dimensions of an npy or safetensors shape, so
// that a hostile header cannot make a reader build a huge shape slice. numpy
// itself allows 64.
const MaxRank = 64

// An Error reports a problem with one field of one input file.
type Error struct {
	File   string // the path as the caller gave it; "" when reading a stream
	Format string // "safetensors", "npy", "idx" or "image"
	Field  string // the part of the file at fault, such as `tensor "fc.weight": shape`; may be ""
	Msg    string // what is wrong: lowercase, one line, no final period
	Err    error  // the kind (ErrTruncated ...) or the underlying I/O error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	b.WriteString(e.Format)
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the kind of the error, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

func newError(format, field string, kind error, msg string, args ...any) *Error {
	return &Error{Format: format, Field: field, Msg: fmt.Sprintf(msg, args...), Err: kind}
}

// withFile sets the file name on err, which the readers that take a path use
// to name the file in every message.
func withFile(err error, path string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		if e.File == "" {
			e.File = path
		}
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}

// openFile opens the regular file at path for a reader of format. A
// directory, device, named pipe or socket is refused without reading it
// (and without waiting for a pipe's writer), as ErrUnsupported.
func openFile(path, format string) (*os.File, error) {
	f, err := fsutil.Open(path)
	var fe *fsutil.Error
	if errors.As(err, &fe) {
		msg := "not a regular file"
		if fe.Kind != "" {
			msg += " but a " + fe.Kind
		}
		return nil, &Error{File: path, Format: format, Msg: msg, Err: ErrUnsupported}
	}
	return f, err
}

// readErr classifies an error from an underlying reader: an early end of
// input is ErrTruncated, anything else is passed through.
func readErr(format, field string, err error, what string) *Error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return newError(format, field, ErrTruncated, "%s", what)
	}
	return &Error{Format: format, Field: field, Msg: what + ": " + err.Error(), Err: err}
}
