package runtime

import "fmt"

// Activations: elementwise functions of package act (fused into the store
// of the convolution or dense layer before them where fusion can), PReLU's
// learned slopes, and softmax and log-softmax over channels.

func init() {
	register(OpAct, &opKind{name: "act", inputs: 1, check: checkAct, inPlace: true, strided: true, step: actStep})
	register(OpPReLU, &opKind{name: "prelu", inputs: 1, check: checkPReLU, weights: preluWeights,
		prepare: func(c *cop, _ *Graph, w Weights) { c.scale = w[c.op.Weight] },
		inPlace: true, strided: true, step: preluStep})
	register(OpSoftmax, &opKind{name: "softmax", inputs: 1, check: sameShape, inPlace: true, strided: true, step: softmaxStep(false)})
	register(OpLogSoftmax, &opKind{name: "logsoftmax", inputs: 1, check: sameShape, inPlace: true, strided: true, step: softmaxStep(true)})
}

func checkAct(g *Graph, op *Op, in, out []int) error {
	if err := op.Act.Valid(); err != nil {
		return err
	}
	return sameShape(g, op, in, out)
}

func actStep(e *stepEnv, c *cop) func() {
	src, ss := e.part(c.in[0])
	dst, ds := e.part(c.out)
	t, pool := activate(c.act, src, ss, dst, ds, e.n, e.numel(c.out)), e.pool
	return func() { t.run(pool) }
}

func checkPReLU(g *Graph, op *Op, in, out []int) error {
	if op.Weight == "" {
		return fmt.Errorf("prelu needs a weight")
	}
	if n := max(op.Groups, 1); n != 1 && n != in[0] {
		return fmt.Errorf("%d slopes for %d channels", n, in[0])
	}
	return sameShape(g, op, in, out)
}

// preluWeights: one slope, or one per channel (Groups says how many).
func preluWeights(g *Graph, op *Op, in, _ []int) []weightNeed {
	return []weightNeed{{op.Weight, max(op.Groups, 1)}}
}

func preluStep(e *stepEnv, c *cop) func() {
	src, ss := e.part(c.in[0])
	dst, ds := e.part(c.out)
	in := e.shape(c.in[0])
	t, pool := prelu(c.scale, in[0], e.numel(c.out)/in[0], src, ss, dst, ds, e.n), e.pool
	return func() { t.run(pool) }
}

func softmaxStep(log bool) func(*stepEnv, *cop) func() {
	return func(e *stepEnv, c *cop) func() {
		src, ss := e.part(c.in[0])
		dst, ds := e.part(c.out)
		in := e.shape(c.in[0])
		plane := 1
		if len(in) == 3 {
			plane = in[1] * in[2]
		}
		t, pool := softmax(in[0], plane, log, src, ss, dst, ds, e.n), e.pool
		return func() { t.run(pool) }
	}
}
