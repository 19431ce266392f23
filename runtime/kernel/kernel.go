package kernel

import "unsafe"

// A kernelID names one micro-kernel: an ISA and a register tile.
type kernelID int

const (
	kGeneric4x16 kernelID = iota
	kAVX2x6x16
	kAVX512x8x32
	kAVX512x12x32
	kAVX512x7x32 // the transposed small-map GEMM: 7 pixels x 32 channels
	kAVX512x8x16 // Winograd on 14x14 maps: 16 tiles per image
	kAVX512x8i   // 8x32 with B rows found through offsets (direct convolution)
	kAVX512x8x16i
	kAVX512x7i // kAVX512x7x32 with A's rows found through offsets
)

func (k kernelID) mr() int {
	switch k {
	case kGeneric4x16:
		return 4
	case kAVX2x6x16:
		return 6
	case kAVX512x8x32, kAVX512x8x16, kAVX512x8i, kAVX512x8x16i:
		return 8
	case kAVX512x7x32, kAVX512x7i:
		return 7
	}
	return 12
}

func (k kernelID) nr() int {
	switch k {
	case kGeneric4x16, kAVX2x6x16, kAVX512x8x16, kAVX512x8x16i:
		return 16
	}
	return 32
}

// pickKernel chooses the register tile for an M-row matrix. On AVX-512
// the 8-row tile measures a little faster than the 12-row one (214 against
// 207 GFLOPS in L1) and channel counts are mostly multiples of 8, so 12
// rows are used only when they pad fewer rows (M = 12, 36, 60, ...).
func pickKernel(i ISA, m int) kernelID {
	switch i {
	case AVX512:
		if pad12, pad8 := (m+11)/12*12-m, (m+7)/8*8-m; pad12 < pad8 {
			return kAVX512x12x32
		}
		return kAVX512x8x32
	case AVX2:
		return kAVX2x6x16
	}
	return kGeneric4x16
}

// Flags of kparams.flags (and of the other stores' arguments); the
// assembly tests the same bits, by name (go_asm.h's const_fAccum, ...).
// The last three are the clamp's steps (see clamp), in this order.
const (
	fAccum = 1 << iota // add the tile already in C (a K block after the first)
	fBias              // add bias[row]
	fRes               // add the residual tile
	fLeaky             // multiply x <= 0 by slope
	fLo                // max(x, lo)
	fHi                // min(x, hi)

	fClamp = fLeaky | fLo | fHi
)

// kparams carries a micro-kernel call's arguments beyond the three operand
// pointers; the assembly reads its fields by name (go_asm.h).
type kparams struct {
	k      int // K steps
	ldc    int // bytes between rows of C
	flags  int
	bias   unsafe.Pointer // bias of the tile's first row
	res    unsafe.Pointer // residual tile
	ldr    int            // bytes between rows of res
	nmask  uint64         // AVX-512 only: bit j stores column j
	lda    int            // kAVX512x7x32 only: bytes between rows of A
	boff   *int32         // kAVX512x8i, 8x16i: row k of B is at b + 4*boff[k]; kAVX512x7i: of A
	pf     int            // kAVX512x7x32, 7i: prefetch from B + pf (see pfstep); kAVX512x8i, 8x16i: B + pf + 4*boff[k]
	rows   int            // kAVX512x8i and 8x16i only: rows of C to load and store (0: all)
	pfstep int            // kAVX512x7x32, 7i: bytes the prefetch address advances a step

	lo, hi, slope float32 // the clamp's (fLo, fHi, fLeaky)
}

// setClamp passes c's bounds and slope; the flags say which apply.
func (p *kparams) setClamp(c *clamp) { p.lo, p.hi, p.slope = c.lo, c.hi, c.slope }

// hasColumnMasks reports whether kernel id honours kparams.nmask, so tiles
// at the right edge of C run in place instead of through edgeStore.
func (id kernelID) hasColumnMasks() bool {
	return id == kAVX512x8x32 || id == kAVX512x12x32 || id == kAVX512x7x32 || id == kAVX512x8x16 || id == kAVX512x8i || id == kAVX512x8x16i || id == kAVX512x7i
}

// callKernel runs one micro-kernel on a full mr x nr tile: C = A·B over
// p.k steps, combined with C and the epilogue as p.flags say. a and b are
// packed panels; c points at the tile's top-left element.
func callKernel(id kernelID, a, b, c unsafe.Pointer, p *kparams) {
	switch id {
	case kAVX512x8x32:
		sgemmAVX512x8(a, b, c, p)
	case kAVX512x12x32:
		sgemmAVX512x12(a, b, c, p)
	case kAVX512x7x32:
		sgemmAVX512x7(a, b, c, p)
	case kAVX512x8x16:
		sgemmAVX512x8x16(a, b, c, p)
	case kAVX512x8i:
		sgemmAVX512x8i(a, b, c, p)
	case kAVX512x8x16i:
		sgemmAVX512x8x16i(a, b, c, p)
	case kAVX512x7i:
		sgemmAVX512x7i(a, b, c, p)
	case kAVX2x6x16:
		sgemmAVX2x6(a, b, c, p)
	default:
		sgemmGeneric4x16(a, b, c, p)
	}
}

// sgemmGeneric4x16 is the pure-Go micro-kernel.
func sgemmGeneric4x16(a, b, c unsafe.Pointer, p *kparams) {
	const mr, nr = 4, 16
	as := unsafe.Slice((*float32)(a), p.k*mr)
	bs := unsafe.Slice((*float32)(b), p.k*nr)
	var acc [mr][nr]float32
	for k := 0; k < p.k; k++ {
		ak := as[k*mr : k*mr+mr]
		bk := bs[k*nr : k*nr+nr]
		for i := range mr {
			ai := ak[i]
			row := &acc[i]
			for j := range nr {
				row[j] += ai * bk[j]
			}
		}
	}
	cl := clamp{lo: p.lo, hi: p.hi, slope: p.slope}
	for i := range mr {
		cr := unsafe.Slice((*float32)(unsafe.Add(c, i*p.ldc)), nr)
		var bias float32
		if p.flags&fBias != 0 {
			bias = *(*float32)(unsafe.Add(p.bias, 4*i))
		}
		var rr []float32
		if p.flags&fRes != 0 {
			rr = unsafe.Slice((*float32)(unsafe.Add(p.res, i*p.ldr)), nr)
		}
		for j := range nr {
			v := acc[i][j]
			if p.flags&fAccum != 0 {
				v += cr[j]
			}
			v += bias
			if rr != nil {
				v += rr[j]
			}
			if p.flags&fClamp != 0 {
				v = cl.apply(p.flags, v)
			}
			cr[j] = v
		}
	}
}
