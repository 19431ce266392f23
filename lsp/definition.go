package lsp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/grammar"
	"github.com/cnnc/cnnc/stdlib"
)

// definition answers textDocument/definition: a call jumps to its
// definition (the standard library's included, in files written to the
// cache directory), a name in an expression to its parameter or constant,
// a KEY= of a call to the parameter, an import's path to the file.
func (s *Server) definition(_ context.Context, raw json.RawMessage) (any, error) {
	p, err := decode[textDocumentPositionParams](raw)
	if err != nil {
		return nil, err
	}
	var loc *Location
	d := s.document(p.TextDocument.URI)
	s.at(p.TextDocument.URI, p.Position, func(a *analysis, off int) bool {
		loc = s.definitionAt(a, off)
		if loc != nil && a != d.an && loc.URI == d.uri {
			// Found in the last text that parsed: move it to the current one.
			m := diffLines(a.lines, d.an.lines)
			start, ok1 := m.toNew(loc.Range.Start.Line)
			end, ok2 := m.toNew(loc.Range.End.Line)
			if !ok1 || !ok2 {
				loc = nil
				return false
			}
			loc.Range.Start.Line, loc.Range.End.Line = start, end
		}
		return loc != nil
	})
	return loc, nil
}

func (s *Server) definitionAt(a *analysis, off int) *Location {
	if a.result == nil {
		return nil
	}
	x := a.names()
	for _, imp := range x.imports {
		if imp.Pos.Offset <= off && off <= imp.EndPos.Offset {
			dir := filepath.Dir(a.result.File.Name)
			return &Location{URI: s.uriOf(filepath.Join(dir, filepath.FromSlash(imp.Path.Value)))}
		}
	}
	r := x.at(off)
	if r == nil {
		return nil
	}
	name := r.id.Name
	var id *grammar.Ident
	file := a.result.File.Name
	switch r.role {
	case roleModel, roleDef, roleLet, roleParam:
		id = r.id
	case roleApply:
		if _, layer := compiler.LayerDoc(name); layer {
			return nil
		}
		if sym, ok := a.result.LookupDef(name); ok {
			id, file = sym.Def.Name, sym.File
		}
	case roleArgKey:
		if _, layer := compiler.LayerDoc(r.apply.Name.Name); !layer {
			if sym, ok := a.result.LookupDef(r.apply.Name.Name); ok {
				id, file = paramIdent(sym.Def, name), sym.File
			}
		}
	case roleExpr:
		if r.def != nil && hasParam(r.def, name) {
			id = paramIdent(r.def, name)
		} else if sym, ok := a.result.LookupLet(name); ok {
			id, file = sym.Let.Name, sym.File
		}
	}
	if id == nil {
		return nil
	}
	rng := grammar.Range(id.Pos, id.EndPos)
	rng.Start.File, rng.End.File = file, file
	loc, ok := s.location(a, rng)
	if !ok {
		return nil
	}
	return &loc
}

func paramIdent(def *grammar.Def, name string) *grammar.Ident {
	for _, p := range def.Params {
		if p.Name.Name == name {
			return p.Name
		}
	}
	return nil
}

// stdlibPath is the directory the standard library is written to: a cache
// directory named by a hash of the library's text, so that binaries of
// different versions never share one.
func (s *Server) stdlibPath() string {
	root := s.opts.CacheDir
	if root == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			root = filepath.Join(dir, "cnnc")
		} else {
			root = filepath.Join(os.TempDir(), "cnnc")
		}
	}
	return filepath.Join(root, "stdlib-"+stdlibHash())
}

// stdlibHash is a short hash of the standard library's files.
var stdlibHash = sync.OnceValue(func() string {
	names, _ := fs.Glob(stdlib.FS, "*.cnn")
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n + "\x00"))
		h.Write(compiler.StdlibSource(compiler.StdlibPrefix + n))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
})

// stdlibDir writes the standard library's files, read-only, to
// stdlibPath on first use and returns it; "" if that failed (go-to
// definition then has nowhere to go in the library).
func (s *Server) stdlibDir() string {
	if s.stdlib != "" {
		return s.stdlib
	}
	dir := s.stdlibPath()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.logf("cannot write the standard library to the cache: %v", err)
		return ""
	}
	names, _ := fs.Glob(stdlib.FS, "*.cnn")
	for _, n := range names {
		src := compiler.StdlibSource(compiler.StdlibPrefix + n)
		path := filepath.Join(dir, n)
		if old, err := compiler.ReadSource(path); err == nil && string(old) == string(src) {
			continue
		}
		tmp, err := os.CreateTemp(dir, n+".*")
		if err != nil {
			s.logf("cannot write the standard library to the cache: %v", err)
			return ""
		}
		_, werr := tmp.Write(src)
		cerr := tmp.Close()
		if werr != nil || cerr != nil || os.Chmod(tmp.Name(), 0o444) != nil || os.Rename(tmp.Name(), path) != nil {
			os.Remove(tmp.Name())
			s.logf("cannot write %s to the cache", n)
			return ""
		}
	}
	s.stdlib = dir
	return dir
}
