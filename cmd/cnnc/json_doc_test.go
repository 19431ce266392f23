package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestJSONDocumented runs every command that takes --json on a shipped
// model and compares the keys it prints with those of the command's
// example in docs/json.md: a key missing from the example is undocumented,
// a key of the example missing from the output is documented wrongly.
// Keys are compared as paths (models[].layers[].name), over every element
// of an array.
func TestJSONDocumented(t *testing.T) {
	examples := jsonExamples(t, filepath.Join("..", "..", "docs", "json.md"))
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// A model with an error inside a definition: the diagnostic has notes,
	// a related call site and a fix.
	net := write("net.cnn", []byte("def classifier(k) = < flatten; fc: dense 10 in k >\n\n"+
		"model net (input 1x28x28) <\n  c1: conv 6 k5 p2; relu\n  s2: maxpool k2\n  head: classifier(6*12*12)\n>\n"))
	// Three blank 28x28 images and their labels, as IDX files.
	var images, labels bytes.Buffer
	binary.Write(&images, binary.BigEndian, []uint32{0x803, 3, 28, 28})
	images.Write(make([]byte, 3*28*28))
	binary.Write(&labels, binary.BigEndian, []uint32{0x801, 3})
	labels.Write([]byte{0, 1, 2})
	idxImages, idxLabels := write("images.idx", images.Bytes()), write("labels.idx", labels.Bytes())

	lenet := filepath.Join("..", "..", "models", "lenet5.cnn")
	image := filepath.Join("..", "..", "testdata", "images", "0-tshirt.png")
	for _, tc := range []struct {
		cmd  string
		args []string
		code int
	}{
		{"check", []string{"--json", lenet, net}, exitError},
		{"params", []string{"--json", lenet}, exitOK},
		{"run", []string{"--json", "--top", "2", lenet, image}, exitOK},
		{"eval", []string{"--json", lenet, "--images", idxImages, "--labels", idxLabels}, exitOK},
		{"bench", []string{"--json", "--runs", "1", "--warmup", "0", lenet}, exitOK},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Main(append([]string{tc.cmd}, tc.args...), strings.NewReader(""), &stdout, &stderr); code != tc.code {
				t.Fatalf("cnnc %s %s: exit %d, want %d\n%s", tc.cmd, strings.Join(tc.args, " "), code, tc.code, stderr.String())
			}
			var got map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("output is not a JSON object: %v\n%s", err, stdout.String())
			}
			if got["version"] != 1.0 {
				t.Errorf(`"version" is %v, want 1`, got["version"])
			}
			if !strings.HasPrefix(stdout.String(), "{\n  \"version\": 1,") {
				t.Errorf(`"version" does not come first:\n%.80s`, stdout.String())
			}
			example, ok := examples[tc.cmd]
			if !ok {
				t.Fatalf("docs/json.md has no example of cnnc %s --json", tc.cmd)
			}
			have, documented := keyPaths(got), keyPaths(example)
			for _, k := range have {
				if !contains(documented, k) {
					t.Errorf("cnnc %s --json prints %s, which docs/json.md's example lacks", tc.cmd, k)
				}
			}
			for _, k := range documented {
				if !contains(have, k) {
					t.Errorf("docs/json.md's example of cnnc %s --json has %s, which the output lacks", tc.cmd, k)
				}
				if !snakeCase.MatchString(k[strings.LastIndexAny(k, ".]")+1:]) {
					t.Errorf("key %s is not snake_case", k)
				}
			}
		})
	}
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// jsonExamples reads the ```json blocks of docs/json.md, each under a
// heading that names its command (## `cnnc check --json`).
func jsonExamples(t *testing.T, path string) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heading := regexp.MustCompile("^## `cnnc ([a-z]+) --json`")
	examples := map[string]any{}
	cmd := ""
	var block *strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case block != nil && line == "```":
			var v any
			if err := json.Unmarshal([]byte(block.String()), &v); err != nil {
				t.Fatalf("%s: the example of cnnc %s is not JSON: %v", path, cmd, err)
			}
			if cmd == "" || examples[cmd] != nil {
				t.Fatalf("%s: a JSON block outside a command's section, or a second in one (%q)", path, cmd)
			}
			examples[cmd] = v
			block = nil
		case block != nil:
			block.WriteString(line + "\n")
		case line == "```json":
			block = &strings.Builder{}
		case strings.HasPrefix(line, "## "):
			cmd = ""
			if m := heading.FindStringSubmatch(line); m != nil {
				cmd = m[1]
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return examples
}

// keyPaths lists the keys of v as sorted paths: a.b for a key b of a's
// object, a[].b for a key of the objects in the array a.
func keyPaths(v any) []string {
	set := map[string]bool{}
	var walk func(v any, prefix string)
	walk = func(v any, prefix string) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				set[p] = true
				walk(e, p)
			}
		case []any:
			for _, e := range v {
				walk(e, prefix+"[]")
			}
		}
	}
	walk(v, "")
	var paths []string
	for p := range set {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func contains(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}
