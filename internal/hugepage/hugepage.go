// Package hugepage asks the kernel to back large buffers with huge pages
// (Linux's madvise MADV_HUGEPAGE, where transparent huge pages are in
// "madvise" mode, as on this project's machines).
//
// Loading a model writes each weight once or twice (read, folded, packed):
// with 4 KB pages the page faults cost more than that work. cnnc run on
// torchvision's VGG-16 (553 MB of weights) took 4.4 s, 2.5 of them in the
// kernel; on huge pages 1.3-2.1 s. Go's runtime stopped asking for huge
// pages itself in Go 1.21.1, so the weights' owners ask: tensorio for the
// tensors it reads, runtime/kernel for the packed forms it keeps.
//
// It is a leaf of the module, imported by packages that import nothing
// else of it.
package hugepage

import "unsafe"

// Min is the size under which Advise does nothing: a buffer must span at
// least one whole 2 MB page once its ends are trimmed to page boundaries.
const Min = 4 << 20

// Float32s returns a zeroed slice of n float32s, advised if it is large.
func Float32s(n int) []float32 {
	s := make([]float32, n)
	if n > 0 {
		Advise(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*n))
	}
	return s
}
