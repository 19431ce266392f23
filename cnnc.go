// Package cnnc is the front door of the cnnc compiler for embedding it in Go
// programs: Check and Compile take .cnn source (docs/language.md) and return
// checked models, or diagnostics that say where and why a model is wrong.
//
// It sits over the pipeline: grammar parses, compiler checks shapes and
// names every parameter; this package chooses the model and, once a
// runtime is attached, runs it. Errors from Check and Compile are a
// diag.List when they concern the source; use errors.As to get it.
package cnnc

import (
	"fmt"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
)

// An Option configures Check and Compile.
type Option func(*config)

type config struct {
	model string
	opts  compiler.Options
}

// WithModel selects the model to compile when a file declares several.
func WithModel(name string) Option { return func(c *config) { c.model = name } }

// WithInput checks models at another input shape than they declare.
func WithInput(channels, height, width int) Option {
	return func(c *config) {
		c.opts.Input = compiler.Shape{int64(channels), int64(height), int64(width)}
	}
}

// WithReadFile makes imports read files with fn instead of
// compiler.ReadSource.
func WithReadFile(fn func(name string) ([]byte, error)) Option {
	return func(c *config) { c.opts.ReadFile = fn }
}

// WithMemoryLimit rejects models that need more than bytes at batch 1.
func WithMemoryLimit(bytes int64) Option { return func(c *config) { c.opts.MemoryLimit = bytes } }

func newConfig(opts []Option) *config {
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Check parses and checks .cnn source. It returns every model of the file,
// or a diag.List error holding every problem found.
func Check(filename string, src []byte, opts ...Option) ([]*compiler.Model, error) {
	c := newConfig(opts)
	r := compiler.Check(filename, src, &c.opts)
	if err := r.Diags.Err(); err != nil {
		return r.Models, err
	}
	return r.Models, nil
}

// CheckFile is Check on the contents of a file.
func CheckFile(path string, opts ...Option) ([]*compiler.Model, error) {
	src, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Check(path, src, opts...)
}

// A Model is a compiled model: the checked network (its layers, shapes
// and parameters) and, once weights are loaded, the program that runs it.
// Its methods are safe for concurrent use.
type Model struct {
	*compiler.Model
	exec   *executable
	labels *labelCache // for Predict
}

// New prepares a checked model to run; it needs weights before Forward.
func New(m *compiler.Model) (*Model, error) {
	if m == nil || !m.OK {
		return nil, fmt.Errorf("cnnc: the model did not check")
	}
	e, err := newExecutable(m)
	if err != nil {
		return nil, err
	}
	return &Model{Model: m, exec: e, labels: &labelCache{}}, nil
}

// Compile checks .cnn source and returns the model it declares (the one
// WithModel names, when there are several).
func Compile(filename string, src []byte, opts ...Option) (*Model, error) {
	c := newConfig(opts)
	r := compiler.Check(filename, src, &c.opts)
	if err := r.Diags.Err(); err != nil {
		return nil, err
	}
	m, err := pick(r.Models, filename, c.model)
	if err != nil {
		return nil, err
	}
	return New(m)
}

// CompileFile is Compile on the contents of a file.
func CompileFile(path string, opts ...Option) (*Model, error) {
	src, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Compile(path, src, opts...)
}

func pick(models []*compiler.Model, file, name string) (*compiler.Model, error) {
	var names []string
	for _, m := range models {
		if m.Name == name || name == "" && len(models) == 1 {
			return m, nil
		}
		names = append(names, m.Name)
	}
	r := diag.Range{Start: diag.Pos{File: file}}
	var l diag.List
	switch {
	case len(models) == 0:
		l.Add(r, diag.UnknownModel, "%s declares no model", file)
	case name == "":
		l.Add(r, diag.UnknownModel, "%s declares %d models (%s); choose one with WithModel", file, len(models), strings.Join(names, ", "))
	default:
		l.Add(r, diag.UnknownModel, "%s has no model %s; it has %s", file, name, strings.Join(names, ", "))
	}
	return nil, l
}

func readFile(path string) ([]byte, error) { return compiler.ReadSource(path) }
