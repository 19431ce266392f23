package runtime

import (
	"fmt"

	"github.com/cnnc/cnnc/runtime/kernel"
)

// Pooling: max, average and adaptive average over windows of each plane.

func init() {
	register(OpMaxPool, &opKind{name: "maxpool", inputs: 1, check: checkPool, strided: true, step: poolStep(maxPool)})
	register(OpAvgPool, &opKind{name: "avgpool", inputs: 1, check: checkPool, strided: true, step: poolStep(avgPool)})
	register(OpAdaptiveAvg, &opKind{name: "adaptiveavgpool", inputs: 1, check: checkAdaptive, strided: true, step: poolStep(adaptiveAvg)})
}

func checkPool(_ *Graph, op *Op, in, out []int) error {
	if len(in) != 3 || len(out) != 3 {
		return fmt.Errorf("needs [C, H, W] shapes, have %v -> %v", in, out)
	}
	w := op.Window
	if w.KH < 1 || w.KW < 1 || w.SH < 1 || w.SW < 1 || w.PH < 0 || w.PW < 0 || 2*w.PH > w.KH || 2*w.PW > w.KW || out[0] != in[0] {
		return fmt.Errorf("bad window %+v for %v -> %v", w, in, out)
	}
	if oh, ow := kernel.WindowOut(in[1], w.KH, w.SH, w.PH, 1, w.Ceil), kernel.WindowOut(in[2], w.KW, w.SW, w.PW, 1, w.Ceil); oh != out[1] || ow != out[2] {
		return fmt.Errorf("the window gives %dx%d, the graph says %dx%d", oh, ow, out[1], out[2])
	}
	return nil
}

func checkAdaptive(_ *Graph, _ *Op, in, out []int) error {
	if len(in) != 3 || len(out) != 3 {
		return fmt.Errorf("needs [C, H, W] shapes, have %v -> %v", in, out)
	}
	if out[0] != in[0] {
		return fmt.Errorf("maps %v to %v", in, out)
	}
	return nil
}

func poolStep(fn func(poolGeom, []float32, int, []float32, int, int) task) func(*stepEnv, *cop) func() {
	return func(e *stepEnv, c *cop) func() {
		src, ss := e.part(c.in[0])
		dst, ds := e.part(c.out)
		in, out := e.shape(c.in[0]), e.shape(c.out)
		geom := poolGeom{c: in[0], h: in[1], w: in[2], oh: out[1], ow: out[2], win: c.op.Window}
		t, pool := fn(geom, src, ss, dst, ds, e.n), e.pool
		return func() { t.run(pool) }
	}
}
