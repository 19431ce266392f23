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
