package main

import (
	"bytes"
	"fmt"

	"github.com/cnnc/cnnc/diag"
	"github.com/cnnc/cnnc/grammar"
	"github.com/cnnc/cnnc/internal/fsutil"
)

func init() {
	register(&command{name: "fmt", args: "[-w | -l | -d | --check] FILE...",
		short: "print FILEs in the canonical layout (or rewrite them with -w)", run: runFmt})
}

func runFmt(c *cli, args []string) int {
	fs := c.flags(lookup("fmt"))
	write := fs.Bool("w", false, "write the result to each file instead of printing it")
	list := fs.Bool("l", false, "list the files whose layout differs")
	diff := fs.Bool("d", false, "print a diff of the changes")
	check := fs.Bool("check", false, "list the files whose layout differs and exit 1 if there are any (with -d: print their diffs)")
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
		src, name, err := c.readSource(path)
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
		case *list || *check && !*diff:
			if changed {
				fmt.Fprintln(c.stdout, diag.Printable(name))
			}
		case *diff:
			if changed {
				fmt.Fprint(c.stdout, unifiedDiff(name, src, out))
			}
		case *write:
			if changed && path != "-" {
				if err := fsutil.WriteFile(path, bytesTo(out)); err != nil {
					c.errorf("%v", err)
					status = exitError
				}
			}
		default:
			c.stdout.Write(out)
		}
		if *check && changed {
			status = exitError
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
