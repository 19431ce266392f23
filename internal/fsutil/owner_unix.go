//go:build unix

package fsutil

import (
	"io/fs"
	"os"
	"syscall"
)

// links returns the number of hard links to the file st describes.
func links(st fs.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}

// sameOwner reports whether f has the owner and group of st's file.
func sameOwner(f *os.File, st fs.FileInfo) bool {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	fst, err := f.Stat()
	if err != nil {
		return false
	}
	t, ok := fst.Sys().(*syscall.Stat_t)
	return ok && t.Uid == s.Uid && t.Gid == s.Gid
}

// chown gives f the owner and group of st's file: root may give any, others
// only a group they belong to.
func chown(f *os.File, st fs.FileInfo) error {
	s := st.Sys().(*syscall.Stat_t)
	return f.Chown(int(s.Uid), int(s.Gid))
}
