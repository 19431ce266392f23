package kernel

import "fmt"

// A 1x1 convolution with a stride reads one pixel in s*s: subsampling the
// input first (n*C*OutH*OutW floats, a few percent of the layer's time)
// turns it into a 1x1 stride-1 layer on the small map, which reads its B
// in place (conv_1x1.go) where the strided layer packs B through the
// im2col table. Only maps that the in-place path takes gain (ResNet-50's
// 256 -> 512 downsampling to 28x28 at batch 8: 7.9 -> 6.5 ms); on 14x14
// and 7x7, where the stride-1 layer packs B too, or transposes, the copy
// is a loss. So is it at batch 1 on two workers, where each reads the
// planes the other subsampled (the 28x28 layer: 0.65 -> 0.60 ms through
// the table): batches of one run the strided layer itself, and the
// stride-1 layer is a weight form built for the first larger batch.

// useSubsample reports whether p is such a layer.
func useSubsample(p ConvParams, oh, ow int) bool {
	return p.KH == 1 && p.KW == 1 && p.PH == 0 && p.PW == 0 && (p.SH > 1 || p.SW > 1) && p.Groups == 1 &&
		isa == AVX512 && oh*ow%16 == 0 && oh*ow > smallNMax
}

// subsampled reports whether a batch of n runs on the subsampled map.
func (c *Conv) subsampled(n int) bool { return c.subOK && n > 1 }

// newSubsampled returns the stride-1 layer that runs on the subsampled map.
func newSubsampled(p ConvParams, oh, ow int, weight, bias []float32) *Conv {
	return NewConv(subsampledParams(p, oh, ow), weight, bias)
}

// subsampledParams describes that layer.
func subsampledParams(p ConvParams, oh, ow int) ConvParams {
	return ConvParams{C: p.C, H: oh, W: ow, Cout: p.Cout, KH: 1, KW: 1}
}

// runSubsampled subsamples the batch into scratch, the workers splitting
// its channel planes, and runs the stride-1 layer on it.
func (c *Conv) runSubsampled(pool *Pool, t *convTask, scratch []float32) {
	size := t.n * c.p.C * c.oh * c.ow
	if len(scratch) < size {
		panic(fmt.Sprintf("kernel: conv %v: scratch has %d floats, need %d", c.p, len(scratch), size))
	}
	t.cbuf = scratch[:size]
	par := pool.Workers()
	if int64(size) < minParallelWork {
		par = 1
	}
	t.subsample = true
	pool.run(t.n*c.p.C, par, t)
	t.subsample = false
	c.sub.Run(pool, t.dst, t.cbuf, t.n, t.ep, scratch[size:])
}

// subsamplePlane copies every SH-th row's every SW-th pixel of channel
// plane i (image i/C, channel i%C).
func (t *convTask) subsamplePlane(i int) {
	c := t.c
	p := &c.p
	src := t.src[i*p.H*p.W:][:p.H*p.W]
	dst := t.cbuf[i*c.oh*c.ow:][:c.oh*c.ow]
	for y := range c.oh {
		gatherStride(dst[y*c.ow:][:c.ow], src[y*p.SH*p.W:], p.SW)
	}
}
