package kernel

import (
	"math"

	"github.com/cnnc/cnnc/act"
)

// An Epilogue is what a convolution does to its output as it is stored.
type Epilogue struct {
	// Act is applied last, after the bias and the residual. The
	// piecewise-linear kinds (act.Func.Clamp: none, ReLU, ReLU6, hardtanh,
	// leaky ReLU) are fused into the micro-kernels' stores; the others run
	// with Activate over each part of the output as soon as it is stored.
	Act act.Func
	// Residual, if non-nil, is added after the bias and before Act. It is
	// laid out like the convolution's output: Cout planes of OutH*OutW,
	// images ResImageStride apart. It must not overlap dst.
	Residual []float32
	// ResImageStride is the distance in elements between consecutive images
	// of Residual; 0 means Cout*OutH*OutW.
	ResImageStride int
	// DstImageStride is the distance in elements between consecutive images
	// of dst; 0 means Cout*OutH*OutW. A larger stride lets a convolution
	// write its channels straight into a slice of a concatenation: pass
	// dst = concat[c0*OutH*OutW:] and DstImageStride = Ctotal*OutH*OutW.
	DstImageStride int
	// Outputs, if non-nil, splits the output channels among several
	// tensors in order (see ConvOutput); Run's dst and DstImageStride are
	// then unused, and Residual must be nil.
	Outputs []ConvOutput
}

// A clamp is the part of an activation the stores apply, act.Clamp as
// the micro-kernels take it: flags says which of its steps change
// anything, so ReLU costs one VMAXPS per register, ReLU6 and hardtanh
// two, the leaky ReLU two (AVX-512) or three (AVX2). The zero clamp is
// the identity.
type clamp struct {
	flags         int // fLeaky | fLo | fHi
	lo, hi, slope float32
}

// splitAct splits f into the clamp the stores apply and the activation
// to run after them with Activate: one of the two is the identity.
func splitAct(f act.Func) (clamp, act.Func) {
	c, ok := f.Clamp()
	if !ok {
		return clamp{}, f
	}
	cl := clamp{lo: c.Lo, hi: c.Hi, slope: c.Slope}
	if c.Leaky() {
		cl.flags |= fLeaky
	}
	if !math.IsInf(float64(c.Lo), -1) {
		cl.flags |= fLo
	}
	if !math.IsInf(float64(c.Hi), 1) {
		cl.flags |= fHi
	}
	return cl, act.Func{}
}

// apply is the clamp of one value as the stores compute it: the leaky
// slope on x <= 0, then max(x, lo), then min(x, hi); act.Clamp.Apply's
// meaning. It takes the flags of a store, which may carry other bits.
func (c *clamp) apply(flags int, x float32) float32 {
	if flags&fLeaky != 0 && x <= 0 {
		x *= c.slope
	}
	if flags&fLo != 0 && x < c.lo {
		x = c.lo
	}
	if flags&fHi != 0 && x > c.hi {
		x = c.hi
	}
	return x
}

// isReLU reports whether c is max(x, 0), which has a vector pass.
func (c *clamp) isReLU() bool { return c.flags == fLo && c.lo == 0 }

// applyTo clamps x in place, outside the stores.
func (c *clamp) applyTo(x []float32) {
	switch {
	case c.flags == 0:
	case c.isReLU():
		relu(x)
	default:
		for i, v := range x {
			x[i] = c.apply(c.flags, v)
		}
	}
}

// activate applies the part of an activation the stores do not, f from
// splitAct, to x, freshly stored and still in cache.
func activate(f act.Func, x []float32) {
	if f.Kind != act.None && len(x) > 0 {
		Activate(f, x, x)
	}
}

// An actPass applies an activation over n images after the paths whose
// stores write scattered tiles (Winograd, the direct convolution), in
// chunks of about 16K values spread over the pool's workers: on one worker
// an exact GELU over a 128x56x56 output cost 13% of the convolution.
type actPass struct {
	f                     act.Func
	dst                   []float32
	ds, size, per, chunks int
}

// actChunk is the values an actPass job covers: 64 KB, a multiple of the
// vector width.
const actChunk = 16384

// run applies f to n images of size values, ds apart, in dst.
func (a *actPass) run(pool *Pool, f act.Func, dst []float32, n, ds, size int) {
	if f.Kind == act.None {
		return
	}
	a.f, a.dst, a.ds, a.size = f, dst, ds, size
	a.per = actChunk
	a.chunks = (size + a.per - 1) / a.per
	par := pool.Workers()
	if int64(n)*int64(size) < actChunk {
		par = 1
	}
	pool.run(n*a.chunks, par, a)
}

func (a *actPass) do(_, i int) {
	img, c := i/a.chunks, i%a.chunks
	x := a.dst[img*a.ds:][c*a.per : min(a.size, (c+1)*a.per)]
	Activate(a.f, x, x)
}
