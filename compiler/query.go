package compiler

import "github.com/cnnc/cnnc/grammar"

// Queries on a checked file for editors: which definitions and constants a
// name can refer to, resolved exactly as the checker resolves it, so that
// the language server needs no second resolver.

// A Symbol is a definition or a constant visible in a checked file.
type Symbol struct {
	Name string
	File string       // the declaring file, as diagnostics name it (stdlib/resnet.cnn for the standard library)
	Def  *grammar.Def // set for a definition
	Let  *grammar.Let // set for a constant
	Doc  string       // the declaration's doc comment
}

// LookupDef finds the definition a call of name in the checked file
// expands: the file's own, then its imports', then the standard library's.
func (r *Result) LookupDef(name string) (Symbol, bool) {
	if r.prog == nil || r.prog.main == nil {
		return Symbol{}, false
	}
	d, u := r.prog.lookupDef(r.prog.main, name)
	if d == nil {
		return Symbol{}, false
	}
	return Symbol{Name: name, File: u.name, Def: d, Doc: declDoc(u, d, nil)}, true
}

// LookupLet finds the constant that name denotes in an expression of the
// checked file (outside a definition's parameters), in the same order.
func (r *Result) LookupLet(name string) (Symbol, bool) {
	if r.prog == nil || r.prog.main == nil {
		return Symbol{}, false
	}
	l, u := r.prog.lookupLet(r.prog.main, name)
	if l == nil {
		return Symbol{}, false
	}
	return Symbol{Name: name, File: u.name, Let: l, Doc: declDoc(u, nil, l)}, true
}

// Symbols lists the definitions and constants visible in the checked file:
// its own, then its imports', then the standard library's, each name once
// (the one that shadows the others).
func (r *Result) Symbols() []Symbol {
	if r.prog == nil || r.prog.main == nil {
		return nil
	}
	var out []Symbol
	seen := map[string]bool{}
	add := func(u *unit) {
		for _, d := range u.ast.Decls {
			var s Symbol
			switch {
			case d.Def != nil:
				s = Symbol{Name: d.Def.Name.Name, File: u.name, Def: d.Def, Doc: d.Doc}
			case d.Let != nil:
				s = Symbol{Name: d.Let.Name.Name, File: u.name, Let: d.Let, Doc: d.Doc}
			default:
				continue
			}
			k := s.Name
			if s.Let != nil {
				k = "let " + k
			}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, s)
		}
	}
	add(r.prog.main)
	for _, imp := range r.prog.main.imports {
		add(imp)
	}
	for _, pu := range r.prog.prelude {
		add(pu)
	}
	return out
}

// Files lists the names of every file the check read: the file itself
// first, then its imports, in no particular order (the standard library's
// files are not included).
func (r *Result) Files() []string {
	if r.prog == nil || r.prog.main == nil {
		return nil
	}
	out := []string{r.prog.main.name}
	for name := range r.prog.units {
		if name != r.prog.main.name {
			out = append(out, name)
		}
	}
	return out
}

func declDoc(u *unit, def *grammar.Def, let *grammar.Let) string {
	for _, d := range u.ast.Decls {
		if (def != nil && d.Def == def) || (let != nil && d.Let == let) {
			return d.Doc
		}
	}
	return ""
}

// An Attribute is one attribute or flag of a built-in layer.
type Attribute struct {
	Name  string // the long form: kernel, in, nobias
	Short string // the glued short form's letter, k for k3; "" if none
	Flag  bool   // a flag, written bare: nobias, ceil
}

// LayerAttrs lists the attributes and flags of a built-in layer, in the
// order the language reference gives them; nil for an unknown layer.
func LayerAttrs(layer string) []Attribute {
	s, ok := layerSpecs[layer]
	if !ok {
		return nil
	}
	var out []Attribute
	for _, a := range s.attrs {
		out = append(out, Attribute{Name: a.long, Short: a.short})
	}
	for _, f := range s.flags {
		out = append(out, Attribute{Name: f, Flag: true})
	}
	return out
}
