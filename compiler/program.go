package compiler

import (
	"errors"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
	"github.com/cnnc/cnnc/internal/fsutil"
	"github.com/cnnc/cnnc/stdlib"
)

// A unit is one parsed file with the names it declares.
type unit struct {
	name    string
	src     []byte
	ast     *grammar.File
	defs    map[string]*grammar.Def
	lets    map[string]*grammar.Let
	imports []*unit
	models  []*grammar.Model
	prelude bool // a standard library file
}

// A program is a file with everything it imports and the standard library.
type program struct {
	main    *unit
	units   map[string]*unit
	prelude []*unit
	diags   diag.List
	read    func(string) ([]byte, error)
}

// StdlibPrefix is how diagnostics and editors name the standard library's
// files: stdlib/resnet.cnn.
const StdlibPrefix = "stdlib/"

var (
	preludeOnce  sync.Once
	preludeUnits []*unit
)

// preludeFiles parses the standard library once per process.
func preludeFiles() []*unit {
	preludeOnce.Do(func() {
		names, _ := fs.Glob(stdlib.FS, "*.cnn")
		sort.Strings(names)
		for _, n := range names {
			src, _ := fs.ReadFile(stdlib.FS, n)
			u := newUnit(StdlibPrefix+n, src, nil)
			u.prelude = true
			preludeUnits = append(preludeUnits, u)
		}
	})
	return preludeUnits
}

// StdlibSource returns the text of a standard library file by its
// diagnostic name (stdlib/resnet.cnn), or nil.
func StdlibSource(name string) []byte {
	for _, u := range preludeFiles() {
		if u.name == name {
			return u.src
		}
	}
	return nil
}

func newUnit(name string, src []byte, diags *diag.List) *unit {
	f, ds := grammar.Parse(name, src)
	if diags != nil {
		*diags = append(*diags, ds...)
	}
	u := &unit{name: name, src: src, ast: f, defs: map[string]*grammar.Def{}, lets: map[string]*grammar.Let{}}
	declared := map[string]*grammar.Ident{}
	for _, d := range f.Decls {
		var id *grammar.Ident
		switch {
		case d.Def != nil:
			id = d.Def.Name
		case d.Let != nil:
			id = d.Let.Name
		case d.Model != nil:
			id = d.Model.Name
			u.models = append(u.models, d.Model)
		default:
			continue
		}
		if prev, dup := declared[id.Name]; dup && diags != nil {
			diags.Add(identRange(id), diag.DuplicateName, "%s is declared twice", id.Name).Related =
				[]diag.Related{{Range: identRange(prev), Message: "first declared here"}}
			continue
		}
		declared[id.Name] = id
		switch {
		case d.Def != nil:
			u.defs[id.Name] = d.Def
		case d.Let != nil:
			u.lets[id.Name] = d.Let
		}
	}
	return u
}

// load parses filename and, transitively, the files it imports.
func load(filename string, src []byte, read func(string) ([]byte, error)) *program {
	if read == nil {
		read = ReadSource
	}
	p := &program{units: map[string]*unit{}, prelude: preludeFiles(), read: read}
	p.main = p.add(filename, src, nil)
	return p
}

// add parses one file and its imports; stack holds the importing chain, to
// report cycles.
func (p *program) add(name string, src []byte, stack []string) *unit {
	u := newUnit(name, src, &p.diags)
	p.units[name] = u
	stack = append(stack, name)
	for _, d := range u.ast.Decls {
		if d.Import == nil {
			continue
		}
		imp := d.Import.Path
		target := importPath(name, imp.Value)
		r := grammar.Range(imp.Pos, imp.EndPos)
		if i := indexOf(stack, target); i >= 0 {
			p.diags.Add(r, diag.ImportError, "import cycle: %s", strings.Join(append(stack[i:], target), " imports "))
			continue
		}
		if done, ok := p.units[target]; ok {
			u.imports = append(u.imports, done)
			continue
		}
		data, err := p.read(target)
		if errors.Is(err, fsutil.ErrTooLarge) {
			p.diags.Add(r, diag.LimitExceeded, "cannot import %q: %s", imp.Value, shortErr(err))
			continue
		}
		if err != nil {
			p.diags.Add(r, diag.ImportError, "cannot import %q: %s", imp.Value, shortErr(err))
			continue
		}
		if len(data) > MaxFileSize {
			p.diags.Add(r, diag.LimitExceeded, "cannot import %q: %d bytes is over the limit of %d", imp.Value, len(data), MaxFileSize)
			continue
		}
		// A file that is not a .cnn source is not parsed: its syntax
		// errors would quote its first line (import "/etc/shadow").
		if !strings.HasSuffix(imp.Value, ".cnn") {
			p.diags.Add(r, diag.ImportError, "cannot import %q: only .cnn files can be imported", imp.Value)
			continue
		}
		if !utf8.Valid(data) {
			p.diags.Add(r, diag.ImportError, "cannot import %q: it is not UTF-8 text", imp.Value)
			continue
		}
		u.imports = append(u.imports, p.add(target, data, stack))
	}
	return u
}

func importPath(from, to string) string {
	if filepath.IsAbs(to) {
		return filepath.Clean(to)
	}
	return filepath.Join(filepath.Dir(from), filepath.FromSlash(to))
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func shortErr(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	if fe, ok := err.(*fsutil.Error); ok {
		return "it " + fe.Msg
	}
	return err.Error()
}

// ReadSource reads a source file from disk: a regular file of at most
// MaxFileSize bytes. Anything else (a directory, a device, a named pipe,
// a larger file) is an error naming the path, given without reading it.
func ReadSource(path string) ([]byte, error) {
	return fsutil.ReadFile(path, MaxFileSize, "source files")
}

// lookupDef finds a definition visible from u: u's own, then its imports',
// then the standard library's. It returns the unit that declares it.
func (p *program) lookupDef(u *unit, name string) (*grammar.Def, *unit) {
	return visible(p, u, name, func(x *unit) map[string]*grammar.Def { return x.defs })
}

// lookupLet finds a constant visible from u, in the same order.
func (p *program) lookupLet(u *unit, name string) (*grammar.Let, *unit) {
	return visible(p, u, name, func(x *unit) map[string]*grammar.Let { return x.lets })
}

func visible[T any](p *program, u *unit, name string, table func(*unit) map[string]T) (T, *unit) {
	if d, ok := table(u)[name]; ok {
		return d, u
	}
	for _, scope := range [][]*unit{u.imports, p.prelude} {
		for _, x := range scope {
			if d, ok := table(x)[name]; ok {
				return d, x
			}
		}
	}
	var zero T
	return zero, nil
}

// visibleNames lists the definitions and constants visible from u, for
// did-you-mean suggestions.
func (p *program) visibleNames(u *unit, defs bool) []string {
	var out []string
	add := func(x *unit) {
		if defs {
			for n := range x.defs {
				out = append(out, n)
			}
		} else {
			for n := range x.lets {
				out = append(out, n)
			}
		}
	}
	add(u)
	for _, imp := range u.imports {
		add(imp)
	}
	for _, pu := range p.prelude {
		add(pu)
	}
	return out
}

// source returns the text of any file of the program.
func (p *program) source(name string) []byte {
	if u, ok := p.units[name]; ok {
		return u.src
	}
	for _, pu := range p.prelude {
		if pu.name == name {
			return pu.src
		}
	}
	return nil
}

func identRange(id *grammar.Ident) diag.Range { return grammar.Range(id.Pos, id.EndPos) }
