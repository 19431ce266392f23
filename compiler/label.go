package compiler

import (
	"fmt"
	"strconv"
)

// canonicalLabel prints a checked layer with its values, not the names
// that produced them: `conv 128 k3 s2 p1 nobias` for `conv c k3 s=s p1 nobias`.
func canonicalLabel(n *Node) string {
	at := n.Attrs
	switch n.Op {
	case OpConv:
		s := fmt.Sprintf("conv %d k%s", at.Out, pairText(at.Kernel))
		if at.Stride != [2]int64{1, 1} {
			s += " s" + pairText(at.Stride)
		}
		if at.Padding != [2]int64{} {
			s += " p" + pairText(at.Padding)
		}
		if at.Dilation != [2]int64{1, 1} {
			s += " d" + pairText(at.Dilation)
		}
		if at.Groups != 1 {
			s += fmt.Sprintf(" g%d", at.Groups)
		}
		if !at.Bias {
			s += " nobias"
		}
		return s
	case OpMaxPool, OpAvgPool:
		return windowLabel(n)
	case OpAdaptiveAvg:
		return "adaptiveavgpool " + pairDims(at.Size)
	case OpDense:
		s := fmt.Sprintf("dense %d", at.Out)
		if !at.Bias {
			s += " nobias"
		}
		return s
	case OpDropout:
		return "dropout " + strconv.FormatFloat(at.P, 'g', -1, 64)
	case OpBatchNorm:
		s := "batchnorm"
		if at.Eps != 1e-5 {
			s += " eps=" + strconv.FormatFloat(at.Eps, 'g', -1, 64)
		}
		return s
	case OpLeakyReLU:
		return "leakyrelu " + strconv.FormatFloat(at.Slope, 'g', -1, 64)
	}
	return string(n.Op)
}

func pairDims(p [2]int64) string { return fmt.Sprintf("%dx%d", p[0], p[1]) }
