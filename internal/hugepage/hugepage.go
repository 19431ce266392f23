// Package hugepage asks the kernel to back large buffers with huge pages
// (Linux's madvise MADV_HUGEPAGE, where transparent huge pages are in
// "madvise" mode, as on this project's machines).
//
// Loading a model writes each weight once or twice (read, folded, packed):
// with 4 KB pages the page faults cost more than that work. cnnc run on
// torchvision's VGG-16 (553 MB of weights) took 4.4 s, 2.5 of them in the
// kernel; on huge pages 1.3-2.1 s. Go's runtime stopped asking for huge
// pages itself in Go 1.21.1, so the weights' owners ask: tensorio for the
// tensors it reads, runtime/kernel for the packed forms it keeps (Keep,
// which also puts small forms on huge pages: slab.go), runtime for its
// arenas.
//
// ReleaseFloat32s gives a dead buffer's memory back at once (madvise
// MADV_DONTNEED): a model's loaded tensors die one by one as their layers
// are packed, and waiting for the collector to reuse them, in a heap
// fragmented by buffers of every size, held the whole model twice at
// the peak.
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

// ReleaseFloat32s gives back the memory of the whole pages under s, which
// must be a buffer no one reads again: its contents become zeros (or
// anything). Buffers under ReleaseMin bytes are left to the collector.
func ReleaseFloat32s(s []float32) {
	if 4*len(s) >= ReleaseMin {
		release(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 4*len(s)))
	}
}

// ReleaseMin is the size under which ReleaseFloat32s does nothing.
const ReleaseMin = 64 << 10
