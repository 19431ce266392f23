package hugepage

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

const huge = 2 << 20

// Advise asks for huge pages under the whole 2 MB pages that b spans, if
// it is at least Min bytes. It is advice: errors (a kernel without
// transparent huge pages) are ignored.
func Advise(b []byte) {
	if len(b) < Min {
		return
	}
	p := uintptr(unsafe.Pointer(&b[0]))
	start := (p + huge - 1) &^ (huge - 1)
	end := (p + uintptr(len(b))) &^ (huge - 1)
	unix.Madvise(b[start-p:end-p], unix.MADV_HUGEPAGE)
}

// release drops the whole pages under b. The buffer is pointer-free and
// dead to its owner, so the collector never reads it; the allocator zeroes
// a freed span before reusing it, and the pages fault back in as zeros.
func release(b []byte) {
	pg := uintptr(unix.Getpagesize())
	p := uintptr(unsafe.Pointer(&b[0]))
	start := (p + pg - 1) &^ (pg - 1)
	end := (p + uintptr(len(b))) &^ (pg - 1)
	if end > start {
		unix.Madvise(b[start-p:end-p], unix.MADV_DONTNEED)
	}
}
