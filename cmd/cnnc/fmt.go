package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
)

func init() {
	register(&command{name: "fmt", args: "[-w | -l | -d] FILE...",
		short: "print FILEs in the canonical layout (or rewrite them with -w)", run: runFmt})
}

func runFmt(c *cli, args []string) int {
	fs := c.flags(lookup("fmt"))
	write := fs.Bool("w", false, "write the result to each file instead of printing it")
	list := fs.Bool("l", false, "list the files whose layout differs")
	diff := fs.Bool("d", false, "print a diff of the changes")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		if *write || *list {
			c.errorf("fmt -w and -l need file names")
			return exitUsage
		}
		pos = []string{"-"}
	}
	status := exitOK
	for _, path := range pos {
		var src []byte
		var err error
		name := path
		if path == "-" {
			src, err = readAllLimited(c.stdin)
			name = "<stdin>"
		} else {
			src, err = readSource(path)
		}
		if err != nil {
			c.errorf("%v", err)
			status = exitError
			continue
		}
		out, diags := format(name, src)
		if diags != nil {
			c.writeDiags(diags, func(string) []byte { return src }, name)
			status = exitError
			continue
		}
		changed := !bytes.Equal(src, out)
		switch {
		case *list:
			if changed {
				fmt.Fprintln(c.stdout, path)
			}
		case *diff:
			if changed {
				fmt.Fprint(c.stdout, unifiedDiff(path, src, out))
			}
		case *write:
			if changed && path != "-" {
				if err := writeFileAtomic(path, out); err != nil {
					c.errorf("%v", err)
					status = exitError
				}
			}
		default:
			c.stdout.Write(out)
		}
	}
	return status
}

// format returns src in canonical layout; a file that does not parse is
// left alone and its syntax errors returned.
func format(name string, src []byte) ([]byte, diag.List) {
	f, diags := grammar.Parse(name, src)
	if diags.HasErrors() {
		return nil, diags
	}
	return grammar.Format(f), nil
}

// writeFileAtomic replaces path's contents without a window in which a
// crash would leave it half-written.
func writeFileAtomic(path string, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp := path + ".cnnc-fmt.tmp"
	if err := os.WriteFile(tmp, data, st.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
