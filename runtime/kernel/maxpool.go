package kernel

import (
	"math"
	"unsafe"
)

// maxPoolArgs is read by maxPoolAVX512 (fields by name, go_asm.h). For output row
// r, rows[2r] is the offset (in floats, from src) of the first input row
// its window covers and rows[2r+1] how many rows it covers (at least 1).
// tmp holds -Inf everywhere but [pw, pw+w), where the kernel writes each
// row's vertical maximum; it must hold at least tmpLen(ow, kw, sw) floats.
type maxPoolArgs struct {
	src  unsafe.Pointer
	dst  unsafe.Pointer // oh x ow, rows back to back
	tmp  unsafe.Pointer
	rows *int32
	oh   int
	w    int // input row length
	pw   int
	ow   int
	kw   int
	sw   int // 1 or 2
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
	if win.SW == 1 && maxPoolS1 || win.SW == 2 && (ow <= 16 || win.KW == 3 && maxPoolK3) && maxPoolS2 {
		if maxPoolS1Rows(dst, src, planes, h, w, oh, ow, win, &rows) {
			return true
		}
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

// maxPoolS1 and maxPoolS2 enable maxPoolS1Rows for strides 1 and 2 (tests
// compare it with maxPoolAVX512). At stride 2, maxPoolS2AVX512 runs rows of
// up to 16 outputs only: against maxPoolAVX512, 480x28x28 -> 14 -24%,
// 832x14x14 -> 7 -44%, 192x56x56 -> 28 -4%, but 64x112x112 -> 56 +48%.
// Windows 3 wide (maxPoolK3) go to maxPoolS2K3AVX512 at any width, which
// reads each input vector once for all three taps: against the above,
// 64x112x112 -> 56 -14%, 192x56x56 -> 28 -42%, 480x28x28 -> 14 -41%;
// at stride 1 to maxPoolS1K3AVX512, two vectors a row for the three taps
// where maxPoolS1AVX512 loads three: 256x28x28 -27%, 480x14x14 -32%,
// 832x7x7 -38%.
var maxPoolS1, maxPoolS2, maxPoolK3 = true, true, true

// maxPoolS1Args is read by maxPoolS1AVX512 (fields by name). rows is as
// in maxPoolArgs; for each vector c of 16 outputs of a row, masks[c*(kw+1)+j]
// holds the lanes whose tap j (input column 16c + lane - pw + j) lies in
// the row, and masks[c*(kw+1)+kw] the lanes that are outputs. At stride 2
// (maxPoolS2AVX512) a vector has 2*kw+1 masks: tap j's 32 input columns
// 32c - pw + j + l as two halves, then the output lanes; for 3-wide
// windows (maxPoolS2K3AVX512) 4 masks: input columns 32c - pw + l for
// l < 48 in three vectors, then the output lanes; for 3-wide windows at
// stride 1 (maxPoolS1K3AVX512) 3: input columns 16c - pw + l for l < 32 in
// two vectors, then the output lanes.
type maxPoolS1Args struct {
	src   unsafe.Pointer
	dst   unsafe.Pointer // oh x ow, rows back to back
	rows  *int32
	oh    int
	w     int // input row length
	ow    int
	kw    int
	pw    int
	masks *uint16
	n     int // planes
	plane int // bytes between input planes
	left  int // the kernel's count of planes to do
}

const maxPoolS1Masks = 512

// maxPoolS1Rows pools planes with maxPoolS1AVX512 (maxPoolS2AVX512 for
// stride-2 columns), reading every tap of the window from the input rows
// in place: against the vertical pass
// into tmp and the horizontal pass reading it back (GoogLeNet's 3x3 pools
// on 28x28 to 7x7 maps: 8-24% faster alone, all of its max pools at batch
// 1 1.10 -> 0.77 ms). It reports false if the masks do not fit.
func maxPoolS1Rows(dst, src []float32, planes, h, w, oh, ow int, win PoolWindow, rows *[2 * maxPoolRows]int32) bool {
	chunks := (ow + 15) / 16
	per := win.SW*win.KW + 1 // masks per vector of outputs
	k3 := win.SW == 2 && win.KW == 3 && maxPoolK3
	if k3 {
		per = 4
	}
	j3 := win.SW == 1 && win.KW == 3 && maxPoolK3
	if j3 {
		per = 3
	}
	if chunks*per > maxPoolS1Masks {
		return false
	}
	var masks [maxPoolS1Masks]uint16
	for c := range chunks {
		if k3 {
			// Input columns c0 + l, l < 33, c0 = 2*x0 - pw, as far as
			// the vector's last output reads.
			x0 := 16 * c
			nout := min(16, ow-x0)
			m := masks[c*per:][:per]
			for l := range 33 {
				if ix := 2*x0 - win.PW + l; ix >= 0 && ix < w && l <= 2*nout {
					m[l/16] |= 1 << (l % 16)
				}
			}
			m[3] = uint16(1<<nout - 1)
			continue
		}
		if j3 {
			// Input columns x0 - pw + l, l < 32, as far as the vector's
			// last output reads.
			x0 := 16 * c
			nout := min(16, ow-x0)
			m := masks[c*per:][:per]
			for l := range 32 {
				if ix := x0 - win.PW + l; ix >= 0 && ix < w && l <= nout+1 {
					m[l/16] |= 1 << (l % 16)
				}
			}
			m[2] = uint16(1<<nout - 1)
			continue
		}
		x0 := 16 * c
		m := masks[c*per:][:per]
		for l := range min(16, ow-x0) {
			m[per-1] |= 1 << l
		}
		for j := range win.KW {
			// Input columns sw*x0 - pw + j + l, l < 16*sw.
			for l := range 16 * win.SW {
				if ix := win.SW*x0 - win.PW + j + l; ix >= 0 && ix < w && l/win.SW < ow-x0 {
					m[win.SW*j+l/16] |= 1 << (l % 16)
				}
			}
		}
	}
	a := maxPoolS1Args{rows: &rows[0], oh: oh, w: w, ow: ow, kw: win.KW, pw: win.PW, masks: &masks[0], plane: 4 * h * w}
	_, _ = src[planes*h*w-1], dst[planes*oh*ow-1]
	// Calls of at most 64K outputs: assembly is not preemptible.
	per = max(1, (64<<10)/(oh*ow))
	for p := 0; p < planes; p += per {
		a.src = unsafe.Pointer(&src[p*h*w])
		a.dst = unsafe.Pointer(&dst[p*oh*ow])
		a.n = min(per, planes-p)
		if j3 {
			maxPoolS1K3AVX512(&a)
		} else if win.SW == 1 {
			maxPoolS1AVX512(&a)
		} else if k3 {
			maxPoolS2K3AVX512(&a)
		} else {
			maxPoolS2AVX512(&a)
		}
	}
	return true
}
