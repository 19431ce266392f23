package main

import (
	"io"

	"github.com/cnnc/cnnc/internal/fsutil"
)

// writeOutput writes a file a command makes (fmt -w, init -o, run
// --output): "-" is standard output; any other path is replaced whole or
// not at all by fsutil.WriteFile, which keeps the old file's mode, owner
// and links and refuses a read-only file, a named pipe or a device.
func (c *cli) writeOutput(path string, write func(w io.Writer) error) error {
	if path == "-" {
		return write(c.stdout)
	}
	return fsutil.WriteFile(path, write)
}

// bytesTo returns a writer function for writeOutput that writes data.
func bytesTo(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}
