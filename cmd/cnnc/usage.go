package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Help and usage errors. cnnc help, cnnc help COMMAND and cnnc COMMAND -h
// print help on standard output and exit 0; a usage error prints what was
// wrong, the synopsis and where to read more on standard error and exits
// 2. Flags are shown as --flag VALUE, and every line fits in helpWidth
// columns.

// helpWidth is the width help text is wrapped to.
const helpWidth = 80

// flagOwner is what parse needs to know of a flag set that c.flags made.
type flagOwner struct {
	c   *cli
	cmd *command
	bad error // the message for the value a flag refused, if one did
}

// owners maps each *flag.FlagSet that c.flags made to its *flagOwner,
// until parse takes it.
var owners sync.Map

// parseFlags parses args with fs, which c.flags made: on -h it prints the
// command's help on standard output, on a bad flag or value it prints a
// usage error.
func parseFlags(fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	v, _ := owners.LoadAndDelete(fs)
	o, _ := v.(*flagOwner)
	if o == nil {
		pos, err := parseArgs(fs, args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			return nil, exitOK, false
		case err != nil:
			return nil, exitUsage, false
		}
		return pos, exitOK, true
	}
	usage := fs.Usage
	fs.Usage = func() {} // the flag package's own reports are replaced below
	defer func() { fs.Usage = usage }()
	fs.VisitAll(func(f *flag.Flag) { f.Value = checkValue(f, o) })
	pos, err := parseArgs(fs, args)
	switch {
	case err == nil:
		return pos, exitOK, true
	case errors.Is(err, flag.ErrHelp):
		writeHelp(o.c.stdout, o.cmd, fs)
		return nil, exitOK, false
	case o.bad != nil:
		err = o.bad
	default:
		err = flagError(fs, err)
	}
	return nil, o.c.usageError(o.cmd, "%v", err), false
}

// usageError prints "cnnc: " and the message, then cmd's synopsis and
// where its help is, on standard error, and returns the exit code for bad
// usage.
func (c *cli) usageError(cmd *command, format string, args ...any) int {
	if format != "" {
		c.errorf(format, args...)
	}
	writeSynopsis(c.stderr, cmd)
	fmt.Fprintf(c.stderr, "Run 'cnnc help %s' for its flags.\n", cmd.name)
	return exitUsage
}

// flagName is how help and messages write a flag: -o, --json.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagError rewrites the flag package's own errors, which name flags with
// one dash and no value.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		if near := nearestFlag(fs, name); near != "" {
			return fmt.Errorf("unknown flag %s; did you mean %s?", flagName(name), flagName(near))
		}
		return fmt.Errorf("unknown flag %s", flagName(name))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		name = strings.TrimLeft(name, "-")
		if f := fs.Lookup(name); f != nil {
			return fmt.Errorf("%s needs a value: %s %s", flagName(name), flagName(name), valueName(f))
		}
		return fmt.Errorf("%s needs a value", flagName(name))
	}
	return err
}

// nearestFlag returns the flag of fs closest to name, if it is at most two
// edits away.
func nearestFlag(fs *flag.FlagSet, name string) string {
	best, dist := "", 3
	fs.VisitAll(func(f *flag.Flag) {
		if d := editDistance(name, f.Name); d < dist {
			best, dist = f.Name, d
		}
	})
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// A checkedValue wraps a flag's value so that a refused value gets a
// message saying what the flag wants; checkedBool does the same for a
// boolean flag, which the flag package recognises by IsBoolFlag.
type checkedValue struct {
	flag.Value
	name  string
	owner *flagOwner
}

type checkedBool struct{ *checkedValue }

func (b checkedBool) IsBoolFlag() bool { return true }

func checkValue(f *flag.Flag, o *flagOwner) flag.Value {
	if _, ok := f.Value.(*checkedValue); ok {
		return f.Value
	}
	v := &checkedValue{Value: f.Value, name: f.Name, owner: o}
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return checkedBool{v}
	}
	return v
}

func (v *checkedValue) Set(s string) error {
	err := v.Value.Set(s)
	if err != nil {
		v.owner.bad = badValue(v.name, s, v.Value, err)
	}
	return err
}

// badValue says why s is not a value of the flag name, whose value is
// inner: the kind of value it wants, with an example.
func badValue(name, s string, inner flag.Value, err error) error {
	shown := s
	if s == "" || strings.ContainsAny(s, " \t\n") {
		shown = strconv.Quote(s)
	}
	name = flagName(name)
	tooLarge := err.Error() == "value out of range"
	if g, ok := inner.(flag.Getter); ok {
		switch g.Get().(type) {
		case time.Duration:
			return fmt.Errorf("%s: %s is not a duration; write a duration such as 2s or 500ms", name, shown)
		case bool:
			return fmt.Errorf("%s: %s is not true or false", name, shown)
		case int, int64:
			if tooLarge {
				return fmt.Errorf("%s: %s is out of range", name, shown)
			}
			return fmt.Errorf("%s: %s is not a whole number; write one such as %s 8", name, shown, name)
		case uint, uint64:
			if tooLarge {
				return fmt.Errorf("%s: %s is out of range", name, shown)
			}
			return fmt.Errorf("%s: %s is not a whole number of 0 or more; write one such as %s 8", name, shown, name)
		case float64:
			return fmt.Errorf("%s: %s is not a number; write one such as %s 0.5", name, shown, name)
		}
	}
	return fmt.Errorf("%s: %s: %v", name, shown, err)
}

// valueName is the name of the value a flag takes, as help writes it
// (--depth N): the usage's `quoted` word, or one for the value's type; ""
// for a boolean flag.
func valueName(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(unchecked(f))
	switch name {
	case "int", "uint":
		return "N"
	case "float":
		return "X"
	case "duration":
		return "D"
	case "string":
		return "TEXT"
	}
	return name
}

// unchecked returns f with its value as the command defined it, whose type
// flag.UnquoteUsage looks at.
func unchecked(f *flag.Flag) *flag.Flag {
	inner := f.Value
	switch v := inner.(type) {
	case *checkedValue:
		inner = v.Value
	case checkedBool:
		inner = v.Value
	}
	return &flag.Flag{Name: f.Name, Usage: f.Usage, Value: inner, DefValue: f.DefValue}
}

// writeHelp prints a command's help: its synopsis, what it does and its
// flags.
func writeHelp(w io.Writer, cmd *command, fs *flag.FlagSet) {
	writeSynopsis(w, cmd)
	fmt.Fprintln(w)
	fill(w, strings.Fields(cmd.short), "", "")
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	lefts := make([]string, len(flags))
	col := 0
	for i, f := range flags {
		lefts[i] = "  " + flagName(f.Name)
		if v := valueName(f); v != "" {
			lefts[i] += " " + v
		}
		col = max(col, len(lefts[i])+2)
	}
	col = min(col, 26)
	for i, f := range flags {
		_, text := flag.UnquoteUsage(unchecked(f))
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "0s" && !strings.Contains(text, "(default") {
			text += " (default " + d + ")"
		}
		left := lefts[i]
		if len(left)+2 > col {
			fmt.Fprintln(w, left)
			left = ""
		}
		fill(w, strings.Fields(text), left+strings.Repeat(" ", col-len(left)), strings.Repeat(" ", col))
	}
}

// writeSynopsis prints "usage: cnnc NAME ARGS", wrapped between whole
// bracketed groups.
func writeSynopsis(w io.Writer, cmd *command) {
	first := "usage: cnnc " + cmd.name + " "
	indent := strings.Repeat(" ", len(first))
	if len(indent) > 30 {
		indent = "        "
	}
	fill(w, synopsisWords(cmd.args), first, indent)
}

// synopsisWords splits a synopsis at the spaces outside brackets:
// "[--depth N] FILE..." is "[--depth N]" and "FILE...".
func synopsisWords(args string) []string {
	var words []string
	depth, start := 0, 0
	for i, r := range args + " " {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ' ':
			if depth == 0 {
				if i > start {
					words = append(words, args[start:i])
				}
				start = i + 1
			}
		}
	}
	return words
}

// fill writes words separated by spaces on lines of at most helpWidth
// columns, the first starting with first and the others with indent; a
// word too long for a line has one to itself.
func fill(w io.Writer, words []string, first, indent string) {
	line := first
	n := 0 // words on the line
	for _, word := range words {
		if n > 0 && len(line)+1+len(word) > helpWidth {
			fmt.Fprintln(w, strings.TrimRight(line, " "))
			line, n = indent, 0
		}
		if n > 0 {
			line += " "
		}
		line += word
		n++
	}
	fmt.Fprintln(w, strings.TrimRight(line, " "))
}

// usage prints the overview: every command and what it does.
func usage(w io.Writer) {
	fmt.Fprintln(w, "cnnc: a language and compiler for convolutional neural networks")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  cnnc COMMAND [ARGUMENTS]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	sorted := append([]*command(nil), commands...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	col := 0
	for _, c := range sorted {
		col = max(col, len(c.name))
	}
	col += 4
	for _, c := range sorted {
		fill(w, strings.Fields(c.short), "  "+c.name+strings.Repeat(" ", col-2-len(c.name)), strings.Repeat(" ", col))
	}
	fmt.Fprintln(w)
	fill(w, strings.Fields("A FILE or MODEL of - is standard input (fmt without FILEs reads it too)."), "", "")
	fill(w, strings.Fields("Run 'cnnc help COMMAND' for a command's synopsis and flags. The language: docs/language.md."), "", "")
}

// flagsOf returns the flags a command defines, by running it with -h and
// its output discarded: every command defines all its flags before it
// parses them.
func flagsOf(cmd *command) *flag.FlagSet {
	c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	cmd.run(c, []string{"-h"})
	return c.flagSet
}
