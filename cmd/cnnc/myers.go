package main

import "math"

// myers finds the lines of x to delete and of y to insert to turn x into
// y: Myers' O(ND) algorithm in linear space (the middle snake, divide and
// conquer), as GNU diff runs it. Where a region needs more than a bound of
// edits it splits at the furthest point reached instead of the optimal
// one, GNU diff's heuristic, so a file where every line changes costs
// O((N+M)·bound), not O((N+M)²): the diff stays correct, only perhaps
// longer than the shortest. Lines are compared as integers.
func myers(x, y []int) (del, ins []bool) {
	d := &differ{x: x, y: y, del: make([]bool, len(x)), ins: make([]bool, len(y))}
	n := len(x) + len(y) + 3
	d.fd = make([]int, n)
	d.bd = make([]int, n)
	d.off = len(y) + 1
	// GNU diff's bound: about the square root of the diagonals, at least
	// 256 (a formatted file differs in a few lines, far below it).
	d.tooExpensive = 1
	for diags := len(x) + len(y) + 3; diags != 0; diags >>= 2 {
		d.tooExpensive <<= 1
	}
	d.tooExpensive = max(d.tooExpensive, 256)
	d.compare(0, len(x), 0, len(y))
	return d.del, d.ins
}

type differ struct {
	x, y         []int
	del, ins     []bool
	fd, bd       []int // furthest x on each diagonal, forward and backward, indexed by diagonal+off
	off          int
	tooExpensive int
}

// compare marks the edits that turn x[xoff:xlim] into y[yoff:ylim].
func (d *differ) compare(xoff, xlim, yoff, ylim int) {
	for {
		for xoff < xlim && yoff < ylim && d.x[xoff] == d.y[yoff] {
			xoff++
			yoff++
		}
		for xoff < xlim && yoff < ylim && d.x[xlim-1] == d.y[ylim-1] {
			xlim--
			ylim--
		}
		switch {
		case xoff == xlim:
			for j := yoff; j < ylim; j++ {
				d.ins[j] = true
			}
			return
		case yoff == ylim:
			for i := xoff; i < xlim; i++ {
				d.del[i] = true
			}
			return
		}
		xmid, ymid := d.split(xoff, xlim, yoff, ylim)
		if xmid+ymid <= xoff+yoff || xmid+ymid >= xlim+ylim {
			// No progress (cannot happen, but a loop must not hang):
			// replace the whole region.
			for i := xoff; i < xlim; i++ {
				d.del[i] = true
			}
			for j := yoff; j < ylim; j++ {
				d.ins[j] = true
			}
			return
		}
		d.compare(xoff, xmid, yoff, ymid)
		xoff, yoff = xmid, ymid
	}
}

// split returns a point on a shortest edit path of the region (the middle
// snake's start), or, past tooExpensive edits, the furthest point reached.
// The region's first and last lines differ on both sides.
func (d *differ) split(xoff, xlim, yoff, ylim int) (int, int) {
	fd, bd, o := d.fd, d.bd, d.off
	dmin, dmax := xoff-ylim, xlim-yoff
	fmid, bmid := xoff-yoff, xlim-ylim
	fmin, fmax, bmin, bmax := fmid, fmid, bmid, bmid
	odd := (fmid-bmid)&1 != 0
	fd[fmid+o] = xoff
	bd[bmid+o] = xlim
	for c := 1; ; c++ {
		// One more edit forward.
		if fmin > dmin {
			fmin--
			fd[fmin-1+o] = -1
		} else {
			fmin++
		}
		if fmax < dmax {
			fmax++
			fd[fmax+1+o] = -1
		} else {
			fmax--
		}
		for k := fmax; k >= fmin; k -= 2 {
			lo, hi := fd[k-1+o], fd[k+1+o]
			x := lo + 1
			if lo < hi {
				x = hi
			}
			y := x - k
			for x < xlim && y < ylim && d.x[x] == d.y[y] {
				x++
				y++
			}
			fd[k+o] = x
			if odd && bmin <= k && k <= bmax && bd[k+o] <= x {
				return x, y
			}
		}
		// One more edit backward.
		if bmin > dmin {
			bmin--
			bd[bmin-1+o] = math.MaxInt
		} else {
			bmin++
		}
		if bmax < dmax {
			bmax++
			bd[bmax+1+o] = math.MaxInt
		} else {
			bmax--
		}
		for k := bmax; k >= bmin; k -= 2 {
			lo, hi := bd[k-1+o], bd[k+1+o]
			x := hi - 1
			if lo < hi {
				x = lo
			}
			y := x - k
			for xoff < x && yoff < y && d.x[x-1] == d.y[y-1] {
				x--
				y--
			}
			bd[k+o] = x
			if !odd && fmin <= k && k <= fmax && x <= fd[k+o] {
				return x, y
			}
		}
		if c < d.tooExpensive {
			continue
		}
		// Too many edits: take whichever end got further.
		fbest, fxbest := -1, 0
		for k := fmax; k >= fmin; k -= 2 {
			x := min(fd[k+o], xlim)
			y := x - k
			if ylim < y {
				x, y = ylim+k, ylim
			}
			if fbest < x+y {
				fbest, fxbest = x+y, x
			}
		}
		bbest, bxbest := math.MaxInt, 0
		for k := bmax; k >= bmin; k -= 2 {
			x := max(xoff, bd[k+o])
			y := x - k
			if y < yoff {
				x, y = yoff+k, yoff
			}
			if x+y < bbest {
				bbest, bxbest = x+y, x
			}
		}
		if (xlim+ylim)-bbest < fbest-(xoff+yoff) {
			return fxbest, fbest - fxbest
		}
		return bxbest, bbest - bxbest
	}
}
