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
// uses, as planned: the runtime's peak beyond the weights. Before weights
// are loaded it is planned from the model's graph alone, and is the same.
// It is 0 for a batch under 1.
func (m *Model) ArenaBytes(n int) int64 {
	if prog := m.exec.program(); prog != nil && n >= 1 {
		return prog.ArenaBytes(n)
	}
	b, err := runtime.PlanArenaBytes(m.exec.graph, n)
	if err != nil {
		return 0
	}
	return b
}
