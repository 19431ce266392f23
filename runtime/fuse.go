package runtime

import "github.com/cnnc/cnnc/act"

// fuse rewrites the op list so that less memory traffic follows each
// convolution and dense layer:
//
//   - a BatchNorm whose input only it uses, made by a convolution or dense
//     layer, is folded into that layer's weights;
//   - a sum whose one operand only it uses, made by a convolution, becomes
//     that convolution's residual epilogue (the other operand must be
//     computed earlier);
//   - an activation whose input only it uses, made by a convolution or
//     dense layer without an activation, becomes its epilogue: the clamp
//     kinds (relu, relu6, hardtanh, leaky ReLU of any slope) in the
//     registers of the store, the others on each freshly stored tile.
//
// Folding needs the BatchNorm's statistics, so fuse takes the weights.
func fuse(g *Graph, ops []*cop, w Weights) []*cop {
	for {
		uses := useCounts(g, ops)
		prod := producers(ops)
		changed := false
		for i, c := range ops {
			if c == nil {
				continue
			}
			src := c.in[0]
			p, ok := prod[src]
			if !ok || ops[p] == nil || uses[src] != 1 {
				continue
			}
			pc := ops[p]
			switch {
			case c.op.Kind == OpBatchNorm && (pc.op.Kind == OpConv || pc.op.Kind == OpDense) && pc.act.Kind == act.None && pc.residual < 0 && pc.scale == nil:
				pc.scale, pc.shift = bnAffine(w, c.op, g.Values[src].Shape[0])
				pc.bn = true
			case c.op.Kind == OpAct && (pc.op.Kind == OpConv || pc.op.Kind == OpDense) && pc.act.Kind == act.None:
				pc.act = c.act
			case c.op.Kind == OpAdd:
				if !fuseAdd(c, ops, prod, uses, i) {
					continue
				}
				changed = true
				ops[i] = nil
				continue
			default:
				continue
			}
			pc.out = c.out
			ops[i] = nil
			changed = true
		}
		if !changed {
			break
		}
	}
	out := ops[:0]
	for _, c := range ops {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// fuseAdd makes a sum the residual epilogue of the convolution that
// computes one operand, when the other operand is ready before it.
func fuseAdd(add *cop, ops []*cop, prod map[ValueID]int, uses map[ValueID]int, at int) bool {
	for k := range 2 {
		v, other := add.in[k], add.in[1-k]
		p, ok := prod[v]
		if !ok || ops[p] == nil || uses[v] != 1 {
			continue
		}
		pc := ops[p]
		if pc.op.Kind != OpConv || pc.act.Kind != act.None || pc.residual >= 0 {
			continue
		}
		if q, made := prod[other]; made && q > p {
			continue // the other operand is computed after the convolution
		}
		pc.residual = other
		pc.out = add.out
		return true
	}
	return false
}

func useCounts(g *Graph, ops []*cop) map[ValueID]int {
	uses := map[ValueID]int{g.Output: 1}
	for _, c := range ops {
		if c == nil {
			continue
		}
		for _, v := range c.in {
			uses[v]++
		}
		if c.residual >= 0 {
			uses[c.residual]++
		}
	}
	return uses
}

func producers(ops []*cop) map[ValueID]int {
	prod := map[ValueID]int{}
	for i, c := range ops {
		if c == nil {
			continue
		}
		for _, v := range c.outs() {
			prod[v] = i
		}
	}
	return prod
}
