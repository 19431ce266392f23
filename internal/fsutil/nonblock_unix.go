//go:build unix

package fsutil

import "syscall"

// nonblock makes opening a named pipe return at once instead of waiting
// for a writer; reads of a regular file ignore it.
const nonblock = syscall.O_NONBLOCK
