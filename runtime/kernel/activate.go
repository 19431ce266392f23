package kernel

import "github.com/cnnc/cnnc/act"

// Activate sets dst[i] = f(src[i]) for i < len(dst); dst may be src. Kinds
// with a vector form run it; the others run act's portable float64 form.
func Activate(f act.Func, dst, src []float32) {
	switch f.Kind {
	case act.None:
		if &dst[0] != &src[0] {
			copy(dst, src)
		}
	case act.ReLU:
		if &dst[0] != &src[0] {
			copy(dst, src)
		}
		relu(dst)
	case act.Sigmoid:
		Sigmoid(dst, src)
	case act.Tanh:
		Tanh(dst, src)
	default:
		f.Apply(dst, src)
	}
}
