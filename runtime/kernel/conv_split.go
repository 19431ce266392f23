package kernel

import "fmt"

// A ConvOutput is one destination of a convolution whose output channels
// are split among several tensors (Epilogue.Outputs): sibling 1x1
// convolutions that read the same input, such as the first convolution of
// each Inception branch, run as one GEMM over their concatenated weights,
// packing the shared input once and filling taller register tiles, and
// each writes its own tensor.
type ConvOutput struct {
	Channels int
	// Dst receives the channels as [n, Channels, OutH, OutW], images
	// ImageStride apart (0 means Channels*OutH*OutW): a channel slice of a
	// concatenation works as with Epilogue.DstImageStride.
	Dst         []float32
	ImageStride int
}

// checkOutputs panics unless outs splits c's Cout channels into
// destinations large enough for n images, on a path that supports splits
// (GEMM, the transposed GEMM; not Winograd, groups or depthwise).
func (c *Conv) checkOutputs(outs []ConvOutput, ep *Epilogue, n int) {
	if c.algo == algoWinograd || c.algo == algoDepthwise || c.p.Groups != 1 || ep.Residual != nil {
		panic(fmt.Sprintf("kernel: conv %v: split outputs need an ungrouped GEMM convolution without a residual", c.p))
	}
	hw, total := c.oh*c.ow, 0
	for _, o := range outs {
		s := o.ImageStride
		if s == 0 {
			s = o.Channels * hw
		}
		if o.Channels <= 0 || len(o.Dst) < (n-1)*s+o.Channels*hw {
			panic(fmt.Sprintf("kernel: conv %v: output of %d channels has %d elements", c.p, o.Channels, len(o.Dst)))
		}
		total += o.Channels
	}
	if total != c.p.Cout {
		panic(fmt.Sprintf("kernel: conv %v: outputs hold %d channels", c.p, total))
	}
}

// plane returns output channel m of image img (OutH*OutW floats); the
// memory after it holds the following channels of the same destination.
func (t *convTask) plane(img, m int) []float32 {
	hw := t.c.oh * t.c.ow
	if t.ep.Outputs == nil {
		return t.dst[img*t.ds+m*hw:][:hw]
	}
	return splitPlane(t.ep.Outputs, img, m, hw)
}

func splitPlane(outs []ConvOutput, img, m, hw int) []float32 {
	for _, o := range outs {
		if m < o.Channels {
			s := o.ImageStride
			if s == 0 {
				s = o.Channels * hw
			}
			return o.Dst[img*s+m*hw:][:hw]
		}
		m -= o.Channels
	}
	panic("kernel: output channel out of range")
}

// oneOutput reports whether rows [i, i+m) of a split output land in one
// destination, so a register tile can store them with one row stride.
func oneOutput(outs []ConvOutput, i, m int) bool {
	for _, o := range outs {
		if i < o.Channels {
			return i+m <= o.Channels
		}
		i -= o.Channels
	}
	return false
}
