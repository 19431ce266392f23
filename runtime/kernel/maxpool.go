package kernel

import (
	"math"
	"unsafe"
)

// maxPoolArgs is read by maxPoolAVX512 at these offsets. For output row
// r, rows[2r] is the offset (in floats, from src) of the first input row
// its window covers and rows[2r+1] how many rows it covers (at least 1).
// tmp holds -Inf everywhere but [pw, pw+w), where the kernel writes each
// row's vertical maximum; it must hold at least tmpLen(ow, kw, sw) floats.
type maxPoolArgs struct {
	src  unsafe.Pointer // 0
	dst  unsafe.Pointer // 8: oh x ow, rows back to back
	tmp  unsafe.Pointer // 16
	rows *int32         // 24
	oh   int            // 32
	w    int            // 40: input row length
	pw   int            // 48
	ow   int            // 56
	kw   int            // 64
	sw   int            // 72: 1 or 2
}

// maxPoolVec reports whether the vector kernel runs a window: strides of
// one or two, output rows that fit the stack buffers below.
func maxPoolVec(oh, ow int, win PoolWindow) bool {
	return packAsm && (win.SW == 1 || win.SW == 2) && oh <= maxPoolRows && tmpLen(ow, win.KW, win.SW) <= maxPoolTmp &&
		win.PW+win.KW <= maxPoolTmp
}

const (
	maxPoolRows = 512
	maxPoolTmp  = 2048
)

// tmpLen is how far the kernel's horizontal pass reads into tmp: whole
// vectors of 16 outputs, kw taps, sw apart, two vectors per tap at stride 2.
func tmpLen(ow, kw, sw int) int { return sw*(ow+15)/16*16 + kw + 16*sw }

// maxPoolRowsVec pools planes consecutive planes with the vector kernel,
// one call per plane (a plane is bounded work: at most 512 rows).
func maxPoolRowsVec(dst, src []float32, planes, h, w, oh, ow int, win PoolWindow) bool {
	var rows [2 * maxPoolRows]int32
	for oy := range oh {
		y0 := oy*win.SH - win.PH
		y1 := min(y0+win.KH, h)
		y0 = max(y0, 0)
		if y1 <= y0 {
			return false // a window wholly in the padding: the Go path decides
		}
		rows[2*oy], rows[2*oy+1] = int32(y0*w), int32(y1-y0)
	}
	var tmp [maxPoolTmp]float32
	n := max(tmpLen(ow, win.KW, win.SW), win.PW+w)
	if n > len(tmp) {
		return false
	}
	inf := float32(math.Inf(-1))
	for i := range tmp[:n] {
		tmp[i] = inf
	}
	_, _ = src[planes*h*w-1], dst[planes*oh*ow-1]
	a := maxPoolArgs{tmp: unsafe.Pointer(&tmp[0]), rows: &rows[0], oh: oh, w: w, pw: win.PW, ow: ow, kw: win.KW, sw: win.SW}
	for p := range planes {
		a.src = unsafe.Pointer(&src[p*h*w])
		a.dst = unsafe.Pointer(&dst[p*oh*ow])
		maxPoolAVX512(&a)
	}
	return true
}
