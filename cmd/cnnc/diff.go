package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/cnnc/cnnc/compiler"
	"github.com/cnnc/cnnc/diag"
)

// unifiedDiff returns a unified diff of a and b with three lines of
// context. It takes time and memory linear in the number of lines for the
// few changes formatting makes, and stays bounded when every line changes
// (myers).
func unifiedDiff(name string, a, b []byte) string {
	x := strings.SplitAfter(string(a), "\n")
	y := strings.SplitAfter(string(b), "\n")
	if x[len(x)-1] == "" {
		x = x[:len(x)-1]
	}
	if y[len(y)-1] == "" {
		y = y[:len(y)-1]
	}
	ids := map[string]int{}
	number := func(lines []string) []int {
		out := make([]int, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = len(ids)
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	del, ins := myers(number(x), number(y))
	type line struct {
		op   byte
		text string
		a, b int // line numbers in x and y (0-based)
	}
	ops := make([]line, 0, max(len(x), len(y)))
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && del[i]:
			ops = append(ops, line{'-', x[i], i, j})
			i++
		case j < len(y) && ins[j]:
			ops = append(ops, line{'+', y[j], i, j})
			j++
		default:
			ops = append(ops, line{' ', x[i], i, j})
			i++
			j++
		}
	}
	var out bytes.Buffer
	name = diag.Printable(name)
	fmt.Fprintf(&out, "--- %s\n+++ %s (formatted)\n", name, name)
	const ctx = 3
	for k := 0; k < len(ops); {
		if ops[k].op == ' ' {
			k++
			continue
		}
		start := max(0, k-ctx)
		end := k
		for end < len(ops) {
			if ops[end].op != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].op == ' ' {
				run++
			}
			if run-end > 2*ctx || run == len(ops) {
				end = min(end+ctx, len(ops))
				break
			}
			end = run
		}
		na, nb := 0, 0
		for _, l := range ops[start:end] {
			if l.op != '+' {
				na++
			}
			if l.op != '-' {
				nb++
			}
		}
		fmt.Fprintf(&out, "@@ -%d,%d +%d,%d @@\n", ops[start].a+1, na, ops[start].b+1, nb)
		for _, l := range ops[start:end] {
			out.WriteByte(l.op)
			out.WriteString(l.text)
			if !strings.HasSuffix(l.text, "\n") {
				out.WriteString("\n\\ No newline at end of file\n")
			}
		}
		k = end
	}
	return out.String()
}

// readAllLimited reads a source from standard input, refusing more than a
// source file may hold.
func readAllLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, compiler.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > compiler.MaxFileSize {
		return nil, fmt.Errorf("standard input is over the limit of %d bytes for a source file", compiler.MaxFileSize)
	}
	return data, nil
}
