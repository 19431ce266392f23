package kernel

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/cnnc/cnnc/act"
)

// A Dense is a fully connected layer, y = W x + b with W [out, in].
//
// At batch 1-8 it is a matrix-vector product bound by memory bandwidth
// (VGG-16's first dense layer streams 411 MB of weights), so the rows are
// split over the workers and each is read once from memory against up to eight
// input vectors; larger batches run the packed GEMM, whose weights are packed on
// first use.
type Dense struct {
	in, out int
	w       []float32
	bias    []float32
	asm     bool

	once sync.Once
	pa   *PackedA // W packed, for batches > gemvMaxBatch

	mu   sync.Mutex
	free []*denseTask
}

// gemvMaxBatch is the widest batch the GEMV kernels serve.
const gemvMaxBatch = 8

// NewDense wraps weight ([out, in], kept, not copied) and bias (len out, or
// nil).
func NewDense(in, out int, weight, bias []float32) *Dense {
	if len(weight) != in*out {
		panic(fmt.Sprintf("kernel: dense %d->%d: weight has %d elements, want %d", in, out, len(weight), in*out))
	}
	if bias != nil && len(bias) != out {
		panic(fmt.Sprintf("kernel: dense %d->%d: bias has %d elements, want %d", in, out, len(bias), out))
	}
	return &Dense{in: in, out: out, w: weight, bias: bias, asm: isa == AVX512}
}

// In and Out report the layer's sizes.
func (d *Dense) In() int  { return d.in }
func (d *Dense) Out() int { return d.out }

// gemvArgs is read by the assembly, fields by name (go_asm.h).
type gemvArgs struct {
	w    unsafe.Pointer // first of 4 rows
	ldw  int            // bytes between rows
	x    unsafe.Pointer // first input vector
	ldx  int            // bytes between input vectors
	full int            // whole 16-float steps
	mask uint64         // lanes of the last partial step
	y    unsafe.Pointer // y[0][0]; y[v][r] at y + v*ldy + 4r
	ldy  int
}

type denseTask struct {
	d       *Dense
	dst     []float32
	src     []float32
	n       int
	cl      clamp    // the activation's part the stores apply
	rest    act.Func // and the part that runs after them
	parts   int
	s       split
	tmp     [4 * gemvMaxBatch]float32
	cbuf    []float32 // GEMM path: C as out x n
	scratch []float32
	per     int
}

// Run computes dst[n, out] = f(src[n, in] · W^T + b). It allocates only
// on the first call with n > 8 (packing W) or when more goroutines than
// ever before run it at once.
func (d *Dense) Run(pool *Pool, dst, src []float32, n int, f act.Func) {
	if n <= 0 {
		return
	}
	if len(src) < n*d.in || len(dst) < n*d.out {
		panic(fmt.Sprintf("kernel: dense %d->%d: src/dst too short for batch %d", d.in, d.out, n))
	}
	t := d.get()
	t.dst, t.src, t.n = dst, src, n
	t.cl, t.rest = splitAct(f)
	par := pool.Workers()
	if int64(d.in)*int64(d.out)*int64(n) < minParallelWork {
		par = 1
	}
	if n <= gemvMaxBatch {
		// Rows in blocks of 4, a few blocks per worker for balance.
		blocks := (d.out + 3) / 4
		t.parts = min(blocks, 4*par)
		pool.run(t.parts, par, t)
	} else {
		d.once.Do(func() { d.pa = PackA(d.out, d.in, d.w, d.in) })
		per := bufSize(d.pa.kc)
		if need := d.out*n + par*per; len(t.scratch) < need {
			t.scratch = make([]float32, need)
		}
		t.cbuf = t.scratch[:d.out*n]
		t.per = per
		t.s = newSplit(d.out, n, d.pa.mr, d.pa.nr, par)
		pool.run(t.s.parts, par, t)
	}
	d.put(t)
}

func (d *Dense) get() *denseTask {
	d.mu.Lock()
	defer d.mu.Unlock()
	if k := len(d.free); k > 0 {
		t := d.free[k-1]
		d.free = d.free[:k-1]
		return t
	}
	return &denseTask{d: d}
}

func (d *Dense) put(t *denseTask) {
	*t = denseTask{d: d, scratch: t.scratch}
	d.mu.Lock()
	d.free = append(d.free, t)
	d.mu.Unlock()
}

func (t *denseTask) do(slot, i int) {
	d := t.d
	if t.n > gemvMaxBatch {
		t.gemm(slot, i)
		return
	}
	blocks := (d.out + 3) / 4
	r0, r1 := blocks*i/t.parts*4, min(d.out, blocks*(i+1)/t.parts*4)
	var a gemvArgs
	for r := r0; r < r1; r += 4 {
		if r+4 > d.out && (d.out < 4 || !d.asm) {
			for o := r; o < d.out; o++ {
				for v := 0; v < t.n; v++ {
					t.dst[v*d.out+o] = dot(d.w[o*d.in:(o+1)*d.in], t.src[v*d.in:(v+1)*d.in])
				}
			}
			break
		}
		if !d.asm {
			for o := r; o < r+4; o++ {
				for v := 0; v < t.n; v++ {
					t.dst[v*d.out+o] = dot(d.w[o*d.in:(o+1)*d.in], t.src[v*d.in:(v+1)*d.in])
				}
			}
			continue
		}
		// A last block short of 4 rows is computed over the 4 rows ending
		// at out, into tmp, and only its own rows are kept: recomputing a
		// row is cheaper than a scalar tail.
		rr := min(r, d.out-4)
		tmp := &t.tmp // only the part holding the last block uses it
		a = gemvArgs{
			w: unsafe.Pointer(&d.w[rr*d.in]), ldw: 4 * d.in,
			x: unsafe.Pointer(&t.src[0]), ldx: 4 * d.in,
			full: d.in / 16, mask: 1<<(d.in%16) - 1,
			y: unsafe.Pointer(&t.dst[rr]), ldy: 4 * d.out,
		}
		if rr != r {
			a.y, a.ldy = unsafe.Pointer(&tmp[0]), 16
		}
		// Vectors four at a time; the 4 rows (4*in floats) stay in L2
		// between the passes, so W still streams from memory once.
		y0 := a.y
		for v := 0; v < t.n; {
			a.x = unsafe.Pointer(&t.src[v*d.in])
			a.y = unsafe.Add(y0, v*a.ldy)
			if t.n-v >= 4 {
				gemvAVX512x4(&a)
				v += 4
			} else {
				gemvAVX512x1(&a)
				v++
			}
		}
		if rr != r {
			for v := 0; v < t.n; v++ {
				copy(t.dst[v*d.out+r:v*d.out+d.out], tmp[v*4+r-rr:v*4+4])
			}
		}
	}
	for v := 0; v < t.n; v++ {
		y := t.dst[v*d.out+r0 : v*d.out+r1]
		if d.bias != nil {
			for j, b := range d.bias[r0:r1] {
				y[j] += b
			}
		}
		t.cl.applyTo(y)
		activate(t.rest, y)
	}
}

// dot is the pure-Go inner product, four partial sums for speed.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// matBT is B = X^T for a row-major X (rows ld apart): the dense layer's
// input batch as GEMM columns.
type matBT struct {
	x  []float32
	ld int
}

func (m matBT) pack(dst []float32, k0, kc, n0, nc, nr int) {
	for jr := 0; jr < nc; jr += nr {
		pan := dst[jr*kc : jr*kc+kc*nr]
		clear(pan)
		for jj := 0; jj < min(nr, nc-jr); jj++ {
			row := m.x[(n0+jr+jj)*m.ld+k0:][:kc]
			for k, v := range row {
				pan[k*nr+jj] = v
			}
		}
	}
}

// gemm computes part i of C = W · X^T (out x n) and transposes it into dst.
func (t *denseTask) gemm(slot, i int) {
	d := t.d
	m0, m1, n0, n1 := t.s.bounds(i)
	out := gemmOut{c: t.cbuf, ldc: t.n, bias: d.bias, cl: t.cl}
	buf := t.scratch[d.out*t.n+slot*t.per:][:t.per]
	gemmBlock(d.pa, matBT{x: t.src, ld: d.in}, &out, m0, m1, n0, n1, buf)
	for j := n0; j < n1; j++ {
		y := t.dst[j*d.out : (j+1)*d.out]
		for o := m0; o < m1; o++ {
			y[o] = t.cbuf[o*t.n+j]
		}
		activate(t.rest, y[m0:m1])
	}
}
