package kernel

import "fmt"

// A convolution's weights can be laid out four ways: packed for the GEMM
// (a, with the direct kernel's row tiles where it has one), packed for the
// transposed GEMM of small maps (sn), Winograd-transformed (wino, four
// times the size), and, for a strided 1x1 layer, as the stride-1 layer
// that runs on the subsampled map (sub, conv_strided1x1.go). Which one
// runs depends on the batch size, so a Conv builds the form of batch 1
// when it is made and each other form the first time a batch needs it,
// from the weights unpacked out of a form it has: packing is a
// permutation, so the unpacked weights are exact. Keeping every form from
// the start held ResNet-18's 47 MB of weights four times over; a run at
// batch 1 now holds them about once.

// The forms, as bits of Conv.built.
const (
	formGemm = 1 << iota
	formSmallN
	formWino
	formSub
)

// form returns the form a batch of n runs through.
func (c *Conv) form(n int) uint32 {
	switch {
	case c.subsampled(n):
		return formSub
	case c.useWino(n):
		return formWino
	case c.useSmallN(n):
		return formSmallN
	}
	return formGemm
}

// ensure builds the form a batch of n runs through, if it is missing. Once
// it is built, ensure is one atomic load: Run calls it every time.
func (c *Conv) ensure(n int) {
	if c.algo == algoDepthwise {
		return
	}
	f := c.form(n)
	if c.built.Load()&f == 0 {
		c.formMu.Lock()
		if c.built.Load()&f == 0 {
			c.build(n, c.unpack())
		}
		c.formMu.Unlock()
	}
	if f == formSub {
		c.sub.ensure(n)
	}
}

// build makes the form for a batch of n from weight ([Cout, C/G, KH, KW])
// and marks it built; c.formMu is held, or c is not yet shared.
func (c *Conv) build(n int, weight []float32) {
	p := c.p
	mg, k := p.Cout/p.Groups, p.C/p.Groups*p.KH*p.KW
	f := c.form(n)
	defer c.built.Or(f)
	switch f {
	case formWino:
		c.wino = newWinograd(p, weight)
	case formSub:
		c.sub = newSubsampled(p, c.oh, c.ow, weight, c.bias)
	case formSmallN:
		sn := newSmallN(p.Cout, k, weight)
		if c.snPlanes() {
			sn.planes(&p)
		}
		c.sn = sn
	default:
		a := make([]*PackedA, p.Groups)
		for g := range a {
			if c.dir != nil {
				// The direct kernel has 8-row tiles.
				a[g] = packAFor(kAVX512x8x32, mg, k, weight[g*mg*k:], k)
			} else {
				a[g] = PackA(mg, k, weight[g*mg*k:], k)
			}
		}
		if c.algo == algo1x1 && a[0].kern == kAVX512x8x32 && c.oh*c.ow%16 == 0 {
			// Rows of B that start on cache lines (56x56, 28x28): read in
			// place. 14x14 and 7x7 rows straddle lines, and reading them in
			// place measured 3-5% slower than packing.
			c.offs1x1 = rowOffsets(k, c.oh*c.ow)
		}
		c.a = a
	}
}

// unpack returns the weights, [Cout, C/G, KH, KW], from a permuted form.
// Winograd's transform is not a permutation, but a layer whose batch 1 runs
// through Winograd runs every batch through it.
func (c *Conv) unpack() []float32 {
	p := c.p
	mg, k := p.Cout/p.Groups, p.C/p.Groups*p.KH*p.KW
	w := make([]float32, p.Cout*k)
	switch {
	case c.a != nil:
		for g, a := range c.a {
			a.unpack(w[g*mg*k:], k)
		}
	case c.sn != nil:
		c.sn.unpack(w)
	default:
		panic(fmt.Sprintf("kernel: conv %v: no packed weights to unpack", p))
	}
	return w
}

// unpack writes the packed matrix back to a (rows lda apart).
func (p *PackedA) unpack(a []float32, lda int) {
	mp := (p.M + p.mr - 1) / p.mr * p.mr
	for k0 := 0; k0 < p.K; k0 += p.kc {
		kc := min(p.kc, p.K-k0)
		blk := p.data[k0*mp:]
		for i := 0; i < p.M; i++ {
			pan := blk[i/p.mr*p.mr*kc:]
			row := a[i*lda+k0:][:kc]
			for kk := range row {
				row[kk] = pan[kk*p.mr+i%p.mr]
			}
		}
	}
}

// unpack writes the weights back as an m x k matrix.
func (s *smallN) unpack(w []float32) {
	for k0 := 0; k0 < s.k; k0 += s.kc {
		kc := min(s.kc, s.k-k0)
		for o := 0; o < s.m; o++ {
			pan := s.panel(k0, kc, o/snNR)
			row := w[o*s.k+k0:][:kc]
			for kk := range row {
				row[kk] = pan[kk*snNR+o%snNR]
			}
		}
	}
}
