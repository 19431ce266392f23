package asmgen

// clamp emits the stores' clamp (package kernel's clamp type) on the
// vector registers regs: with flag fLeaky, x <= 0 times the slope; with
// fLo, max(x, lo); with fHi, min(x, hi). Each step is one test of the
// flags register for all of regs, so a tile pays only for the steps its
// activation has: ReLU one VMAXPS per register, as before the clamp was
// general. The bounds and the slope are fields lo, hi and slope of the
// argument struct typ at register base. tmp are free registers of regs'
// kind, two for Z (a K register, k, holds the leaky step's lanes) and
// four for Y; labels start with prefix.
func (f *file) clamp(regs []string, flags, base, typ string, tmp []string, k, prefix string) {
	z := regs[0][0] == 'Z'
	f.p("TESTQ $const_fLeaky, %s", flags)
	f.p("JZ %s_noleaky", prefix)
	zero, slope := tmp[0], tmp[1]
	if z {
		f.p("VPXORD %s, %s, %s", zero, zero, zero)
	} else {
		f.p("VXORPS %s, %s, %s", zero, zero, zero)
	}
	f.p("VBROADCASTSS %s_slope(%s), %s", typ, base, slope)
	for _, r := range regs {
		// Predicate 2, LE_OS: x <= 0, as act.Clamp.Apply has it (NaN
		// lanes keep their value).
		if z {
			f.p("VCMPPS $2, %s, %s, %s", zero, r, k)
			f.p("VMULPS %s, %s, %s, %s", slope, r, k, r)
		} else {
			t, m := tmp[2], tmp[3]
			f.p("VMULPS %s, %s, %s", slope, r, t)
			f.p("VCMPPS $2, %s, %s, %s", zero, r, m)
			f.p("VBLENDVPS %s, %s, %s, %s", m, t, r, r)
		}
	}
	f.label(prefix + "_noleaky")
	for _, b := range []struct{ flag, field, op string }{{"fLo", "lo", "VMAXPS"}, {"fHi", "hi", "VMINPS"}} {
		// The bound as the second source: a NaN becomes the bound, as the
		// ReLU of the stores always did (VMAXPS zero, x).
		f.p("TESTQ $const_%s, %s", b.flag, flags)
		f.p("JZ %s_no%s", prefix, b.field)
		f.p("VBROADCASTSS %s_%s(%s), %s", typ, b.field, base, tmp[0])
		for _, r := range regs {
			f.p("%s %s, %s, %s", b.op, tmp[0], r, r)
		}
		f.label(prefix + "_no" + b.field)
	}
}
