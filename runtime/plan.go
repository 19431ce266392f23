package runtime

import "sort"

// A plan places every value of a program in one arena for a batch size:
// values that are not live at the same time share memory, a flatten is the
// same memory as its input, an elementwise op writes over its input when
// that input dies there, and a concatenation's inputs are computed straight
// into their channel slices of its output.
type plan struct {
	n       int
	size    int // arena length in float32s
	slots   []slot
	scratch int // offset of the kernels' scratch space
	scrLen  int
}

// A slot is where a value lives in the arena: image i of it starts at
// off + i*stride (stride exceeds the value's size for a channel slice of a
// concatenation).
type slot struct {
	off, stride, size int
	view              bool // a channel slice of a concatenation
	used              bool
}

const align = 16 // float32s: a 64-byte cache line

func roundUp(x int) int { return (x + align - 1) / align * align }

func (p *Program) plan(n int) *plan {
	g, ops := p.g, p.ops
	nv := len(g.Values)
	last := make([]int, nv) // index of the last op reading each value
	first := make([]int, nv)
	for i := range first {
		first[i], last[i] = -2, -2
	}
	first[g.Input] = -1
	for i, c := range ops {
		for _, v := range c.outs() {
			first[v] = i
		}
		for _, v := range c.in {
			last[v] = max(last[v], i)
		}
		if c.residual >= 0 {
			last[c.residual] = max(last[c.residual], i)
		}
	}
	last[g.Output] = len(ops)

	// Storage groups: a value shares its group's memory.
	group := make([]int, nv)
	for i := range group {
		group[i] = i
	}
	var find func(int) int
	find = func(v int) int {
		for group[v] != v {
			v = group[v]
		}
		return v
	}
	viewOf := make([]int, nv) // the concatenation a value is a slice of, or -1
	chanOff := make([]int, nv)
	for i := range viewOf {
		viewOf[i] = -1
	}
	uses := useCounts(g, ops)
	prod := producers(ops)
	for _, c := range ops {
		switch c.op.Kind {
		case OpReshape:
			group[find(int(c.out))] = find(int(c.in[0]))
		case OpConcat:
			off := 0
			for _, v := range c.in {
				if pi, ok := prod[v]; ok && uses[v] == 1 && kinds[ops[pi].op.Kind].strided && viewOf[v] < 0 && find(int(v)) == int(v) {
					viewOf[v], chanOff[v] = int(c.out), off
				}
				off += g.Values[v].Shape[0]
			}
		}
	}
	for i, c := range ops {
		if !kinds[c.op.Kind].inPlace || viewOf[c.out] >= 0 {
			continue
		}
		for _, v := range c.in {
			if v != g.Input && last[v] == i && viewOf[v] < 0 && find(int(v)) != find(int(g.Input)) && uses[v] == 1 {
				group[find(int(c.out))] = find(int(v))
				break
			}
		}
	}

	// Live range of each group root: views count toward their concatenation.
	type span struct{ from, to, size int }
	spans := map[int]*span{}
	for v := range nv {
		if first[v] == -2 && v != int(g.Input) {
			continue
		}
		root := find(v)
		if viewOf[v] >= 0 {
			root = find(viewOf[v])
		}
		s, ok := spans[root]
		if !ok {
			s = &span{from: first[v], to: last[v], size: n * g.Values[root].Numel()}
			spans[root] = s
		}
		s.from = min(s.from, first[v])
		s.to = max(s.to, last[v], first[v])
	}
	roots := make([]int, 0, len(spans))
	for r := range spans {
		roots = append(roots, r)
	}
	sort.Slice(roots, func(i, j int) bool {
		a, b := spans[roots[i]], spans[roots[j]]
		if a.from != b.from {
			return a.from < b.from
		}
		return roots[i] < roots[j]
	})

	// Greedy placement in order of first use: a group takes the smallest
	// free block that holds it, freed blocks return when their group dies.
	// Blocks are freed only after the op that last reads them, so an op's
	// output never lands on its own inputs (the kernels need that).
	type block struct{ off, size int }
	var free []block
	end := 0
	base := map[int]int{}
	type release struct {
		at int
		b  block
	}
	var pending []release
	for _, r := range roots {
		s := spans[r]
		kept := pending[:0]
		for _, rel := range pending {
			if rel.at < s.from {
				free = append(free, rel.b)
			} else {
				kept = append(kept, rel)
			}
		}
		pending = kept
		size := roundUp(s.size)
		best := -1
		for i, b := range free {
			if b.size >= size && (best < 0 || b.size < free[best].size) {
				best = i
			}
		}
		var off int
		if best >= 0 {
			off = free[best].off
			if rest := free[best].size - size; rest > 0 {
				free[best] = block{off + size, rest}
			} else {
				free = append(free[:best], free[best+1:]...)
			}
		} else {
			off = end
			end += size
		}
		base[r] = off
		pending = append(pending, release{s.to, block{off, size}})
	}

	pl := &plan{n: n, slots: make([]slot, nv)}
	for v := range nv {
		if first[v] == -2 && v != int(g.Input) {
			continue
		}
		size := g.Values[v].Numel()
		sl := slot{size: size, stride: size, used: true}
		if c := viewOf[v]; c >= 0 {
			cv := g.Values[c]
			plane := cv.Shape[1] * cv.Shape[2]
			sl.off = base[find(c)] + chanOff[v]*plane
			sl.stride = cv.Numel()
			sl.view = true
		} else {
			sl.off = base[find(v)]
		}
		pl.slots[v] = sl
	}
	scr := 0
	for _, c := range ops {
		scr = max(scr, c.scratchSize(g, n))
	}
	pl.scratch, pl.scrLen = roundUp(end), scr
	pl.size = pl.scratch + roundUp(scr)
	return pl
}
