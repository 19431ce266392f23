package kernel

import "unsafe"

// The Winograd F(4x4,3x3) transforms work on groups of 16 tiles, one tile
// per vector lane: winoIn gathers each tile's 6x6 input patch through
// per-lane offsets (masked lanes read as zero, which is the padding), and
// winoOut scatters each tile's 4x4 outputs (masked to the map). The Go
// versions below define the semantics; the AVX-512 ones in
// winograd_amd64.s are tested against them through TestConv.

// winoInArgs is read by the assembly, fields by name (go_asm.h).
type winoInArgs struct {
	src     unsafe.Pointer // channel 0; idx offsets are relative to it
	idx     *[16]int32     // element offset of each tile's top-left
	masks   *[36]uint16    // lane mask of patch element r*6+c
	dst     unsafe.Pointer // V element 0, channel 0, this group's lanes
	plane   int            // bytes between input channels
	estride int            // bytes between the 36 V matrices
	cstride int            // bytes between V rows (channels)
	rowb    int            // bytes between input rows
	nc      int            // channels
	tmp     *[36 * 16]float32
}

// winoOutArgs is read by the assembly, fields by name (go_asm.h).
type winoOutArgs struct {
	m       unsafe.Pointer // M element 0, output channel 0, this group's lanes
	estride int            // bytes between the 36 M matrices
	mrow    int            // bytes between output channels in M
	dst     unsafe.Pointer // output channel 0; idx offsets relative
	idx     *[16]int32
	res     unsafe.Pointer // residual channel 0; ridx offsets relative
	ridx    *[16]int32
	masks   *[16]uint16    // lane mask of output pixel r*4+c
	bias    unsafe.Pointer // bias of output channel 0
	plane   int            // bytes between output channels
	roww    int            // bytes between output rows
	nc      int            // output channels
	flags   int            // fBias | fRes and the clamp's fLeaky | fLo | fHi
	tmp     *[36 * 16]float32

	lo, hi, slope float32
}

func f32at(p unsafe.Pointer, byteOff int) *float32 {
	return (*float32)(unsafe.Add(p, byteOff))
}

// bt applies B^T of F(4x4,3x3) to d.
func bt(d *[6]float32) (t [6]float32) {
	t[0] = 4*d[0] - 5*d[2] + d[4]
	a, b := d[4]-4*d[2], d[3]-4*d[1]
	t[1], t[2] = a+b, a-b
	a, b = d[4]-d[2], d[3]-d[1]
	t[3], t[4] = a+2*b, a-2*b
	t[5] = 4*d[1] - 5*d[3] + d[5]
	return t
}

// at applies A^T of F(4x4,3x3) to m.
func at(m *[6]float32) (y [4]float32) {
	a, b := m[1]+m[2], m[1]-m[2]
	c, d := m[3]+m[4], m[3]-m[4]
	y[0] = m[0] + a + c
	y[1] = b + 2*d
	y[2] = a + 4*c
	y[3] = b + 8*d + m[5]
	return y
}

func winoInGo(a *winoInArgs) {
	for ch := 0; ch < a.nc; ch++ {
		src := unsafe.Add(a.src, ch*a.plane)
		dst := unsafe.Add(a.dst, ch*a.cstride)
		for l := 0; l < 16; l++ {
			var d, t [6][6]float32
			for r := 0; r < 6; r++ {
				for c := 0; c < 6; c++ {
					if a.masks[r*6+c]>>l&1 != 0 {
						d[r][c] = *f32at(src, 4*int(a.idx[l])+r*a.rowb+4*c)
					}
				}
				t[r] = bt(&d[r])
			}
			for k := 0; k < 6; k++ {
				col := [6]float32{t[0][k], t[1][k], t[2][k], t[3][k], t[4][k], t[5][k]}
				v := bt(&col)
				for i := 0; i < 6; i++ {
					*f32at(dst, (i*6+k)*a.estride+4*l) = v[i]
				}
			}
		}
	}
}

func winoOutGo(a *winoOutArgs) {
	cl := clamp{lo: a.lo, hi: a.hi, slope: a.slope}
	for o := 0; o < a.nc; o++ {
		m := unsafe.Add(a.m, o*a.mrow)
		var bias float32
		if a.flags&fBias != 0 {
			bias = *f32at(a.bias, 4*o)
		}
		for l := 0; l < 16; l++ {
			var t [6][4]float32
			for i := 0; i < 6; i++ {
				var row [6]float32
				for k := 0; k < 6; k++ {
					row[k] = *f32at(m, (i*6+k)*a.estride+4*l)
				}
				t[i] = at(&row)
			}
			for c := 0; c < 4; c++ {
				col := [6]float32{t[0][c], t[1][c], t[2][c], t[3][c], t[4][c], t[5][c]}
				y := at(&col)
				for r := 0; r < 4; r++ {
					if a.masks[r*4+c]>>l&1 == 0 {
						continue
					}
					v := y[r] + bias
					if a.flags&fRes != 0 {
						v += *f32at(a.res, o*a.plane+4*int(a.ridx[l])+r*a.roww+4*c)
					}
					if a.flags&fClamp != 0 {
						v = cl.apply(a.flags, v)
					}
					*f32at(a.dst, o*a.plane+4*int(a.idx[l])+r*a.roww+4*c) = v
				}
			}
		}
	}
}
