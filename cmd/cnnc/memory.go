package main

import (
	"math"

	"github.com/cnnc/cnnc"
	"github.com/cnnc/cnnc/compiler"
)

// The memory figures that check and bench print, each under one name:
//
//   - memory, a summary row's: the bytes of the node's output at the batch;
//   - activations: the input's and every layer's output bytes at the batch,
//     summed, as torchsummary reports the forward pass size;
//   - arena: the runtime's planned peak for a Run of the batch beyond the
//     weights, the activations that live at the same time (the memory plan
//     shares the rest) and the kernels' scratch; check plans it without
//     weights, bench asks the compiled program, and they agree.

// maxCheckBatch bounds check's --batch: every figure stays far from
// overflowing at any model the compiler accepts.
const maxCheckBatch = 1 << 20

// batchBytes is the float32 bytes of batch samples of numel elements, or
// math.MaxInt64 if that overflows.
func batchBytes(numel int64, batch int) int64 {
	if numel <= 0 {
		return 0
	}
	if numel > math.MaxInt64/4/int64(batch) {
		return math.MaxInt64
	}
	return numel * 4 * int64(batch)
}

// activationBytes is the model's activations figure at the batch.
func activationBytes(m *compiler.Model, batch int) int64 {
	a := m.ActivationBytes()
	if a > math.MaxInt64/int64(batch) {
		return math.MaxInt64
	}
	return a * int64(batch)
}

// arenaBytes is the model's arena figure at the batch: a checked model is
// lowered and planned, no weights needed.
func arenaBytes(m *compiler.Model, batch int) (int64, error) {
	cm, err := cnnc.New(m)
	if err != nil {
		return 0, err
	}
	return cm.ArenaBytes(batch), nil
}

// nodeBytes is a summary row's memory: the node's output at the batch, or
// "-" where its shape is unknown.
func nodeBytes(s compiler.Shape, batch int) string {
	if !s.Known() {
		return "-"
	}
	return mib(batchBytes(s.Numel(), batch))
}
