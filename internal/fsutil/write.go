package fsutil

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrReadOnly means the file to be replaced has no write permission.
var ErrReadOnly = errors.New("read-only file")

// maxLinks bounds the symbolic links WriteFile follows, as the kernel does.
const maxLinks = 40

// WriteFile replaces the file at path with what write writes to it, so
// that a failure at any point (an error, a full disk, a kill) leaves the
// old file whole and no partial one: write fills a new file, created with
// os.CreateTemp beside the old one (never through a link placed at a
// predictable name), which is synced, given the old file's mode (0644 for
// a new file) and owner, and renamed over it. The temporary file is removed
// on every error.
//
// A symbolic link is followed: the file it leads to is replaced and the
// link stays a link. A file with several hard links, or whose owner or
// group cannot be given to a new file, is rewritten in place, as gofmt -w
// does, so that every link sees the new text and the owner stays: the old
// text is copied aside first and put back if writing fails. A file without
// any write permission is refused with an *Error wrapping ErrReadOnly, and
// anything but a regular file (a named pipe, a device, which would block
// or never end, a directory) with one wrapping ErrNotRegular.
func WriteFile(path string, write func(w io.Writer) error) error {
	target, err := resolve(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st = nil
	case err != nil:
		return err
	case !st.Mode().IsRegular():
		return notRegular(path, st.Mode())
	case st.Mode().Perm()&0o222 == 0:
		return &Error{Path: path, Msg: "is read-only", Err: ErrReadOnly}
	}
	if st != nil && links(st) > 1 {
		return writeInPlace(target, write)
	}
	dir, base := filepath.Split(target)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	err = fill(tmp, st, write)
	if errors.Is(err, errOwner) {
		os.Remove(tmp.Name())
		return writeInPlace(target, write)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	syncDir(dir)
	return nil
}

// errOwner means a new file cannot have the old one's owner and group.
var errOwner = errors.New("cannot give the old owner")

// fill writes the new file and gives it the mode and owner of the old
// one, st (nil for none); it closes tmp.
func fill(tmp *os.File, st fs.FileInfo, write func(io.Writer) error) error {
	defer tmp.Close()
	mode := fs.FileMode(0o644)
	if st != nil {
		mode = st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
		// Before the chmod: a chown clears the set-id bits.
		if !sameOwner(tmp, st) && chown(tmp, st) != nil {
			return errOwner
		}
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return tmp.Close()
}

// resolve follows the symbolic links at path to the file they lead to,
// which need not exist yet (a dangling link names the file to create).
func resolve(path string) (string, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", &Error{Path: path, Msg: fmt.Sprintf("is behind more than %d symbolic links", maxLinks)}
}

// writeInPlace rewrites the regular file target through its own inode. It
// keeps a copy of the old text beside it until the new one is written and
// synced, and puts it back if writing fails; if that fails too, the copy
// stays and the error names it.
func writeInPlace(target string, write func(io.Writer) error) (err error) {
	old, err := Open(target)
	if err != nil {
		return err
	}
	defer old.Close()
	dir, base := filepath.Split(target)
	backup, err := os.CreateTemp(dir, "."+base+".*.orig")
	if err != nil {
		return err
	}
	keep := false
	defer func() {
		backup.Close()
		if !keep {
			os.Remove(backup.Name())
		}
	}()
	if _, err := io.Copy(backup, old); err != nil {
		return err
	}
	if err := backup.Sync(); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|nonblock, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := &countingWriter{w: f}
	err = write(cw)
	if err == nil {
		err = f.Truncate(cw.n)
	}
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		return f.Close()
	}
	if cw.n > 0 {
		if rerr := restore(f, backup); rerr != nil {
			keep = true
			return fmt.Errorf("%w; restoring %s failed too (%v), its old text is in %s", err, target, rerr, backup.Name())
		}
	}
	return err
}

// restore copies backup over f from the start.
func restore(f, backup *os.File) error {
	if _, err := backup.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(f, backup)
	if err != nil {
		return err
	}
	return f.Truncate(n)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// syncDir makes a rename in dir durable; a failure only weakens that.
func syncDir(dir string) {
	if dir == "" {
		dir = "."
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
