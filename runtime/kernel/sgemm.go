package kernel

import "github.com/cnnc/cnnc/act"

// matB is a row-major K x N matrix used as B without im2col.
type matB struct {
	b   []float32
	ldb int
}

func (m matB) pack(dst []float32, k0, kc, n0, nc, nr int) {
	// Row by row, so the source streams sequentially; the panel layout
	// scatters each row into nr-wide pieces.
	if packAsm && nr == 32 {
		for k := 0; k < kc; k++ {
			packRunAVX512(&dst[k*nr], &m.b[(k0+k)*m.ldb+n0], nc, 0, 4*kc*nr, 1, 4*4*m.ldb)
		}
	} else {
		for k := 0; k < kc; k++ {
			copyCols(dst, kc, nr, k, 0, m.b[(k0+k)*m.ldb+n0:][:nc])
		}
	}
	if tail := nc % nr; tail != 0 {
		// Zero the last panel's missing columns.
		pan := dst[(nc/nr)*kc*nr:][:kc*nr]
		for k := 0; k < kc; k++ {
			clear(pan[k*nr+tail : k*nr+nr])
		}
	}
}

// GemmEpilogue is what Mul fuses into its store.
type GemmEpilogue struct {
	Bias []float32 // per row of C (len M), or nil
	// Residual, if non-nil, is an M x N matrix with row stride LDR added
	// before Act. It must not overlap C.
	Residual []float32
	LDR      int
	Act      act.Func // fused into the stores where it is a clamp (see Epilogue.Act)
}

// ScratchSize reports the scratch (in float32s) Mul needs on a pool of the
// given parallelism.
func (a *PackedA) ScratchSize(workers int) int {
	return max(workers, 1) * bufSize(a.kc)
}

// Mul computes C = A·B + epilogue, where B is K x n with row stride ldb and
// C is M x n with row stride ldc. scratch must hold ScratchSize(p.Workers())
// floats (less just runs on fewer cores).
func (a *PackedA) Mul(p *Pool, c []float32, ldc int, b []float32, ldb, n int, ep GemmEpilogue, scratch []float32) {
	g := a.getTask()
	g.a = a
	g.src = matB{b: b, ldb: ldb}
	cl, rest := splitAct(ep.Act)
	g.out = gemmOut{c: c, ldc: ldc, bias: ep.Bias, res: ep.Residual, ldr: ep.LDR, cl: cl}
	g.scratch = scratch
	per := bufSize(a.kc)
	par := min(p.Workers(), len(scratch)/per)
	if int64(a.M)*int64(a.K)*int64(n) < minParallelWork {
		par = 1
	}
	g.s = newSplit(a.M, n, a.mr, a.nr, par)
	p.run(g.s.parts, g.s.parts, g)
	if rest.Kind != act.None {
		for i := 0; i < a.M; i++ {
			activate(rest, c[i*ldc:i*ldc+n])
		}
	}
	*g = mulTask{}
	a.mu.Lock()
	a.free = append(a.free, g)
	a.mu.Unlock()
}

// getTask takes a task from a's free list (a sync.Pool would be emptied by
// every GC, and Mul must not allocate in steady state).
func (a *PackedA) getTask() *mulTask {
	a.mu.Lock()
	defer a.mu.Unlock()
	if k := len(a.free); k > 0 {
		g := a.free[k-1]
		a.free = a.free[:k-1]
		return g
	}
	return new(mulTask)
}

type mulTask struct {
	a       *PackedA
	src     matB
	out     gemmOut
	s       split
	scratch []float32
}

func (g *mulTask) do(slot, i int) {
	m0, m1, n0, n1 := g.s.bounds(i)
	per := bufSize(g.a.kc)
	gemmBlock(g.a, g.src, &g.out, m0, m1, n0, n1, g.scratch[slot*per:(slot+1)*per])
}
