//go:build !linux

package hugepage

// Advise does nothing off Linux.
func Advise(b []byte) {}

// release leaves the buffer to the collector off Linux.
func release(b []byte) {}
