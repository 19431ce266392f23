package kernel

// An Activation is the elementwise function applied as a result is stored.
type Activation int

const (
	ActNone Activation = iota // identity
	ActReLU                   // max(x, 0), fused into every store
	// The following run as a separate pass over the output, after bias and
	// residual; they are rare in the models the runtime targets.
	ActSigmoid
	ActTanh
	ActLeakyReLU // slope LeakySlope for negative inputs
)

// LeakySlope is the negative-side slope of ActLeakyReLU (PyTorch's default).
const LeakySlope = 0.01

// fusedAct reports whether the micro-kernels apply a in their stores.
func (a Activation) fused() bool { return a == ActNone || a == ActReLU }

// An Epilogue is what a convolution does to its output as it is stored.
type Epilogue struct {
	Act Activation
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

// applyAct applies a non-fused activation to x in place.
func applyAct(a Activation, x []float32) {
	switch a {
	case ActSigmoid:
		Sigmoid(x, x)
	case ActTanh:
		Tanh(x, x)
	case ActLeakyReLU:
		for i, v := range x {
			if v < 0 {
				x[i] = v * LeakySlope
			}
		}
	case ActReLU:
		relu(x)
	}
}
