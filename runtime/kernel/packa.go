package kernel

import (
	"sync"

	"github.com/cnnc/cnnc/internal/hugepage"
)

// A PackedA is a constant left-hand matrix (weights, M x K) rearranged once
// for the micro-kernels: K is cut into blocks of at most kc, and each block
// into panels of mr rows stored k-major, so a kernel reads mr consecutive
// floats per k step. Rows past M are zero.
type PackedA struct {
	M, K int
	isa  ISA
	kern kernelID
	mr   int
	nr   int
	kc   int
	data []float32

	mu   sync.Mutex
	free []*mulTask // reused so Mul does not allocate
}

// kcMax bounds the K block: a kc x nr panel of B must stay in L1 (48 KB)
// while the A panels stream past it.
const kcMax = 256

// blockK splits K into near-equal blocks of at most kcMax, so the last block
// is not a sliver.
func blockK(k int) int {
	nb := (k + kcMax - 1) / kcMax
	kc := (k + nb - 1) / nb
	return kc
}

// PackA packs the M x K row-major matrix a (row stride lda) for the current
// ISA, for weights that live as long as their model (hugepage.Keep).
func PackA(m, k int, a []float32, lda int) *PackedA {
	return packAFor(pickKernel(isa, m), m, k, a, lda)
}

// PackAOn is PackA with the row panels packed in parallel on pool, for
// matrices packed once per product (BLAS calls) rather than once per model.
func PackAOn(pool *Pool, m, k int, a []float32, lda int) *PackedA {
	return packAOn(pool, pickKernel(isa, m), m, k, a, lda, hugepage.Float32s)
}

// packAFor packs a model's weights for a given micro-kernel.
func packAFor(kern kernelID, m, k int, a []float32, lda int) *PackedA {
	return packAOn(nil, kern, m, k, a, lda, hugepage.Keep)
}

// newPackedA returns an m x k PackedA of zeros for kern, its memory from
// alloc.
func newPackedA(kern kernelID, m, k int, alloc func(n int) []float32) *PackedA {
	p := &PackedA{M: m, K: k, isa: isa, kern: kern, mr: kern.mr(), nr: kern.nr(), kc: blockK(k)}
	p.data = alloc((m + p.mr - 1) / p.mr * p.mr * k)
	return p
}

// offsets returns, for each column kk, where row 0's element of that column
// lies in data and how wide its K block is: element (i, kk) is at
// col[kk] + i/mr*mr*kc[kk] + i%mr.
func (p *PackedA) offsets() (col, kc []int) {
	mp := (p.M + p.mr - 1) / p.mr * p.mr
	col, kc = make([]int, p.K), make([]int, p.K)
	for kk := range p.K {
		k0 := kk / p.kc * p.kc
		col[kk], kc[kk] = k0*mp+(kk-k0)*p.mr, min(p.kc, p.K-k0)
	}
	return col, kc
}

func packAOn(pool *Pool, kern kernelID, m, k int, a []float32, lda int, alloc func(n int) []float32) *PackedA {
	p := newPackedA(kern, m, k, alloc)
	mp := (m + p.mr - 1) / p.mr * p.mr
	pool.Parallel(int64(m)*int64(k), mp/p.mr, func(j int) {
		i0 := j * p.mr
		for k0 := 0; k0 < k; k0 += p.kc {
			kc := min(p.kc, k-k0)
			pan := p.data[k0*mp+i0*kc:]
			for i := i0; i < min(i0+p.mr, m); i++ {
				row := a[i*lda+k0:]
				for kk := 0; kk < kc; kk++ {
					pan[kk*p.mr+i-i0] = row[kk]
				}
			}
		}
	})
	return p
}

// panel returns the packed panel of rows [i0, i0+mr) of the K block
// starting at k0 (of length kc).
func (p *PackedA) panel(k0, kc, i0 int) []float32 {
	mp := (p.M + p.mr - 1) / p.mr * p.mr
	return p.data[k0*mp+i0*kc:]
}
