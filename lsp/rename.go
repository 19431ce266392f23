package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

// A target is what a name denotes, the same in every analysis that reads
// the file declaring it: a definition, a constant, a parameter, a model or
// a member, known by its kind and where its name is declared.
type target struct {
	kind role // roleDef, roleLet, roleParam, roleModel or roleMember
	file string
	off  int // the declared name's byte offset in file
	name string
	def  *grammar.Def      // a parameter's definition
	peer []*grammar.Member // a member's sequence
}

func (t target) same(u target) bool { return t.kind == u.kind && t.file == u.file && t.off == u.off }

// resolve returns the target of the name r in analysis a, resolved as the
// checker resolves it, or an error saying why the name has none a rename
// could change (a built-in layer, an attribute).
func resolve(a *analysis, r *ref) (target, error) {
	file, name := a.result.File.Name, r.id.Name
	switch r.role {
	case roleModel, roleDef, roleLet, roleMember:
		return target{kind: r.role, file: file, off: r.id.Pos.Offset, name: name, peer: r.peers}, nil
	case roleParam:
		return target{kind: roleParam, file: file, off: r.id.Pos.Offset, name: name, def: r.def}, nil
	case roleApply:
		if isLayer(name) {
			return target{}, fmt.Errorf("%s is a built-in layer", name)
		}
		if sym, ok := a.result.LookupDef(name); ok {
			return target{kind: roleDef, file: sym.File, off: sym.Def.Name.Pos.Offset, name: name}, nil
		}
		return target{}, fmt.Errorf("%s is not defined", name)
	case roleArgKey:
		owner := r.apply.Name.Name
		if isLayer(owner) {
			return target{}, fmt.Errorf("%s is an attribute of the built-in layer %s", name, owner)
		}
		if sym, ok := a.result.LookupDef(owner); ok {
			if id := paramIdent(sym.Def, name); id != nil {
				return target{kind: roleParam, file: sym.File, off: id.Pos.Offset, name: name, def: sym.Def}, nil
			}
		}
		return target{}, fmt.Errorf("%s is not a parameter of %s", name, owner)
	case roleExpr:
		if r.def != nil && hasParam(r.def, name) {
			return target{kind: roleParam, file: file, off: paramIdent(r.def, name).Pos.Offset, name: name, def: r.def}, nil
		}
		if sym, ok := a.result.LookupLet(name); ok {
			return target{kind: roleLet, file: sym.File, off: sym.Let.Name.Pos.Offset, name: name}, nil
		}
		if r.bare {
			return target{}, fmt.Errorf("%s is an attribute", name)
		}
		return target{}, fmt.Errorf("%s is not defined", name)
	}
	return target{}, fmt.Errorf("%s is a model option", name)
}

// targetAt resolves the name at a position of a document's current text.
func targetAt(d *document, p Position) (*ref, target, error) {
	a := d.an
	if a.result == nil {
		return nil, target{}, fmt.Errorf("the file is being checked")
	}
	r := a.names().at(a.lines.offset(p))
	if r == nil {
		return nil, target{}, fmt.Errorf("there is no name here")
	}
	t, err := resolve(a, r)
	return r, t, err
}

// An occurrence is one place a target is written.
type occurrence struct {
	a   *analysis
	ref *ref
	loc Location
}

// analyses returns the analyses to search for t, by file name: those of
// the open documents, and that of the file declaring t, checked here if it
// is not open (the standard library's files excepted: they are read-only,
// and their calls of their own definitions cannot change).
func (s *Server) analyses(d *document, t target) map[string]*analysis {
	out := map[string]*analysis{}
	for _, o := range s.docs {
		if o.an != nil && o.an.result != nil && !o.tooLarge() {
			out[o.name] = o.an
		}
	}
	if out[t.file] == nil && !strings.HasPrefix(t.file, compiler.StdlibPrefix) {
		if text := s.textOf(d.an, t.file); text != nil {
			out[t.file] = s.analyze(t.file, text)
		}
	}
	return out
}

// occurrences lists where t is written in the analyses, sorted by file
// and position. A document that does not parse counts with what parsed of
// it; the files that import t's and are not open are not read.
func (s *Server) occurrences(ctx context.Context, all map[string]*analysis, t target) ([]occurrence, error) {
	var out []occurrence
	for _, name := range sortedKeys(all) {
		if ctx.Err() != nil {
			return nil, errCancelled
		}
		a := all[name]
		if a.result == nil || (t.kind == roleMember || t.kind == roleModel) && name != t.file {
			continue
		}
		x := a.names()
		for i := range x.refs {
			r := &x.refs[i]
			if r.id.Name != t.name {
				continue
			}
			if u, err := resolve(a, r); err == nil && u.same(t) {
				out = append(out, occurrence{a, r, Location{URI: s.uriOf(name), Range: a.lines.rangeOf(grammar.Range(r.id.Pos, r.id.EndPos))}})
			}
		}
	}
	return out, nil
}

// declaration returns where t's name is declared.
func (s *Server) declaration(d *document, t target) (Location, bool) {
	return s.location(d.an, diag.Range{Start: diag.Pos{File: t.file, Offset: t.off}, End: diag.Pos{File: t.file, Offset: t.off + len(t.name)}})
}

// references answers textDocument/references: every place the name under
// the cursor denotes what it denotes there (the declaration too if the
// client asks).
func (s *Server) references(ctx context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[referenceParams](raw)
	if err != nil {
		return nil, err
	}
	out := []Location{}
	d := s.document(p.TextDocument.URI)
	if d == nil {
		return out, nil
	}
	_, t, err := targetAt(d, p.Position)
	if err != nil {
		return out, nil
	}
	all := s.analyses(d, t)
	occ, err := s.occurrences(ctx, all, t)
	if err != nil {
		return nil, err
	}
	decl, hasDecl := s.declaration(d, t)
	if hasDecl && all[t.file] == nil && p.Context.IncludeDeclaration {
		out = append(out, decl) // in the standard library, not searched
	}
	for _, o := range occ {
		if hasDecl && o.loc == decl && !p.Context.IncludeDeclaration {
			continue
		}
		out = append(out, o.loc)
	}
	return out, nil
}

// prepareRename answers textDocument/prepareRename: the name's range and
// text, or an error the editor shows saying why it cannot be renamed.
func (s *Server) prepareRename(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[textDocumentPositionParams](raw)
	if err != nil {
		return nil, err
	}
	d := s.document(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	r, t, err := renamable(d, p.Position)
	if err != nil {
		return nil, err
	}
	return prepareRenameResult{Range: d.an.lines.rangeOf(grammar.Range(r.id.Pos, r.id.EndPos)), Placeholder: t.name}, nil
}

// renamable resolves the name at p for a rename, refusing what cannot be.
func renamable(d *document, p Position) (*ref, target, error) {
	if !d.an.parsed {
		return nil, target{}, fmt.Errorf("cannot rename: the file does not parse")
	}
	r, t, err := targetAt(d, p)
	switch {
	case err != nil:
		return nil, target{}, fmt.Errorf("cannot rename: %v", err)
	case strings.HasPrefix(t.file, compiler.StdlibPrefix):
		return nil, target{}, fmt.Errorf("cannot rename %s: it is declared in the standard library (%s)", t.name, t.file)
	}
	return r, t, nil
}

// rename answers textDocument/rename with an edit of every occurrence of
// the name, or an error when the new name is not a name, is a keyword or a
// built-in layer, or would change what another name denotes.
func (s *Server) rename(ctx context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[renameParams](raw)
	if err != nil {
		return nil, err
	}
	d := s.document(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	_, t, err := renamable(d, p.Position)
	if err != nil {
		return nil, err
	}
	all := s.analyses(d, t)
	occ, err := s.occurrences(ctx, all, t)
	if err != nil {
		return nil, err
	}
	if err := checkNewName(all, t, occ, p.NewName); err != nil {
		return nil, fmt.Errorf("cannot rename %s to %s: %v", t.name, p.NewName, err)
	}
	edit := WorkspaceEdit{Changes: map[string][]TextEdit{}}
	for _, o := range occ {
		edit.Changes[o.loc.URI] = append(edit.Changes[o.loc.URI], TextEdit{Range: o.loc.Range, NewText: p.NewName})
	}
	return edit, nil
}

// checkNewName refuses a new name that is not one, or that would make a
// name mean something else: one already declared beside t, a constant
// caught by a parameter of the same name or the reverse.
func checkNewName(all map[string]*analysis, t target, occ []occurrence, name string) error {
	toks := grammar.Tokens([]byte(name))
	switch {
	case name == t.name:
		return nil
	case len(toks) == 1 && toks[0].Kind == grammar.TokenKeyword:
		return fmt.Errorf("%s is a keyword", name)
	case len(toks) != 1 || toks[0].Kind != grammar.TokenIdent || toks[0].Text != name:
		return fmt.Errorf("%q is not a name", name)
	case t.kind == roleDef && isLayer(name):
		return fmt.Errorf("%s is a built-in layer", name)
	}
	home := all[t.file]
	if home == nil || home.result == nil {
		return fmt.Errorf("%s cannot be read", t.file)
	}
	// Every file that writes the name must not see another of the new name.
	seen := map[*analysis]bool{home: true}
	files := []*analysis{home}
	for _, o := range occ {
		if !seen[o.a] {
			seen[o.a] = true
			files = append(files, o.a)
		}
	}
	switch t.kind {
	case roleDef:
		for _, a := range files {
			if sym, ok := a.result.LookupDef(name); ok {
				return fmt.Errorf("%s is already defined in %s", name, sym.File)
			}
		}
	case roleLet:
		for _, a := range files {
			if sym, ok := a.result.LookupLet(name); ok {
				return fmt.Errorf("%s is already declared in %s", name, sym.File)
			}
		}
		for _, o := range occ {
			if o.ref.def != nil && hasParam(o.ref.def, name) {
				return fmt.Errorf("%s is a parameter of %s, which uses %s", name, o.ref.def.Name.Name, t.name)
			}
		}
	case roleModel:
		for _, m := range home.result.File.Decls {
			if m.Model != nil && m.Model.Name.Name == name {
				return fmt.Errorf("a model of %s is already named %s", t.file, name)
			}
		}
	case roleParam:
		if hasParam(t.def, name) {
			return fmt.Errorf("%s already has a parameter %s", t.def.Name.Name, name)
		}
		for _, r := range home.names().refs {
			if r.def != nil && r.def.Name.Pos.Offset == t.def.Name.Pos.Offset && r.role == roleExpr && r.id.Name == name {
				return fmt.Errorf("%s uses %s, which the parameter would hide", t.def.Name.Name, name)
			}
		}
	case roleMember:
		for _, m := range t.peer {
			if m.Name != nil && m.Name.Name == name {
				return fmt.Errorf("a member of the same sequence is already named %s", name)
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
