package runtime

import (
	"fmt"
	"math"
)

// BatchNorm in inference form: a per-channel affine map, folded into the
// convolution or dense layer before it where fusion can (fuse.go).

func init() {
	register(OpBatchNorm, &opKind{name: "batchnorm", inputs: 1, check: checkBatchNorm, weights: batchNormWeights,
		prepare: func(c *cop, g *Graph, w Weights) {
			c.scale, c.shift = bnAffine(w, c.op, g.Values[c.in[0]].Shape[0])
		},
		inPlace: true, strided: true, step: batchNormStep})
}

func checkBatchNorm(g *Graph, op *Op, in, out []int) error {
	if op.Weight == "" || op.Bias == "" || op.Mean == "" || op.Var == "" {
		return fmt.Errorf("needs a weight, bias, mean and variance, has %q, %q, %q, %q", op.Weight, op.Bias, op.Mean, op.Var)
	}
	return sameShape(g, op, in, out)
}

func batchNormWeights(_ *Graph, op *Op, in, _ []int) []weightNeed {
	return []weightNeed{{op.Weight, in[0]}, {op.Bias, in[0]}, {op.Mean, in[0]}, {op.Var, in[0]}}
}

func batchNormStep(e *stepEnv, c *cop) func() {
	src, ss := e.part(c.in[0])
	dst, ds := e.part(c.out)
	t := affine(c.scale, c.shift, e.numel(c.out)/e.shape(c.in[0])[0], src, ss, dst, ds, e.n)
	pool := e.pool
	return func() { t.run(pool) }
}

// bnAffine turns BatchNorm's four tensors into a per-channel scale and shift,
// computed in float64 as PyTorch's inference kernel does in effect.
func bnAffine(w Weights, op *Op, ch int) ([]float32, []float32) {
	scale, shift := make([]float32, ch), make([]float32, ch)
	if w == nil {
		return scale, shift // a plan without weights (PlanArenaBytes)
	}
	gamma, beta, mean, vr := w[op.Weight], w[op.Bias], w[op.Mean], w[op.Var]
	for i := range ch {
		s := float64(gamma[i]) / math.Sqrt(float64(vr[i])+float64(op.Eps))
		scale[i] = float32(s)
		shift[i] = float32(float64(beta[i]) - float64(mean[i])*s)
	}
	return scale, shift
}
