package kernel

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// ConvParams describes a 2-D convolution over NCHW float32 tensors, with
// PyTorch's meaning for every field. Zero strides, dilations and groups mean
// 1.
type ConvParams struct {
	C, H, W int // input channels and map size
	Cout    int
	KH, KW  int
	SH, SW  int
	PH, PW  int
	DH, DW  int
	Groups  int
}

func (p *ConvParams) normalize() {
	for _, f := range []*int{&p.SH, &p.SW, &p.DH, &p.DW, &p.Groups} {
		if *f == 0 {
			*f = 1
		}
	}
}

// OutH is floor((H + 2PH - DH(KH-1) - 1) / SH) + 1.
func (p ConvParams) OutH() int {
	p.normalize()
	return WindowOut(p.H, p.KH, p.SH, p.PH, p.DH, false)
}

// OutW is floor((W + 2PW - DW(KW-1) - 1) / SW) + 1.
func (p ConvParams) OutW() int {
	p.normalize()
	return WindowOut(p.W, p.KW, p.SW, p.PW, p.DW, false)
}

// WindowOut is PyTorch's output size of a convolution or pooling window
// along one axis (pooling_output_shape): floor((size + 2p - d(k-1) - 1) /
// s) + 1, or 0 where the window does not fit; in ceil mode the division
// rounds up, but the last window must start inside the input or the left
// padding.
func WindowOut(size, k, s, p, d int, ceil bool) int {
	num := size + 2*p - d*(k-1) - 1
	if num < 0 {
		return 0
	}
	if ceil {
		num += s - 1
	}
	out := num/s + 1
	if ceil && (out-1)*s >= size+p {
		out--
	}
	return out
}

// MACs reports the multiply-adds of one image.
func (p ConvParams) MACs() int64 {
	p.normalize()
	return int64(p.Cout) * int64(p.OutH()*p.OutW()) * int64(p.C/p.Groups*p.KH*p.KW)
}

func (p ConvParams) String() string {
	p.normalize()
	return fmt.Sprintf("%dx%dx%d->%d k%dx%d s%dx%d p%dx%d d%dx%d g%d",
		p.C, p.H, p.W, p.Cout, p.KH, p.KW, p.SH, p.SW, p.PH, p.PW, p.DH, p.DW, p.Groups)
}

// convAlgo is how a Conv computes.
type convAlgo int

const (
	algoIm2col    convAlgo = iota // GEMM, B = im2col packed on the fly
	algo1x1                       // GEMM, B = the input itself
	algoDepthwise                 // direct loops, one input channel per group
	algoWinograd                  // F(4x4,3x3) transforms around 36 GEMMs
)

func (a convAlgo) String() string {
	return [...]string{"im2col", "1x1", "depthwise", "winograd"}[a]
}

// A Conv is a convolution with its weights packed for the current ISA.
type Conv struct {
	p       ConvParams
	oh, ow  int
	algo    convAlgo
	a       []*PackedA // per group: Cout/G x (C/G)KHKW
	bias    []float32  // len Cout, or nil
	weight  []float32  // depthwise only
	tab     []int32    // im2col offsets (see im2colTable), or nil
	sn      *smallN    // the transposed GEMM for small maps, or nil
	dir     *direct    // the direct convolution for stems, or nil
	offs1x1 []int32    // 1x1: B's row offsets for gemm1x1, or nil
	pg      phaseGeom  // im2col from phase planes when pg.s > 0 (im2col_planes.go)
	wino    *winograd
	sub     *Conv // a strided 1x1 layer: the stride-1 layer on the subsampled map (forms.go)
	subOK   bool  // p is such a layer (useSubsample)

	// The weights are kept in the forms the batch sizes run so far need
	// (forms.go): snOK says whether the transposed GEMM's can be one, built
	// the bits of those built.
	snOK   bool
	built  atomic.Uint32
	formMu sync.Mutex

	mu   sync.Mutex
	free []*convTask // reused so Run does not allocate
}

// mergeBelow is the map size (output pixels) under which a batch's images
// sit side by side in one GEMM: a map smaller than the 32-wide register
// tile would leave most of it empty. Larger maps run per image even when
// their last tile is partial: merged, C goes through a scratch matrix and
// a scatter pass that cost more than the empty lanes (per image at batch
// 8: 14x14 1x1 layers 11-54% faster, 7x7 15-38%).
const mergeBelow = 32

// NewConv packs weight ([Cout, C/Groups, KH, KW]) and bias (len Cout, or
// nil) for p, choosing the algorithm. BatchNorm must already be folded in.
// It keeps bias but not weight, which the caller may reuse or drop.
func NewConv(p ConvParams, weight, bias []float32) *Conv {
	c := newConvShape(p)
	p = c.p
	k := p.C / p.Groups * p.KH * p.KW
	if len(weight) != p.Cout*k {
		panic(fmt.Sprintf("kernel: conv %v: weight has %d elements, want %d", p, len(weight), p.Cout*k))
	}
	if bias != nil && len(bias) != p.Cout {
		panic(fmt.Sprintf("kernel: conv %v: bias has %d elements, want %d", p, len(bias), p.Cout))
	}
	c.bias = bias
	if c.algo == algoDepthwise {
		c.weight = slices.Clone(weight) // NewConv never keeps weight
		return c
	}
	// (A layer whose batch 1 runs through Winograd runs every batch
	// through it and needs no table.)
	if !c.useWino(1) && (c.algo != algo1x1 || c.snOK) && useIm2colTable(&p, c.oh, c.ow) {
		c.tab = im2colTable(&p, c.oh, c.ow)
	}
	c.build(1, weight)
	return c
}

// newConvShape returns a Conv without weights: the algorithm and the
// geometry that its scratch depends on, all that ConvScratchSize needs.
func newConvShape(p ConvParams) *Conv {
	p.normalize()
	if p.C%p.Groups != 0 || p.Cout%p.Groups != 0 {
		panic(fmt.Sprintf("kernel: conv %v: groups must divide C and Cout", p))
	}
	cg, mg := p.C/p.Groups, p.Cout/p.Groups
	k := cg * p.KH * p.KW
	c := &Conv{p: p, oh: p.OutH(), ow: p.OutW()}
	if c.oh <= 0 || c.ow <= 0 {
		panic(fmt.Sprintf("kernel: conv %v: empty output", p))
	}
	c.subOK = useSubsample(p, c.oh, c.ow)
	switch {
	case cg == 1 && mg <= 4 && p.Groups > 1:
		c.algo = algoDepthwise
		return c
	case useWinograd(p):
		c.algo = algoWinograd
	case p.KH == 1 && p.KW == 1 && p.SH == 1 && p.SW == 1 && p.PH == 0 && p.PW == 0:
		c.algo = algo1x1
	default:
		c.algo = algoIm2col
	}
	c.snOK = isa == AVX512 && p.Groups == 1 && c.oh*c.ow <= smallNMax && k >= 512
	if !c.useWino(1) {
		if c.algo == algoIm2col && isa == AVX512 && p.Groups == 1 && p.DH == 1 && p.DW == 1 &&
			p.KH*p.KW > 1 && (p.SW == 1 || c.ow > 32) {
			// Against the table: 5x5 on 27x27 -6-15%, 3x3 stride 2 to 56x56
			// -17%; 1x1 stride 2 and 3x3 stride 2 to 28x28 or less at batch 1
			// slower (the planes hold columns those never read).
			c.pg = planesGeom(&p)
		}
		if c.algo == algoIm2col && useDirect(p, c.oh, c.ow) {
			c.dir = newDirect(p, c.oh, c.ow)
		}
	}
	return c
}

// Params reports the convolution's parameters.
func (c *Conv) Params() ConvParams { return c.p }

// OutH and OutW report the output map size.
func (c *Conv) OutH() int { return c.oh }
func (c *Conv) OutW() int { return c.ow }

// Algorithm names the chosen algorithm (for logs and tests).
func (c *Conv) Algorithm() string { return c.algo.String() }

// useWino reports whether a batch of n runs through Winograd.
func (c *Conv) useWino(n int) bool {
	return c.algo == algoWinograd && c.winoTiles(n) >= winoMinTiles
}

// winoTiles is the number of 4x4 output tiles of n images.
func (c *Conv) winoTiles(n int) int { return n * ((c.oh + 3) / 4) * ((c.ow + 3) / 4) }

// Algorithm names the algorithm used for a batch of n (for logs and tests).
func (c *Conv) AlgorithmFor(n int) string {
	if c.subsampled(n) {
		return "subsampled " + c.sub.AlgorithmFor(n)
	}
	if c.useWino(n) {
		return algoWinograd.String()
	}
	if c.useSmallN(n) {
		return "transposed"
	}
	if c.dir != nil {
		return "direct"
	}
	if c.algo == algoWinograd {
		return algoIm2col.String()
	}
	return c.algo.String()
}

// merged reports whether a batch of n runs as one GEMM.
func (c *Conv) merged(n int) bool {
	return n > 1 && c.p.Groups == 1 && c.oh*c.ow < mergeBelow
}

// ScratchSize reports how many float32s of scratch Run needs for n images
// on a pool of up to runtime.NumCPU() workers. It builds the weight form
// that batches of n run through, if it is missing (forms.go), so that the
// first Run does not.
func (c *Conv) ScratchSize(n int) int {
	return c.scratchSize(n, runtime.NumCPU())
}

func (c *Conv) scratchSize(n, slots int) int {
	c.ensure(n)
	return c.plannedScratch(n, slots)
}

// ConvScratchSize is the ScratchSize(n) of a Conv made for p, without its
// weights: a memory plan needs no packed kernels.
func ConvScratchSize(p ConvParams, n int) int {
	return newConvShape(p).plannedScratch(n, runtime.NumCPU())
}

// plannedScratch is scratchSize from the layer's shape alone: it reads no
// weight form, so a Conv of newConvShape answers as a built one does.
func (c *Conv) plannedScratch(n, slots int) int {
	if c.subsampled(n) {
		sub := c.sub
		if sub == nil {
			sub = newConvShape(subsampledParams(c.p, c.oh, c.ow))
		}
		return n*c.p.C*c.oh*c.ow + sub.plannedScratch(n, slots)
	}
	switch {
	case c.algo == algoDepthwise:
		return 0
	case c.useWino(n):
		return slots * winoSlotSize(c.p)
	case c.useSmallN(n):
		ct, im := c.smallNSizes(n)
		return ct + im
	}
	s := slots * (bufSize(blockK(c.p.C/c.p.Groups*c.p.KH*c.p.KW)) + c.planesSize())
	if c.merged(n) {
		s += c.p.Cout * n * c.oh * c.ow
	}
	if c.dir != nil {
		s = max(s, c.directScratch(n, slots))
	}
	return s
}

// Run computes n images: src is [n, C, H, W], dst receives [n, Cout, OutH,
// OutW] (images ep.DstImageStride apart), with bias, ep.Residual and ep.Act
// fused. scratch must hold ScratchSize(n) floats; Run allocates nothing.
func (c *Conv) Run(pool *Pool, dst, src []float32, n int, ep Epilogue, scratch []float32) {
	if n <= 0 {
		return
	}
	hw := c.oh * c.ow
	ds, rs := ep.DstImageStride, ep.ResImageStride
	if ds == 0 {
		ds = c.p.Cout * hw
	}
	if rs == 0 {
		rs = c.p.Cout * hw
	}
	if ep.Outputs != nil {
		c.checkOutputs(ep.Outputs, &ep, n)
	} else if need := (n-1)*ds + c.p.Cout*hw; len(dst) < need {
		panic(fmt.Sprintf("kernel: conv %v: dst has %d elements, need %d", c.p, len(dst), need))
	}
	if need := n * c.p.C * c.p.H * c.p.W; len(src) < need {
		panic(fmt.Sprintf("kernel: conv %v: src has %d elements, need %d", c.p, len(src), need))
	}
	if ep.Residual != nil && len(ep.Residual) < (n-1)*rs+c.p.Cout*hw {
		panic(fmt.Sprintf("kernel: conv %v: residual too short", c.p))
	}
	c.ensure(n)
	if c.subsampled(n) {
		t := c.getTask()
		t.dst, t.src, t.n, t.ep = dst, src, n, ep
		c.runSubsampled(pool, t, scratch)
		c.putTask(t)
		return
	}
	t := c.getTask()
	t.dst, t.src, t.n, t.ep, t.ds, t.rs = dst, src, n, ep, ds, rs
	t.cl, t.rest = splitAct(ep.Act)
	switch {
	case c.algo == algoDepthwise:
		c.runDepthwise(pool, t)
	case c.useWino(n):
		t.wino = true
		c.wino.run(pool, c, t, scratch)
	case c.useSmallN(n):
		t.sn = true
		c.runSmallN(pool, t, scratch)
	case c.dir != nil && ep.Outputs == nil:
		t.dir = true
		c.runDirect(pool, t, scratch)
	default:
		c.runGemm(pool, t, scratch)
	}
	c.putTask(t)
}

// slotsFor returns how many per-worker areas of per floats fit in scratch
// after fixed floats, capped at the pool's parallelism.
func slotsFor(pool *Pool, scratch []float32, fixed, per int) int {
	s := pool.Workers()
	if per > 0 {
		s = min(s, (len(scratch)-fixed)/per)
	}
	if s < 1 {
		panic(fmt.Sprintf("kernel: scratch has %d floats, need at least %d", len(scratch), fixed+per))
	}
	return s
}

func (c *Conv) getTask() *convTask {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k := len(c.free); k > 0 {
		t := c.free[k-1]
		c.free = c.free[:k-1]
		return t
	}
	return &convTask{c: c}
}

func (c *Conv) putTask(t *convTask) {
	*t = convTask{c: c, wslots: t.wslots}
	c.mu.Lock()
	c.free = append(c.free, t)
	c.mu.Unlock()
}

// planesSize is the floats of one image's phase planes, or 0.
func (c *Conv) planesSize() int { return c.pg.size(c.p.C) }
