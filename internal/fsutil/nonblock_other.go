//go:build !unix

package fsutil

// nonblock is not needed where there are no named pipes in the file system.
const nonblock = 0
