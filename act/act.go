// Package act defines the elementwise activations of cnnc once, for every
// stage of the pipeline: their names, parameters and documentation (the
// compiler's activation layers are built from this table), their meaning
// in float64 (the reference every implementation is tested against), and
// a portable float32 implementation. The runtime's kernels import it for
// the vectorised forms and for the store's clamp (Clamp). It imports
// nothing of the module, so the compiler and the language server can use
// it without linking any kernel.
//
// Adding an activation is one entry in Table, its Eval case, and,
// for speed, a vectorised form in runtime/kernel; the kernels fall back to
// Apply for a kind they have no vector form of.
package act

import (
	"fmt"
	"strconv"
	"strings"
)

// A Kind is one elementwise activation.
type Kind uint8

// The activations; see Table for their meaning and parameters.
const (
	None Kind = iota
	ReLU
	LeakyReLU
	ReLU6
	HardTanh
	Sigmoid
	Tanh
	HardSwish
	HardSigmoid
	SiLU
	GELU
	Mish
	ELU
	SELU
	Softplus
	NumKinds // the number of kinds; not an activation
)

// A Func is an activation with its parameters, A and B, whose meaning
// depends on the kind (Info.Params names them): the leaky ReLU's slope,
// hardtanh's bounds, ELU's alpha, softplus's beta and threshold, GELU's
// approximation (0 exact, 1 tanh). The zero Func is the identity.
type Func struct {
	Kind Kind
	A, B float64
}

// A Param is a parameter of an activation: its name in the language and
// its default (PyTorch's).
type Param struct {
	Name    string
	Default float64
}

// Info describes an activation kind.
type Info struct {
	Name    string   // the layer name in the language
	Aliases []string // other layer names for it
	Torch   string   // the PyTorch module it mirrors
	Params  []Param  // A, then B
	Doc     string   // one line, for hovers and the docs' layer table
	// Flag, if set, names a parameter written as a bare word that sets it
	// to 1 (gelu's tanh approximation: `gelu tanh`).
	Flag string
}

// Table describes every kind but None, indexed by Kind.
var Table = [NumKinds]Info{
	None:      {Name: "none", Torch: "nn.Identity", Doc: "the identity"},
	ReLU:      {Name: "relu", Torch: "nn.ReLU", Doc: "max(x, 0)"},
	LeakyReLU: {Name: "leakyrelu", Torch: "nn.LeakyReLU", Params: []Param{{"slope", 0.01}}, Doc: "x for x > 0, else slope * x"},
	ReLU6:     {Name: "relu6", Torch: "nn.ReLU6", Doc: "min(max(x, 0), 6)"},
	HardTanh: {Name: "hardtanh", Torch: "nn.Hardtanh", Params: []Param{{"lower", -1}, {"upper", 1}},
		Doc: "x clamped to [lower, upper] (default -1 and 1)"},
	Sigmoid:     {Name: "sigmoid", Torch: "nn.Sigmoid", Doc: "1 / (1 + exp(-x))"},
	Tanh:        {Name: "tanh", Torch: "nn.Tanh", Doc: "tanh(x)"},
	HardSwish:   {Name: "hardswish", Torch: "nn.Hardswish", Doc: "x * relu6(x + 3) / 6"},
	HardSigmoid: {Name: "hardsigmoid", Torch: "nn.Hardsigmoid", Doc: "relu6(x + 3) / 6"},
	SiLU:        {Name: "silu", Aliases: []string{"swish"}, Torch: "nn.SiLU", Doc: "x * sigmoid(x)"},
	GELU: {Name: "gelu", Torch: "nn.GELU", Params: []Param{{"tanh", 0}}, Flag: "tanh",
		Doc: "x * Φ(x), Φ the normal distribution (exact, with erf); `gelu tanh` for the tanh approximation"},
	Mish: {Name: "mish", Torch: "nn.Mish", Doc: "x * tanh(softplus(x))"},
	ELU:  {Name: "elu", Torch: "nn.ELU", Params: []Param{{"alpha", 1}}, Doc: "x for x > 0, else alpha * (exp(x) - 1)"},
	SELU: {Name: "selu", Torch: "nn.SELU", Doc: "scale * elu(x, alpha) with SELU's fixed alpha and scale"},
	Softplus: {Name: "softplus", Torch: "nn.Softplus", Params: []Param{{"beta", 1}, {"threshold", 20}},
		Doc: "log(1 + exp(beta * x)) / beta, x where beta * x > threshold"},
}

// Info returns the description of f's kind.
func (f Func) Info() Info { return Table[f.Kind] }

// Default returns the activation of kind k with PyTorch's default
// parameters.
func Default(k Kind) Func {
	f := Func{Kind: k}
	ps := Table[k].Params
	if len(ps) > 0 {
		f.A = ps[0].Default
	}
	if len(ps) > 1 {
		f.B = ps[1].Default
	}
	return f
}

// Lookup finds an activation by its name or an alias.
func Lookup(name string) (Kind, bool) {
	for k := range NumKinds {
		info := Table[k]
		if k != None && info.Name == name {
			return k, true
		}
		for _, a := range info.Aliases {
			if a == name {
				return k, true
			}
		}
	}
	return None, false
}

// String prints f as the language writes it: "relu", "leakyrelu 0.2"
// (a lone parameter bare), "hardtanh lower=-2 upper=2", "gelu tanh" (a
// flag parameter by its name when set).
func (f Func) String() string {
	if f.Kind >= NumKinds {
		return fmt.Sprintf("act(%d)", int(f.Kind))
	}
	info := Table[f.Kind]
	parts := []string{info.Name}
	for i, p := range info.Params {
		v := f.A
		if i == 1 {
			v = f.B
		}
		switch {
		case p.Name == info.Flag:
			if v != 0 {
				parts = append(parts, p.Name)
			}
		case len(info.Params) == 1:
			parts = append(parts, strconv.FormatFloat(v, 'g', -1, 64))
		default:
			parts = append(parts, p.Name+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	return strings.Join(parts, " ")
}

// Valid reports whether f is a known kind with usable parameters.
func (f Func) Valid() error {
	switch {
	case f.Kind >= NumKinds:
		return fmt.Errorf("unknown activation %d", int(f.Kind))
	case f.Kind == HardTanh && !(f.A < f.B):
		return fmt.Errorf("hardtanh: the lower bound %g must be below the upper bound %g", f.A, f.B)
	case f.Kind == Softplus && f.A == 0:
		return fmt.Errorf("softplus: beta must not be 0")
	}
	return nil
}
