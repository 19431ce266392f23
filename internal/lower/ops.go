package lower

import (
	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/runtime"
)

// An opLowering fills in the runtime op of a layer; it returns false where
// the layer computes nothing with these attributes.
type opLowering func(n *compiler.Node, op *runtime.Op) bool

// ops lowers every layer op but the elementwise activations, which all
// lower alike (lowerAct) from the node's act.Func.
var ops = map[compiler.Op]opLowering{
	compiler.OpConv: func(n *compiler.Node, op *runtime.Op) bool {
		op.Kind, op.Window, op.Groups = runtime.OpConv, window(n), int(n.Attrs.Groups)
		op.Weight, op.Bias = paramName(n, "weight"), paramName(n, "bias")
		return true
	},
	compiler.OpMaxPool:     pool(runtime.OpMaxPool),
	compiler.OpAvgPool:     pool(runtime.OpAvgPool),
	compiler.OpAdaptiveAvg: kind(runtime.OpAdaptiveAvg),
	compiler.OpGlobalAvg:   kind(runtime.OpAdaptiveAvg),
	compiler.OpDense: func(n *compiler.Node, op *runtime.Op) bool {
		op.Kind = runtime.OpDense
		op.Weight, op.Bias = paramName(n, "weight"), paramName(n, "bias")
		return true
	},
	compiler.OpBatchNorm: func(n *compiler.Node, op *runtime.Op) bool {
		op.Kind, op.Eps = runtime.OpBatchNorm, float32(n.Attrs.Eps)
		op.Weight, op.Bias = paramName(n, "weight"), paramName(n, "bias")
		op.Mean, op.Var = paramName(n, "running_mean"), paramName(n, "running_var")
		return true
	},
	compiler.OpPReLU: func(n *compiler.Node, op *runtime.Op) bool {
		op.Kind, op.Groups, op.Weight = runtime.OpPReLU, int(n.Attrs.Out), paramName(n, "weight")
		return true
	},
	compiler.OpSoftmax:    kind(runtime.OpSoftmax),
	compiler.OpLogSoftmax: kind(runtime.OpLogSoftmax),
	compiler.OpFlatten: func(n *compiler.Node, op *runtime.Op) bool {
		op.Kind = runtime.OpReshape
		return n.In.IsMap()
	},
}

func lowerAct(n *compiler.Node, op *runtime.Op) bool {
	op.Kind, op.Act = runtime.OpAct, n.Act
	return true
}

func kind(k runtime.OpKind) opLowering {
	return func(_ *compiler.Node, op *runtime.Op) bool {
		op.Kind = k
		return true
	}
}

func pool(k runtime.OpKind) opLowering {
	return func(n *compiler.Node, op *runtime.Op) bool {
		op.Kind, op.Window = k, window(n)
		return true
	}
}

func window(n *compiler.Node) runtime.Window {
	at := n.Attrs
	return runtime.Window{KH: int(at.Kernel[0]), KW: int(at.Kernel[1]), SH: int(at.Stride[0]), SW: int(at.Stride[1]),
		PH: int(at.Padding[0]), PW: int(at.Padding[1]), DH: int(at.Dilation[0]), DW: int(at.Dilation[1]), Ceil: at.Ceil}
}
