package compiler

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// valueKind is what an attribute accepts.
type valueKind int

const (
	kindInt   valueKind = iota // a positive integer
	kindPair                   // an integer or a pair HxW
	kindFloat                  // a number
)

// An attrSpec describes one attribute of a layer.
type attrSpec struct {
	long  string // kernel
	short string // k: the glued form k3, and k=3
	kind  valueKind
}

// A layerSpec describes a built-in layer: what it is called, what it takes.
type layerSpec struct {
	op         Op
	positional *attrSpec // the one argument written without a name, if any
	attrs      []attrSpec
	flags      []string
	doc        string
}

var (
	kernelAttr   = attrSpec{"kernel", "k", kindPair}
	strideAttr   = attrSpec{"stride", "s", kindPair}
	paddingAttr  = attrSpec{"padding", "p", kindPair}
	dilationAttr = attrSpec{"dilation", "d", kindPair}
	groupsAttr   = attrSpec{"groups", "g", kindInt}
	poolAttrs    = []attrSpec{kernelAttr, strideAttr, paddingAttr}
)

// layerSpecs maps every layer name, aliases included, to its spec.
var layerSpecs = map[string]*layerSpec{
	"conv": {op: OpConv, positional: &attrSpec{"out", "", kindInt},
		attrs: []attrSpec{kernelAttr, strideAttr, paddingAttr, dilationAttr, groupsAttr}, flags: []string{"nobias"},
		doc: "2-D convolution (nn.Conv2d): `conv C kN [sN] [pN] [dN] [gN] [nobias]`"},
	"maxpool": {op: OpMaxPool, attrs: poolAttrs, flags: []string{"ceil"},
		doc: "max pooling (nn.MaxPool2d): `maxpool kN [sN] [pN] [ceil]`; the stride defaults to the kernel"},
	"avgpool": {op: OpAvgPool, attrs: poolAttrs, flags: []string{"ceil"},
		doc: "average pooling (nn.AvgPool2d, padding counted): `avgpool kN [sN] [pN] [ceil]`"},
	"adaptiveavgpool": {op: OpAdaptiveAvg, positional: &attrSpec{"size", "", kindPair},
		doc: "adaptive average pooling to a fixed size (nn.AdaptiveAvgPool2d): `adaptiveavgpool 6x6`"},
	"globalavgpool": {op: OpGlobalAvg, doc: "global average pooling to 1x1 (nn.AdaptiveAvgPool2d(1))"},
	"dense": {op: OpDense, positional: &attrSpec{"out", "", kindInt}, attrs: []attrSpec{{"in", "", kindInt}},
		flags: []string{"nobias"}, doc: "fully connected layer (nn.Linear): `dense N [in F] [nobias]`"},
	"flatten":   {op: OpFlatten, doc: "flattens [C, H, W] to [C*H*W] (nn.Flatten)"},
	"dropout":   {op: OpDropout, positional: &attrSpec{"p", "", kindFloat}, doc: "dropout (nn.Dropout): the identity at inference"},
	"batchnorm": {op: OpBatchNorm, attrs: []attrSpec{{"eps", "", kindFloat}, {"momentum", "", kindFloat}}, doc: "batch normalisation (nn.BatchNorm2d, or 1d on features), in inference form"},
	"relu":      {op: OpReLU, doc: "max(x, 0) (nn.ReLU)"},
	"sigmoid":   {op: OpSigmoid, doc: "1 / (1 + exp(-x)) (nn.Sigmoid)"},
	"tanh":      {op: OpTanh, doc: "tanh(x) (nn.Tanh)"},
	"leakyrelu": {op: OpLeakyReLU, positional: &attrSpec{"slope", "", kindFloat}, doc: "x for x > 0, else slope * x (nn.LeakyReLU, slope 0.01)"},
	"softmax":   {op: OpSoftmax, doc: "softmax over channels or features (nn.Softmax(dim=1))"},
	"identity":  {op: OpIdentity, doc: "the identity (nn.Identity)"},
}

func init() {
	layerSpecs["linear"] = layerSpecs["dense"]
	layerSpecs["gap"] = layerSpecs["globalavgpool"]
}

// LayerNames lists the built-in layers, aliases included, sorted.
func LayerNames() []string {
	names := make([]string, 0, len(layerSpecs))
	for n := range layerSpecs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LayerDoc returns the one-line documentation of a built-in layer.
func LayerDoc(name string) (string, bool) {
	s, ok := layerSpecs[name]
	if !ok {
		return "", false
	}
	return s.doc, true
}

// LayerAttributes lists the attribute and flag names a layer accepts, for completion.
func LayerAttributes(name string) []string {
	s, ok := layerSpecs[name]
	if !ok {
		return nil
	}
	return s.names()
}

// attr finds an attribute by its long or short name.
func (s *layerSpec) attr(name string) *attrSpec {
	for i := range s.attrs {
		if s.attrs[i].long == name || s.attrs[i].short == name {
			return &s.attrs[i]
		}
	}
	if s.positional != nil && s.positional.long == name {
		return s.positional
	}
	return nil
}

func (s *layerSpec) hasFlag(name string) bool {
	for _, f := range s.flags {
		if f == name {
			return true
		}
	}
	return false
}

// names lists everything a bare or keyed argument of the layer may be called.
func (s *layerSpec) names() []string {
	var out []string
	for _, a := range s.attrs {
		out = append(out, a.long)
		if a.short != "" {
			out = append(out, a.short)
		}
	}
	return append(out, s.flags...)
}

var shortRE = regexp.MustCompile(`^([a-z]+)([0-9]+(?:x[0-9]+)?)$`)

// shortAttr splits a glued attribute such as k3 or k1x7 into its
// attribute and value, if the layer has an attribute of that short name.
func (s *layerSpec) shortAttr(word string) (*attrSpec, Value, bool) {
	m := shortRE.FindStringSubmatch(word)
	if m == nil {
		return nil, nil, false
	}
	var a *attrSpec
	for i := range s.attrs {
		if s.attrs[i].short == m[1] {
			a = &s.attrs[i]
		}
	}
	if a == nil {
		return nil, nil, false
	}
	if strings.Contains(m[2], "x") {
		t, err := parseDims(m[2])
		if err != nil {
			return a, nil, true
		}
		return a, t, true
	}
	n, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil {
		return a, nil, true
	}
	return a, Int(n), true
}

// looksShort reports whether word has the form of a glued attribute.
func looksShort(word string) bool { return shortRE.MatchString(word) }
