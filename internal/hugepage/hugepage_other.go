//go:build !linux

package hugepage

// Advise does nothing off Linux.
func Advise(b []byte) {}
