// Command asmgen writes runtime/kernel's generated assembly (see package
// runtime/kernel/internal/asmgen). Usage:
//
//	asmgen [-out dir] [file.s ...]
//
// writes the named files, or all of them, into dir (default "."). go
// generate in runtime/kernel runs it once per file.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cnnc/cnnc/runtime/kernel/internal/asmgen"
)

func main() {
	out := flag.String("out", ".", "the directory to write into")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: asmgen [-out dir] [file.s ...]\nfiles:")
		for _, f := range asmgen.Files {
			fmt.Fprintf(os.Stderr, " %s", f.Name)
		}
		fmt.Fprintln(os.Stderr)
	}
	flag.Parse()
	names := flag.Args()
	if len(names) == 0 {
		for _, f := range asmgen.Files {
			names = append(names, f.Name)
		}
	}
	for _, name := range names {
		b, err := asmgen.Generate(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := os.WriteFile(filepath.Join(*out, name), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
