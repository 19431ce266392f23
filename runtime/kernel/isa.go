package kernel

import (
	"fmt"

	"golang.org/x/sys/cpu"
)

// An ISA names a family of micro-kernels.
type ISA int

const (
	// Generic is the pure-Go fallback, available everywhere.
	Generic ISA = iota
	// AVX2 is AVX2 + FMA3: 6x16 register tiles.
	AVX2
	// AVX512 is AVX-512F (+VL, for the 256-bit tails of reductions): 8x32
	// and 12x32 register tiles.
	AVX512
)

func (i ISA) String() string {
	switch i {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return fmt.Sprintf("ISA(%d)", int(i))
}

// isa is the kernel family used by everything packed from now on. Packed
// weights remember the ISA they were packed for, so changing it never mixes
// layouts.
var isa = BestISA()

// BestISA reports the fastest kernel family this CPU supports.
func BestISA() ISA {
	if !haveAsm {
		return Generic
	}
	switch {
	case cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL:
		return AVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return AVX2
	}
	return Generic
}

// Supported reports whether this CPU can run kernels of family i.
func Supported(i ISA) bool {
	switch i {
	case Generic:
		return true
	case AVX2:
		return haveAsm && cpu.X86.HasAVX2 && cpu.X86.HasFMA
	case AVX512:
		return haveAsm && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL
	}
	return false
}

// SetISA selects the kernel family for weights packed after the call (tests
// use it to run every path on one machine) and returns the previous one. It
// panics if the CPU lacks i. It is not safe to call concurrently with NewConv,
// NewDense or PackA.
func SetISA(i ISA) ISA {
	if !Supported(i) {
		panic(fmt.Sprintf("kernel: ISA %v not supported on this CPU", i))
	}
	old := isa
	isa = i
	packAsm = i == AVX512
	return old
}

// CurrentISA reports the kernel family in use for new packings.
func CurrentISA() ISA { return isa }
