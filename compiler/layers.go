package compiler

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cnnc/cnnc/grammar"
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

// A layerSpec describes a built-in layer kind: the one place that says
// what it is called, what it takes, how it reads, how it changes the shape
// and which parameters it owns. The compiler, the language server, the
// docs' layer table and the editor grammars all derive from these specs
// (layers_test.go checks the docs and grammars against them); lowering to
// the runtime is keyed by op (package internal/lower).
type layerSpec struct {
	op         Op
	family     Family
	torch      string    // the PyTorch module it mirrors: "nn.Conv2d"
	positional *attrSpec // the one argument written without a name, if any
	attrs      []attrSpec
	flags      []string
	doc        string
	// computeFree marks a layer that computes nothing at inference
	// (dropout, identity): it is not lowered.
	computeFree bool
	// shape checks the arguments, sets the node's attributes, parameters
	// and MACs, and returns the output; nil: the shape passes through.
	shape func(c *checker, n *Node, la *layerArgs, a *grammar.Apply, in flow) (flow, bool)
	// label prints the checked layer canonically; nil: its name.
	label func(n *Node) string
	// transparent: the layer is not a source of the shape's history in
	// messages (flatten, dropout, identity).
	transparent bool
}

// A Family groups the layers in the docs and in hovers.
type Family string

// The families of layers.
const (
	FamilyConv       Family = "convolution"
	FamilyPool       Family = "pooling"
	FamilyNorm       Family = "normalisation"
	FamilyActivation Family = "activation"
	FamilyStructure  Family = "structure"
)

var (
	kernelAttr   = attrSpec{"kernel", "k", kindPair}
	strideAttr   = attrSpec{"stride", "s", kindPair}
	paddingAttr  = attrSpec{"padding", "p", kindPair}
	dilationAttr = attrSpec{"dilation", "d", kindPair}
	groupsAttr   = attrSpec{"groups", "g", kindInt}
	poolAttrs    = []attrSpec{kernelAttr, strideAttr, paddingAttr}
)

// layerSpecs maps every layer name, aliases included, to its spec; the
// family files fill it with register.
var layerSpecs = map[string]*layerSpec{}

// register adds a layer kind under its op's name and its aliases.
func register(s *layerSpec, aliases ...string) {
	for _, name := range append([]string{string(s.op)}, aliases...) {
		if layerSpecs[name] != nil {
			panic("compiler: layer " + name + " registered twice")
		}
		layerSpecs[name] = s
	}
}

// A LayerInfo describes a built-in layer for tools: the language server,
// the docs and the tests that keep them in step.
type LayerInfo struct {
	Name        string
	Aliases     []string // other names of the same layer
	Op          Op
	Family      Family
	Torch       string
	Doc         string
	Attributes  []string // long names, positional first
	Flags       []string
	ComputeFree bool // nothing runs at inference
}

// Layers describes every built-in layer kind once (aliases folded in),
// sorted by name.
func Layers() []LayerInfo {
	var out []LayerInfo
	for _, name := range LayerNames() {
		s := layerSpecs[name]
		if name != string(s.op) {
			continue
		}
		info := LayerInfo{Name: name, Op: s.op, Family: s.family, Torch: s.torch, Doc: s.doc, Flags: s.flags, ComputeFree: s.computeFree}
		if s.positional != nil {
			info.Attributes = append(info.Attributes, s.positional.long)
		}
		for _, a := range s.attrs {
			info.Attributes = append(info.Attributes, a.long)
		}
		for alias, t := range layerSpecs {
			if t == s && alias != name {
				info.Aliases = append(info.Aliases, alias)
			}
		}
		sort.Strings(info.Aliases)
		out = append(out, info)
	}
	return out
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

// canonicalLabel prints a checked layer with its values, not the names
// that produced them: `conv 128 k3 s2 p1 nobias` for `conv c k3 s=s p1 nobias`.
func canonicalLabel(n *Node) string {
	if s := layerSpecs[string(n.Op)]; s != nil && s.label != nil {
		return s.label(n)
	}
	return string(n.Op)
}

func pairDims(p [2]int64) string { return fmt.Sprintf("%dx%d", p[0], p[1]) }

// ComputeFree reports whether a layer op computes nothing at inference
// (dropout, identity), so that lowering leaves it out.
func ComputeFree(op Op) bool {
	s := layerSpecs[string(op)]
	return s != nil && s.computeFree
}
