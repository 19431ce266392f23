package main

import (
	"errors"
	"fmt"

	"github.com/cnnc/cnnc"
)

// loadModel compiles the model of a file and loads its weights: the file
// given, or the model's own weights option.
func (c *cli) loadModel(path, name, weights string) (*cnnc.Model, error) {
	m, err := c.compileModel(path, name)
	if err != nil {
		return nil, err
	}
	if weights == "" {
		weights = m.Options.Weights
	}
	if weights == "" {
		return nil, fmt.Errorf("model %s names no weights; pass --weights W.safetensors (cnnc init %s -o W.safetensors makes random ones)", m.Name, path)
	}
	if err := m.LoadWeights(weights); err != nil {
		return nil, err
	}
	return m, nil
}

// compileModel compiles the model of a file, printing its diagnostics.
func (c *cli) compileModel(path, name string) (*cnnc.Model, error) {
	r, err := c.checkFile(path, c.memLimit.options())
	if err != nil {
		return nil, err
	}
	if r.Diags.HasErrors() {
		c.printDiags(r)
		return nil, errReported
	}
	m, err := selectModel(r, path, name)
	if err != nil {
		return nil, err
	}
	return cnnc.New(m)
}

// errReported is an error whose message has been printed already.
var errReported = errors.New("reported")

// fail prints err (unless printed already) and returns the exit code for it.
func (c *cli) fail(err error) int {
	if !errors.Is(err, errReported) {
		c.errorf("%v", err)
	}
	return exitError
}
