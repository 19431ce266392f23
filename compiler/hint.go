package compiler

import (
	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// smallestInput finds, for a model whose map shrank to nothing, the
// smallest input of the same channels and aspect for which no map does, by
// checking the model again at other heights (a check takes milliseconds;
// this takes a dozen or two). Windows only ever need more pixels, never
// fewer, so the search is a bisection. The probes of all the models of a
// check share one bound of MaxWork steps; past it there is no hint.
func (c *checker) smallestInput(gm *grammar.Model, u *unit, in Shape) Shape {
	at := func(h int64) Shape {
		return Shape{in[0], h, max(1, (h*in[2]+in[1]-1)/in[1])}
	}
	fits := func(s Shape) bool {
		opts := *c.opts
		opts.Input = s
		probe := newChecker(c.prog, &opts)
		probe.probe = true
		probe.work = c.hintWork
		probe.model(gm, u)
		for _, d := range probe.diags {
			if d.Code == diag.NonPositiveSize || d.Code == diag.LimitExceeded || d.Code == diag.Overflow {
				return false
			}
		}
		return true
	}
	lo, hi := in[1], in[1]
	for !fits(at(hi)) {
		lo, hi = hi, hi*2
		if at(hi)[1] > 1<<16 || at(hi)[2] > 1<<16 {
			return nil
		}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fits(at(mid)) {
			hi = mid
		} else {
			lo = mid
		}
	}
	if *c.hintWork > MaxWork {
		return nil // a probe ran out of steps: hi may not be the smallest
	}
	return at(hi)
}
