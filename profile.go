package cnnc

import (
	"context"
	"fmt"

	"github.com/cnnc/cnnc/runtime"
)

// Profile runs a batch once and returns how long each op took, after the
// runtime's fusion: a convolution may carry its BatchNorm, activation and
// residual sum.
func (m *Model) Profile(ctx context.Context, src []float32, n int) ([]runtime.OpTime, error) {
	prog := m.exec.program()
	if prog == nil {
		return nil, fmt.Errorf("model %s: %w", m.Name, ErrNoWeights)
	}
	dst := make([]float32, n*int(m.Output.Numel()))
	return prog.Profile(ctx, dst, src, n)
}

// ArenaBytes is the activation and scratch memory one Run of batch n
// uses, as planned.
func (m *Model) ArenaBytes(n int) int64 {
	prog := m.exec.program()
	if prog == nil {
		return 0
	}
	return prog.ArenaBytes(n)
}
