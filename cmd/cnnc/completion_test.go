package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var out, errs bytes.Buffer
	if code := Main([]string{"completion", shell}, strings.NewReader(""), &out, &errs); code != 0 {
		t.Fatalf("cnnc completion %s: exit %d: %s", shell, code, errs.String())
	}
	return out.String()
}

// Each script names every command and every flag, and the shell accepts
// its syntax (zsh and fish when they are installed).
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			script := completionScript(t, shell)
			for _, cmd := range commands {
				if !strings.Contains(script, cmd.name) {
					t.Errorf("no command %s", cmd.name)
				}
				flagsOf(cmd).VisitAll(func(f *flag.Flag) {
					want := flagName(f.Name)
					if shell == "fish" {
						// Every line of a command's flags starts with its condition.
						opt := "-l " + f.Name
						if len(f.Name) == 1 {
							opt = "-s " + f.Name
						}
						want = "'__fish_seen_subcommand_from " + cmd.name + "' " + opt + " "
					}
					if !strings.Contains(script, want) {
						t.Errorf("%s: no flag %s (%q)", cmd.name, flagName(f.Name), want)
					}
				})
			}
			path, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s is not installed: the syntax is not checked", shell)
			}
			file := filepath.Join(t.TempDir(), "cnnc."+shell)
			if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(path, "-n", file).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// The bash script completes commands, flags, flag values and arguments:
// a model is a .cnn file, a run's inputs any file.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	dir := t.TempDir()
	for _, f := range []string{"a.cnn", "b.png", "w.safetensors", "sub/c.cnn"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "cnnc.bash")
	if err := os.WriteFile(file, []byte(completionScript(t, "bash")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line string // the words before the cursor, then the word being completed
		want string // COMPREPLY, sorted, space-separated
	}{
		{"ch", "check"},
		{"c", "check completion"},
		{"", commandNames()},
		{"check --de", "--depth"},
		{"check --color ", "always auto never"},
		{"check ", "a.cnn sub"},
		{"check --depth 2 ", "a.cnn sub"},
		{"check --depth ", ""},
		{"run a.cnn ", "a.cnn b.png sub w.safetensors"},
		{"run --top 3 ", "a.cnn sub"},
		{"run --weights ", "sub w.safetensors"},
		{"init -o w.safetensors ", "a.cnn sub"},
		{"help ch", "check"},
		{"completion ", "bash fish zsh"},
		{"version ", ""},
	} {
		words := append([]string{"cnnc"}, strings.Split(tc.line, " ")...)
		var quoted []string
		for _, w := range words {
			quoted = append(quoted, bashQuote(w))
		}
		script := "source " + bashQuote(file) + "\nCOMP_WORDS=(" + strings.Join(quoted, " ") + ")\nCOMP_CWORD=" + strconv.Itoa(len(words)-1) +
			"\n_cnnc\nprintf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n"
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%q: %v\n%s", tc.line, err, out)
			continue
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("cnnc %s<TAB>: got %q, want %q", tc.line, got, tc.want)
		}
	}
}

// The fish script completes the same way, where fish is installed.
func TestFishCompletion(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("fish is not installed")
	}
	dir := t.TempDir()
	for _, f := range []string{"a.cnn", "b.png", "w.safetensors"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "cnnc.fish")
	if err := os.WriteFile(file, []byte(completionScript(t, "fish")), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		line, want string
		some       bool // whether want is some of the candidates, not all
	}{
		{"cnnc ch", "check", false},
		{"cnnc check --de", "--depth", false},
		{"cnnc check --color ", "always auto never", false},
		{"cnnc completion ", "bash fish zsh", false},
		{"cnnc init -", "--color --model --seed -o", true},
		{"cnnc fmt -", "--color -d -l -w", true},
	} {
		cmd := exec.Command(fish, "--no-config", "-c", "source "+file+"; complete -C "+fishQuote(tc.line)+" | cut -f1 | sort | tr '\\n' ' '")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%q: %v\n%s", tc.line, err, out)
			continue
		}
		got := strings.TrimSpace(string(out))
		if tc.some {
			for _, w := range strings.Fields(tc.want) {
				if !strings.Contains(" "+got+" ", " "+w+" ") {
					t.Errorf("%s<TAB>: got %q, which lacks %s", tc.line, got, w)
				}
			}
		} else if got != tc.want {
			t.Errorf("%s<TAB>: got %q, want %q", tc.line, got, tc.want)
		}
	}
}

// commandNames lists every command's name, sorted, space-separated.
func commandNames() string {
	var names []string
	for _, c := range commands {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}
