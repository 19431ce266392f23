package compiler

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/diag"
)

// window computes the output size of a convolution or pooling window,
// reporting a map that shrinks to nothing.
func (c *checker) window(n *Node, in flow, ceil bool) (int64, int64, bool) {
	at := &n.Attrs
	var out [2]int64
	for i := range 2 {
		out[i] = windowOut(in.shape[1+i], at.Kernel[i], at.Stride[i], at.Padding[i], at.Dilation[i], ceil)
	}
	if out[0] >= 1 && out[1] >= 1 {
		return out[0], out[1], true
	}
	var need [2]int64
	for i := range 2 {
		need[i] = max(1, at.Dilation[i]*(at.Kernel[i]-1)+1-2*at.Padding[i])
	}
	d := c.errorf(n.Range, diag.NonPositiveSize, "%s leaves no pixels: it needs a map of at least %dx%d, have %dx%d",
		describe(n), need[0], need[1], in.shape[1], in.shape[2])
	d.Note("have", "%s", in.shape)
	if der := derivation(in.hist); der != "" {
		d.Note("derivation", "%s", der)
	}
	d.Note("hint", "give the model a larger input, or use smaller kernels or strides before this layer")
	if c.shrunk == nil {
		c.shrunk = d
	}
	return 0, 0, false
}

// windowOut is PyTorch's output size of a window along one axis (its
// pooling_output_shape, which convolution shares without ceil mode).
func windowOut(size, k, s, p, d int64, ceil bool) int64 {
	num := size + 2*p - d*(k-1) - 1
	if ceil {
		num += s - 1
	}
	out := floorDiv(num, s) + 1
	if ceil && (out-1)*s >= size+p {
		out--
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// windowLabel prints a window op for derivations: "conv k11 s4", "maxpool k3 s2".
func windowLabel(n *Node) string {
	at := n.Attrs
	s := fmt.Sprintf("%s k%s", n.Op, pairText(at.Kernel))
	defStride := [2]int64{1, 1}
	if n.Op != OpConv {
		defStride = at.Kernel
	}
	if at.Stride != defStride {
		s += " s" + pairText(at.Stride)
	}
	if at.Padding != [2]int64{} {
		s += " p" + pairText(at.Padding)
	}
	if at.Dilation != [2]int64{1, 1} {
		s += " d" + pairText(at.Dilation)
	}
	if at.Ceil {
		s += " ceil"
	}
	return s
}

// derivation prints how a map's size came to be: 227 -conv k11 s4-> 55 ...
func derivation(h *step) string {
	var steps []*step
	for ; h != nil; h = h.prev {
		steps = append(steps, h)
	}
	if len(steps) < 2 {
		return ""
	}
	size := func(s *step) string {
		if s.h == s.w {
			return fmt.Sprint(s.h)
		}
		return fmt.Sprintf("%dx%d", s.h, s.w)
	}
	var b strings.Builder
	b.WriteString(size(steps[len(steps)-1]))
	shown := 0
	for i := len(steps) - 2; i >= 0; i-- {
		if len(steps) > 8 && shown == 5 && i > 0 {
			b.WriteString(" ...")
			i = 1 // the last step follows
			shown++
			continue
		}
		fmt.Fprintf(&b, " -%s-> %s", steps[i].label, size(steps[i]))
		shown++
	}
	return b.String()
}
