package compiler

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// A layerArgs holds a layer's arguments after binding: the positional
// value, the attributes by long name and the flags.
type layerArgs struct {
	pos      Value
	posRange diag.Range
	attrs    map[string]argValue
	flags    map[string]bool
	text     []string // the arguments as written, for labels
}

type argValue struct {
	v Value
	r diag.Range
}

// bindLayer sorts a layer's arguments into positional, attributes and
// flags. A bare identifier is a flag or a glued attribute (k3) when the
// layer has one of that name and no parameter or constant shadows it.
func (c *checker) bindLayer(a *grammar.Apply, spec *layerSpec, e *env) (*layerArgs, bool) {
	la := &layerArgs{attrs: map[string]argValue{}, flags: map[string]bool{}}
	ok, extra := true, false
	name := a.Name.Name
	set := func(at *attrSpec, v Value, r diag.Range) {
		if _, dup := la.attrs[at.long]; dup {
			c.errorf(r, diag.DuplicateName, "%s: attribute %s is given twice", name, at.long)
			ok = false
			return
		}
		la.attrs[at.long] = argValue{v, r}
	}
	for _, arg := range applyArgs(a) {
		r := argRange(arg)
		la.text = append(la.text, grammar.FormatArg(arg))
		switch {
		case arg.In:
			at := spec.attr("in")
			v, vok := c.eval(arg.Value, e)
			if at == nil {
				c.errorf(r, diag.UnknownAttribute, "%s has no attribute in", name).Note("hint", "only dense takes `in`, the number of input features it expects")
				ok = false
				continue
			}
			if vok {
				set(at, v, exprRange(arg.Value))
			}
			ok = ok && vok
			continue
		case arg.Key != nil:
			at := spec.attr(arg.Key.Name)
			v, vok := c.eval(arg.Value, e)
			if at == nil {
				c.unknownAttr(arg.Key.Name, identRange(arg.Key), spec, name, true)
				ok = false
				continue
			}
			if !vok {
				ok = false
				continue
			}
			if at == spec.positional {
				if la.pos != nil {
					c.errorf(r, diag.DuplicateName, "%s: %s is given twice", name, at.long)
					ok = false
					continue
				}
				la.pos, la.posRange = v, r
				continue
			}
			set(at, v, r)
			continue
		}
		if id := loneIdent(arg.Value); id != nil {
			isVar := c.has(e, id.Name)
			at, v, isShort := spec.shortAttr(id.Name)
			isFlag := spec.hasFlag(id.Name)
			switch {
			case (isShort || isFlag) && isVar:
				d := c.errorf(r, diag.AmbiguousAttribute, "%s is both a name in scope and an attribute of %s", id.Name, name)
				if isShort {
					d.Note("hint", "write %s=%s for the attribute, or rename the parameter", at.short, strings.TrimPrefix(id.Name, at.short))
				} else {
					d.Note("hint", "rename the parameter %s", id.Name)
				}
				ok = false
				continue
			case isFlag:
				la.flags[id.Name] = true
				continue
			case isShort:
				if v == nil {
					c.errorf(r, diag.Overflow, "%s: %s does not fit in 64 bits", name, id.Name)
					ok = false
					continue
				}
				set(at, v, r)
				continue
			case !isVar && meantAsValue(spec, id.Name, la.pos != nil):
				c.lookup(id, e) // reports the undefined name
				ok = false
				continue
			case !isVar:
				c.unknownAttr(id.Name, r, spec, name, false)
				ok = false
				continue
			}
		}
		v, vok := c.eval(arg.Value, e)
		if !vok {
			ok = false
			continue
		}
		if spec.positional == nil || la.pos != nil {
			// One report for all the values too many: hardtanh 0 6.
			if !extra {
				d := c.errorf(r, diag.WrongArgumentCount, "too many arguments for %s", name)
				switch {
				case spec.positional == nil && len(spec.attrs) > 0:
					var named []string
					for _, at := range spec.attrs {
						named = append(named, at.long+"=...")
					}
					d.Note("hint", "%s takes no value without a name: write %s %s", name, name, strings.Join(named, " "))
				case spec.positional == nil:
					d.Note("hint", "%s takes no value without a name; its attributes are %s", name, strings.Join(spec.names(), ", "))
				default:
					d.Note("hint", "%s takes one value without a name, its %s", name, spec.positional.long)
				}
			}
			extra, ok = true, false
			continue
		}
		la.pos, la.posRange = v, r
	}
	return la, ok
}

// meantAsValue guesses whether an unknown bare word was meant as the
// layer's positional value (conv width k3) rather than an attribute
// (conv 8 nobais): it is if it does not look like a glued attribute and
// the positional slot is still free.
func meantAsValue(spec *layerSpec, word string, posFilled bool) bool {
	return !looksShort(word) && spec.positional != nil && !posFilled
}

// unknownAttr reports an argument that is neither an attribute of the
// layer nor a name in scope.
func (c *checker) unknownAttr(word string, r diag.Range, spec *layerSpec, layer string, keyed bool) {
	var d *diag.Diagnostic
	if keyed {
		d = c.errorf(r, diag.UnknownAttribute, "%s has no attribute %s", layer, word)
	} else if m := shortRE.FindStringSubmatch(word); m != nil {
		d = c.errorf(r, diag.UnknownAttribute, "%s has no attribute %s (in %s)", layer, m[1], word)
	} else {
		d = c.errorf(r, diag.UnknownAttribute, "%s is not an attribute of %s nor a name in scope", word, layer)
	}
	cands := spec.names()
	if m := shortRE.FindStringSubmatch(word); m != nil {
		var shorts []string
		for _, a := range spec.attrs {
			if a.short != "" {
				shorts = append(shorts, a.short)
			}
		}
		if s := suggest(m[1], shorts); s != "" {
			d.Note("hint", "did you mean %s%s?", s, m[2])
			d.Fix("write "+s+m[2], r, s+m[2])
			return
		}
	}
	if s := suggest(word, cands); s != "" {
		d.Note("hint", "did you mean %s?", s)
		d.Fix("write "+s, r, s)
	} else if len(cands) > 0 {
		d.Note("hint", "%s takes %s", layer, strings.Join(cands, ", "))
	} else {
		d.Note("hint", "%s takes no attributes", layer)
	}
}

// intAttr returns an integer attribute, or def when it is absent.
func (c *checker) intAttr(la *layerArgs, name string, def int64, min int64, layer string) (int64, bool) {
	av, present := la.attrs[name]
	if !present {
		return def, true
	}
	return c.toInt(av.v, av.r, name, min, layer)
}

func (c *checker) toInt(v Value, r diag.Range, name string, min int64, layer string) (int64, bool) {
	n, isInt := v.(Int)
	if !isInt {
		c.errorf(r, diag.BadValue, "%s: %s must be an integer, have %s", layer, name, v.kind()).Note("have", "%s", v)
		return 0, false
	}
	if !c.inBounds(r, name, int64(n), min, layer) {
		return 0, false
	}
	return int64(n), true
}

// inBounds reports whether a layer's size x lies in [min, MaxDim],
// reporting it if not.
func (c *checker) inBounds(r diag.Range, name string, x, min int64, layer string) bool {
	if x < min {
		code := diag.BadValue
		if min == 1 {
			code = diag.NonPositiveSize
		}
		c.errorf(r, code, "%s: %s must be at least %d, have %d", layer, name, min, x)
		return false
	}
	if x > MaxDim {
		c.errorf(r, diag.Overflow, "%s: %s %d is over the largest size, %d", layer, name, x, MaxDim)
		return false
	}
	return true
}

// pairAttr returns an attribute that is an integer or a pair HxW.
func (c *checker) pairAttr(la *layerArgs, name string, def [2]int64, min int64, layer string) ([2]int64, bool) {
	av, present := la.attrs[name]
	if !present {
		return def, true
	}
	return c.toPair(av.v, av.r, name, min, layer)
}

func (c *checker) toPair(v Value, r diag.Range, name string, min int64, layer string) ([2]int64, bool) {
	var p [2]int64
	switch v := v.(type) {
	case Int:
		p = [2]int64{int64(v), int64(v)}
	case Tuple:
		if len(v) != 2 {
			c.errorf(r, diag.BadValue, "%s: %s must be an integer or a pair HxW, have a tuple of %d", layer, name, len(v)).Note("have", "%s", v)
			return p, false
		}
		for i, x := range v {
			n, isInt := x.(Int)
			if !isInt {
				c.errorf(r, diag.BadValue, "%s: %s must hold integers, have %s", layer, name, x.kind()).Note("have", "%s", v)
				return p, false
			}
			p[i] = int64(n)
		}
	default:
		c.errorf(r, diag.BadValue, "%s: %s must be an integer or a pair HxW, have %s", layer, name, v.kind()).Note("have", "%s", v)
		return p, false
	}
	for _, x := range p {
		if !c.inBounds(r, name, x, min, layer) {
			return p, false
		}
	}
	return p, true
}

func (c *checker) floatAttr(la *layerArgs, name string, def float64, layer string) (float64, diag.Range, bool) {
	av, present := la.attrs[name]
	if !present {
		return def, diag.Range{}, true
	}
	f, isNum := asFloat(av.v)
	if !isNum {
		c.errorf(av.r, diag.BadValue, "%s: %s must be a number, have %s", layer, name, av.v.kind()).Note("have", "%s", av.v)
		return def, av.r, false
	}
	return f, av.r, true
}

// layerLabel prints a layer as it reads in a summary.
func layerLabel(name string, la *layerArgs) string {
	if len(la.text) == 0 {
		return name
	}
	return name + " " + strings.Join(la.text, " ")
}

// pairText prints a kernel or stride the way a glued attribute writes it.
func pairText(p [2]int64) string {
	if p[0] == p[1] {
		return fmt.Sprint(p[0])
	}
	return fmt.Sprintf("%dx%d", p[0], p[1])
}
