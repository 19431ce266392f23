package act

import (
	"math"
	"testing"
)

// TestTable checks that every kind is described, named once and has a
// reference meaning.
func TestTable(t *testing.T) {
	seen := map[string]Kind{}
	for k := range NumKinds {
		info := Table[k]
		if info.Name == "" || info.Doc == "" || info.Torch == "" {
			t.Errorf("kind %d is not fully described: %+v", k, info)
		}
		for _, n := range append([]string{info.Name}, info.Aliases...) {
			if prev, dup := seen[n]; dup {
				t.Errorf("%s names kinds %d and %d", n, prev, k)
			}
			seen[n] = k
		}
		if len(info.Params) > 2 {
			t.Errorf("%s has %d parameters; a Func holds two", info.Name, len(info.Params))
		}
		if math.IsNaN(Default(k).Eval(0.5)) {
			t.Errorf("%s has no reference meaning", info.Name)
		}
		if k != None {
			if got, ok := Lookup(info.Name); !ok || got != k {
				t.Errorf("Lookup(%q) = %d, %v", info.Name, got, ok)
			}
		}
	}
	if _, ok := Lookup("none"); ok {
		t.Errorf("none is not a layer")
	}
}

// TestEval checks values PyTorch 1.13 prints for each module.
func TestEval(t *testing.T) {
	for _, c := range []struct {
		f    Func
		x    float64
		want float64
	}{
		{Default(ReLU6), 7, 6},
		{Func{Kind: HardTanh, A: -2, B: 2}, -3, -2},
		{Default(HardSwish), 1, 0.6666666666666666},
		{Default(HardSigmoid), 1, 0.6666666666666666},
		{Default(SiLU), 1, 0.7310585786300049},
		{Default(GELU), 1, 0.8413447460685429},
		{Func{Kind: GELU, A: 1}, 1, 0.8411919906082768},
		{Default(Mish), 1, 0.8650983882673103},
		{Default(ELU), -1, -0.6321205588285577},
		{Default(SELU), -1, -1.1113307378125628},
		{Default(Softplus), 1, 1.3132616875182228},
		{Default(Softplus), 30, 30},
		{Default(Mish), 1000, 1000},
		{Default(SiLU), -1000, 0},
		{Default(LeakyReLU), -2, -0.02},
	} {
		if got := c.f.Eval(c.x); math.Abs(got-c.want) > 1e-12*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%v at %g = %.17g, want %.17g", c.f, c.x, got, c.want)
		}
	}
}

// TestClamp checks that the clamp form agrees with the reference.
func TestClamp(t *testing.T) {
	for _, f := range []Func{Default(None), Default(ReLU), Default(ReLU6), {Kind: HardTanh, A: -0.5, B: 2}, {Kind: LeakyReLU, A: 0.2}, {Kind: LeakyReLU, A: -3}} {
		c, ok := f.Clamp()
		if !ok {
			t.Fatalf("%v has no clamp", f)
		}
		for x := float32(-10); x <= 10; x += 0.25 {
			// A float32 slope times x is within an ulp of the float64 product.
			if got, want := c.Apply(x), f.Eval(float64(x)); math.Abs(float64(got)-want) > 1e-7*math.Abs(want) {
				t.Errorf("%v clamp at %g = %g, want %g", f, x, got, want)
			}
		}
	}
	if _, ok := Default(SiLU).Clamp(); ok {
		t.Errorf("silu is not a clamp")
	}
}

func TestString(t *testing.T) {
	for f, want := range map[Func]string{
		Default(ReLU): "relu", {Kind: LeakyReLU, A: 0.2}: "leakyrelu 0.2", {Kind: HardTanh, A: -2, B: 2}: "hardtanh lower=-2 upper=2", Default(ELU): "elu 1",
		{Kind: GELU, A: 1}: "gelu tanh", Default(GELU): "gelu",
	} {
		if got := f.String(); got != want {
			t.Errorf("String() = %q, want %q", got, want)
		}
	}
}
