package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cnnc/cnnc/compiler"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// cli carries a command's standard streams, its --color and the flag set
// c.flags made last (usage.go's flagsOf reads it).
type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	color          colorMode
	flagSet        *flag.FlagSet
	memLimit       memoryLimit // --memory-limit (memlimit.go)
}

func (c *cli) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "cnnc: %s\n", printableLines(fmt.Sprintf(format, args...)))
}

// flags returns a flag set for a subcommand: parse prints the command's
// help on -h and a usage error for a bad flag (usage.go), and its Usage
// prints a usage error. A command that prints diagnostics gets --color.
func (c *cli) flags(cmd *command) *flag.FlagSet {
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself
	fs.Usage = func() { c.usageError(cmd, "") }
	if printsDiagnostics(cmd.name) {
		fs.Var(&c.color, "color", colorUsage)
	}
	owners.Store(fs, &flagOwner{c: c, cmd: cmd})
	c.flagSet = fs
	return fs
}

// parse parses flags anywhere among the arguments (cnnc check x.cnn --json)
// and returns the positional arguments. ok is false on bad usage or -h;
// code is then the exit code.
func parse(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	return parseFlags(fs, args)
}

// parseArgs parses args with fs, the flags among the positional arguments
// too, and returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// shapeFlag parses CxHxW.
type shapeFlag struct{ s compiler.Shape }

func (f *shapeFlag) String() string {
	if f.s == nil {
		return ""
	}
	return f.s.Dims()
}

func (f *shapeFlag) Set(v string) error {
	parts := strings.Split(v, "x")
	if len(parts) != 3 {
		return fmt.Errorf("want CxHxW, such as 3x224x224")
	}
	s := make(compiler.Shape, 3)
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 1 || n > compiler.MaxDim {
			return fmt.Errorf("want CxHxW with sizes from 1 to %d, such as 3x224x224", compiler.MaxDim)
		}
		s[i] = n
	}
	f.s = s
	return nil
}

// checkFile reads and checks one file; "-" is standard input.
func (c *cli) checkFile(path string, opts *compiler.Options) (*compiler.Result, error) {
	src, name, err := c.readSource(path)
	if err != nil {
		return nil, err
	}
	return compiler.Check(name, src, opts), nil
}

// stdinName names standard input in messages.
const stdinName = "<stdin>"

// readSource reads a source file named on the command line: a regular
// file of at most compiler.MaxFileSize bytes, never a device or a pipe, or
// for "-" standard input (up to the same size). name is what messages call
// it: path, or <stdin>.
func (c *cli) readSource(path string) (src []byte, name string, err error) {
	if path == "-" {
		src, err = readAllLimited(c.stdin)
		return src, stdinName, err
	}
	src, err = compiler.ReadSource(path)
	return src, path, err
}

// printDiags writes diagnostics in the long form to stderr, coloured as
// --color says, and after a blank line their count.
func (c *cli) printDiags(r *compiler.Result) {
	if len(r.Diags) > 0 {
		p := c.printer()
		p.Fprint(c.stderr, r.Diags, r.Source)
		fmt.Fprintln(c.stderr)
		p.FprintCount(c.stderr, r.Diags, r.File.Name)
	}
}

// selectModel picks the model a command works on: the one named, or the
// file's only model.
func selectModel(r *compiler.Result, path, name string) (*compiler.Model, error) {
	if path == "-" {
		path = stdinName
	}
	if name != "" {
		for _, m := range r.Models {
			if m.Name == name {
				return m, nil
			}
		}
		var names []string
		for _, m := range r.Models {
			names = append(names, m.Name)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("%s has no model %s (it has none)", path, name)
		}
		return nil, fmt.Errorf("%s has no model %s; it has %s", path, name, strings.Join(names, ", "))
	}
	switch len(r.Models) {
	case 0:
		return nil, fmt.Errorf("%s declares no model", path)
	case 1:
		return r.Models[0], nil
	}
	var names []string
	for _, m := range r.Models {
		names = append(names, m.Name)
	}
	return nil, fmt.Errorf("%s has %d models (%s); choose one with --model", path, len(names), strings.Join(names, ", "))
}

// optionsWith returns check options with an input override.
func optionsWith(input compiler.Shape) *compiler.Options {
	return &compiler.Options{Input: input}
}
