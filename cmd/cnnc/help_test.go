package main

import (
	"bytes"
	"flag"
	"regexp"
	"strings"
	"testing"
)

// Every command's help fits in 80 columns, its synopsis names only flags
// it has and every flag it has but --color, and its flags are listed as
// --flag VALUE, never as the flag package's -flag.
func TestHelp(t *testing.T) {
	flagRef := regexp.MustCompile(`(?:^|[\[ ])(--?[a-z][a-z-]*)`)
	for _, cmd := range commands {
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"help", cmd.name}, strings.NewReader(""), &stdout, &stderr); code != exitOK || stderr.Len() > 0 {
			t.Errorf("cnnc help %s: exit %d, stderr %q", cmd.name, code, stderr.String())
		}
		help := stdout.String()
		for _, line := range strings.Split(help, "\n") {
			if len(line) > helpWidth {
				t.Errorf("cnnc help %s: a line of %d columns:\n%s", cmd.name, len(line), line)
			}
		}
		if !strings.HasPrefix(help, "usage: cnnc "+cmd.name) {
			t.Errorf("cnnc help %s does not start with its synopsis:\n%s", cmd.name, help)
		}
		fs := flagsOf(cmd)
		inSynopsis := map[string]bool{}
		for _, m := range flagRef.FindAllStringSubmatch(cmd.args, -1) {
			name := strings.TrimLeft(m[1], "-")
			inSynopsis[name] = true
			if fs.Lookup(name) == nil {
				t.Errorf("the synopsis of %s names %s, which it does not have", cmd.name, m[1])
			}
			if m[1] != flagName(name) {
				t.Errorf("the synopsis of %s writes %s, not %s", cmd.name, m[1], flagName(name))
			}
		}
		fs.VisitAll(func(f *flag.Flag) {
			if f.Name != "color" && !inSynopsis[f.Name] {
				t.Errorf("the synopsis of %s lacks %s", cmd.name, flagName(f.Name))
			}
			if !strings.Contains(help, "\n  "+flagName(f.Name)) {
				t.Errorf("cnnc help %s does not list %s", cmd.name, flagName(f.Name))
			}
		})
	}
}

func TestFill(t *testing.T) {
	var b bytes.Buffer
	fill(&b, strings.Fields("aaa bbb ccc"), "> ", "  ")
	if b.String() != "> aaa bbb ccc\n" {
		t.Errorf("got %q", b.String())
	}
	b.Reset()
	fill(&b, append([]string{strings.Repeat("x", 90)}, strings.Fields(strings.Repeat("word ", 30))...), "", "    ")
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if i > 0 && (len(line) > helpWidth || !strings.HasPrefix(line, "    word")) {
			t.Errorf("line %d: %q", i, line)
		}
	}
	if got := synopsisWords("[-w | -l] [--depth N] FILE..."); strings.Join(got, "|") != "[-w | -l]|[--depth N]|FILE..." {
		t.Errorf("synopsisWords: %q", got)
	}
}

func TestBadValue(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--min-time", "2", "m.cnn"}, "cnnc: --min-time: 2 is not a duration; write a duration such as 2s or 500ms\n"},
		{[]string{"check", "--depth", "", "m.cnn"}, "cnnc: --depth: \"\" is not a whole number; write one such as --depth 8\n"},
		{[]string{"check", "--depth", "99999999999999999999", "m.cnn"}, "cnnc: --depth: 99999999999999999999 is out of range\n"},
		{[]string{"init", "--seed", "x", "-o", "w", "m.cnn"}, "cnnc: --seed: x is not a whole number of 0 or more; write one such as --seed 8\n"},
		{[]string{"check", "--json=2", "m.cnn"}, "cnnc: --json: 2 is not true or false\n"},
		{[]string{"check", "--input", "1x2", "m.cnn"}, "cnnc: --input: 1x2: want CxHxW, such as 3x224x224\n"},
		{[]string{"check", "--jsn", "m.cnn"}, "cnnc: unknown flag --jsn; did you mean --json?\n"},
		{[]string{"init", "m.cnn", "-o"}, "cnnc: -o needs a value: -o W.safetensors\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(tc.args, strings.NewReader(""), &stdout, &stderr)
		first, _, _ := strings.Cut(stderr.String(), "\n")
		if code != exitUsage || first+"\n" != tc.want || stdout.Len() > 0 {
			t.Errorf("cnnc %s: exit %d, stderr starts %q, want exit 2 and %q", strings.Join(tc.args, " "), code, first, tc.want)
		}
	}
}
