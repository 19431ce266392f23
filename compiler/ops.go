package compiler

import (
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// MaxDim bounds every size written in a source or computed for one axis, so
// that spatial arithmetic cannot overflow; products of sizes are checked.
const MaxDim = 1<<31 - 1

// layer checks one built-in layer: its arguments, its output shape, its
// parameters and cost.
func (c *checker) layer(a *grammar.Apply, spec *layerSpec, e *env, key string, in flow, r diag.Range) (*Node, flow) {
	n := &Node{Kind: KindLayer, Op: spec.op, Key: key, In: in.shape, Range: r, Calls: c.callRanges()}
	c.layers++
	if c.layers > MaxLayers {
		c.errorf(r, diag.LimitExceeded, "the model expands to more than %d layers", MaxLayers)
		c.stop = true
		n.Failed = true
		return n, flow{}
	}
	la, ok := c.bindLayer(a, spec, e)
	n.Label = layerLabel(a.Name.Name, la)
	if !ok {
		n.Failed = true
		return n, flow{}
	}
	out, ok := flow{shape: in.shape, hist: in.hist, flat: in.flat}, true
	if spec.shape != nil {
		out, ok = spec.shape(c, n, la, a, in)
	}
	if !spec.transparent {
		out.src = shortName(n)
	}
	n.Out = out.shape
	n.Failed = n.Failed || !ok
	if ok {
		n.Label = canonicalLabel(n)
	}
	return n, out
}

func after(src string) string {
	if src == "" {
		return ""
	}
	return " after " + src
}

func orInput(src string) string {
	if src == "" {
		return "the input"
	}
	return src
}

// shortName names a layer briefly: its member name, or its label.
func shortName(n *Node) string {
	seg := n.Key[strings.LastIndexByte(n.Key, '.')+1:]
	if seg == "" || (seg[0] >= '0' && seg[0] <= '9') {
		return n.Label
	}
	return seg
}

// describe names a layer in a message: "s4 (maxpool k3 s2)" or "maxpool k3 s2".
func describe(n *Node) string {
	seg := n.Key[strings.LastIndexByte(n.Key, '.')+1:]
	if seg == "" || (seg[0] >= '0' && seg[0] <= '9') {
		return n.Label
	}
	return seg + " (" + n.Label + ")"
}

// needMap reports whether in is a known [C, H, W] map, reporting a vector.
func (c *checker) needMap(n *Node, in flow) bool {
	if !in.shape.Known() {
		return false
	}
	if !in.shape.IsMap() {
		d := c.errorf(n.Range, diag.WrongRank, "%s needs a [C, H, W] feature map, have the feature vector %s", describe(n), in.shape)
		if in.flat != nil {
			d.Note("hint", "the map was flattened%s; move flatten after the last convolution or pooling", after(in.flat.key))
		}
		n.Failed = true
		return false
	}
	return true
}

// param records one tensor of a layer's state, reporting a key that
// another layer already has.
func (c *checker) param(n *Node, name string, s Shape, buffer bool, init Init) {
	key := name
	if n.Key != "" {
		key = n.Key + "." + name
	}
	p := &Param{Name: key, Shape: s, Buffer: buffer, Layer: n, Init: init}
	if prev, dup := c.keys[key]; dup {
		if !n.Failed {
			d := c.errorf(n.Range, diag.DuplicateParameter, "parameter %s is produced by two layers", key)
			d.Related = append(d.Related, diag.Related{Range: prev.Layer.Range, Message: "the other layer"})
			d.Note("hint", "name the members (NAME: layer) so that their keys differ")
		}
		n.Failed = true
		return
	}
	c.keys[key] = p
	n.Params = append(n.Params, p)
	c.params = append(c.params, p)
}
