// Command cnnc checks, formats and runs .cnn models.
//
// It is the top of the pipeline: it imports everything and nothing imports
// it. Each subcommand lives in its own file; they share the helpers of
// cli.go. Exit codes: 0 success, 1 errors found (in a model, a file, an
// input), 2 bad usage.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/cnnc/cnnc/tensorio"
)

// A command is one subcommand of cnnc.
type command struct {
	name  string
	args  string // the synopsis after the name
	short string
	run   func(c *cli, args []string) int
}

var commands []*command

func register(c *command) { commands = append(commands, c) }

func main() {
	if os.Getenv("GOGC") == "" {
		// A run loads its weights once and then allocates nothing per
		// forward pass, and the heap is almost all pointer-free tensors,
		// so collecting at a quarter's growth instead of double keeps the
		// peak near the live size for next to no CPU (ResNet-18 at batch
		// 1: 137 MB peak RSS -> 123 MB).
		debug.SetGCPercent(25)
	}
	code := Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if os.Getenv("CNNC_PEAK_RSS") != "" {
		// The process's own peak: a parent's getrusage of it would count
		// the parent's memory too, shared with the child until exec.
		fmt.Fprintf(os.Stderr, "cnnc: peak RSS %s\n", peakRSS())
	}
	os.Exit(code)
}

// peakRSS reports VmHWM from /proc/self/status, or "unknown".
func peakRSS() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// maxImagePixels bounds the images cnnc reads: an image is decoded at its
// full size before it is resized, and 40 megapixels keep that under about a
// gigabyte, ample for photographs.
const maxImagePixels = 40_000_000

// The bound is set once, before any Main: tests run Main concurrently.
func init() { tensorio.MaxImagePixels = maxImagePixels }

// Main runs cnnc with args and returns its exit code; tests call it in-process.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help":
		args = append([]string{"help"}, args[1:]...)
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	cmd := lookup(args[0])
	if cmd == nil {
		fmt.Fprintf(stderr, "cnnc: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(c, args[1:])
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}
