package hugepage

import (
	"testing"
	"unsafe"
)

// Advice is harmless whatever the buffer: empty, small, unaligned, large.
func TestAdvise(t *testing.T) {
	big := make([]byte, 3*Min+12345)
	for _, b := range [][]byte{nil, {}, make([]byte, 100), big, big[1:], big[4097 : 4097+Min], big[7 : 7+Min+1]} {
		Advise(b)
	}
	for i, v := range big {
		if v != 0 {
			t.Fatalf("byte %d changed to %d", i, v)
		}
	}
}

func TestFloat32s(t *testing.T) {
	for _, n := range []int{0, 1, 1000, Min/4 + 3, 3 * Min} {
		s := Float32s(n)
		if len(s) != n {
			t.Fatalf("Float32s(%d) has length %d", n, len(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Float32s(%d)[%d] = %g", n, i, v)
			}
		}
		if n > 0 && uintptr(unsafe.Pointer(&s[0]))%4 != 0 {
			t.Fatalf("misaligned")
		}
	}
}

// A released buffer can be written and read again; what it held is gone
// from whole pages only, never from its neighbours.
func TestReleaseFloat32s(t *testing.T) {
	for _, n := range []int{0, 10, ReleaseMin / 4, ReleaseMin/4 + 1000, 3 * Min / 4} {
		buf := make([]float32, n+2)
		for i := range buf {
			buf[i] = 1
		}
		ReleaseFloat32s(buf[1 : n+1])
		if buf[0] != 1 || buf[n+1] != 1 {
			t.Fatalf("n=%d: a neighbour changed", n)
		}
		s := buf[1 : n+1]
		for i := range s {
			if v := s[i]; v != 0 && v != 1 {
				t.Fatalf("n=%d: element %d is %v, want what it held or zero", n, i, v)
			}
			s[i] = float32(i)
		}
		for i := range s {
			if s[i] != float32(i) {
				t.Fatalf("n=%d: element %d reads %v after a write of %d", n, i, s[i], i)
			}
		}
	}
}

// Kept buffers are zeroed, disjoint and cache-line aligned within their
// chunk, large or small, and writing one leaves the others alone.
func TestKeep(t *testing.T) {
	var all [][]float32
	for _, n := range []int{1, 15, 16, 17, 1000, slabFloats / 3, slabFloats / 3, slabFloats/4 - 1, Min / 4, 5, 0} {
		s := Keep(n)
		if len(s) != n || cap(s) != n {
			t.Fatalf("Keep(%d) has length %d, capacity %d", n, len(s), cap(s))
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("Keep(%d)[%d] = %g", n, i, v)
			}
		}
		if n > 0 && uintptr(unsafe.Pointer(&s[0]))%64 != 0 {
			t.Fatalf("Keep(%d) starts off a cache line", n)
		}
		all = append(all, s)
	}
	for k, s := range all {
		for i := range s {
			s[i] = float32(k + 1)
		}
	}
	for k, s := range all {
		for i, v := range s {
			if v != float32(k+1) {
				t.Fatalf("buffer %d[%d] = %g: buffers overlap", k, i, v)
			}
		}
	}
}
