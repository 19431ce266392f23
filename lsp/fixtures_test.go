package lsp

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden answers of testdata/*.golden.json")

// TestFixtures opens each testdata/*.cnn in a server and asks what its
// annotations say, comparing the answers with testdata/NAME.golden.json.
//
// An annotation is a comment line. `#! METHOD...` asks for a whole
// document: inlayHint, documentSymbol, formatting, semanticTokens (the
// diagnostics published on opening are always recorded). A line
// `#   ^ METHOD...` asks at the column of the caret in the nearest line
// above that is not an annotation: hover, definition, completion.
// go test -update rewrites the golden files.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.cnn")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".cnn"), func(t *testing.T) {
			got := runFixture(t, f)
			golden := strings.TrimSuffix(f, ".cnn") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("answers differ from %s (go test -update rewrites it):\n%s", golden, lineDiff(string(want), string(got)))
			}
		})
	}
}

// positionRE matches an indented position, which the golden files keep on
// one line.
var positionRE = regexp.MustCompile(`\{\s*"line": (\d+),\s*"character": (\d+)\s*\}`)

var caretRE = regexp.MustCompile(`^(\s*#\s*)\^\s*(.*)$`)

// An entry is one recorded answer.
type entry struct {
	Request string          `json:"request"`
	At      string          `json:"at,omitempty"`
	Result  json.RawMessage `json:"result"`
}

func runFixture(t *testing.T, path string) []byte {
	cache := t.TempDir()
	c := newClient(t, &Options{CacheDir: cache})
	src := readFile(t, path)
	uri := fileURI(t, path)
	var entries []entry
	record := func(req, at string, v any) {
		entries = append(entries, entry{Request: req, At: at, Result: marshal(t, v, "")})
	}
	record("diagnostics", "", c.open(uri, src))
	lines := strings.Split(src, "\n")
	x := newLineIndex([]byte(src))
	target := -1
	for i, line := range lines {
		if rest, ok := strings.CutPrefix(line, "#!"); ok {
			for _, method := range strings.Fields(rest) {
				record(method, "", wholeDocument(t, c, uri, method, x))
			}
			continue
		}
		m := caretRE.FindStringSubmatch(line)
		if m == nil {
			target = i
			continue
		}
		if target < 0 {
			t.Fatalf("%s:%d: a caret with no line above", path, i+1)
		}
		col := len(m[1])
		p := x.position(x.starts[target] + min(col, len(lines[target])))
		word := wordAt(lines[target], col)
		for _, method := range strings.Fields(m[2]) {
			label := fmt.Sprintf("%d:%d %s", target+1, col+1, word)
			var v any
			switch method {
			case "completion":
				var items []CompletionItem
				c.result("textDocument/completion", at(uri, p.Line, p.Character), &items)
				var labels []string
				for _, it := range items {
					labels = append(labels, it.Label)
				}
				v = strings.Join(labels, " ")
			default:
				c.result("textDocument/"+method, at(uri, p.Line, p.Character), &v)
			}
			record(method, label, v)
		}
	}
	if err := c.shutdown(); err != nil {
		t.Fatal(err)
	}
	// Paths differ from machine to machine.
	s := string(marshal(t, entries, "  "))
	s = positionRE.ReplaceAllString(s, `{"line": $1, "character": $2}`)
	abs, _ := filepath.Abs("testdata")
	s = strings.ReplaceAll(s, pathToURI(abs), "$TESTDATA")
	s = strings.ReplaceAll(s, pathToURI(filepath.Join(cache, "stdlib-"+stdlibHash())), "$STDLIB")
	return []byte(s)
}

// marshal is json.Marshal without the escapes of <, > and &, which would
// make the golden files hard to read.
func marshal(t *testing.T, v any, indent string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func wholeDocument(t *testing.T, c *client, uri, method string, x *lineIndex) any {
	var v any
	switch method {
	case "inlayHint":
		c.result("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": map[string]any{"start": pos(0, 0), "end": pos(x.lines(), 0)}}, &v)
	case "semanticTokens":
		var toks SemanticTokens
		c.result("textDocument/semanticTokens/full", doc(uri), &toks)
		return decodeTokens(toks.Data, x)
	default:
		c.result("textDocument/"+method, doc(uri), &v)
	}
	return v
}

// decodeTokens prints semantic tokens one a line: position, text, type
// and modifiers.
func decodeTokens(data []uint32, x *lineIndex) []string {
	var out []string
	line, char := 0, 0
	for i := 0; i+4 < len(data); i += 5 {
		if data[i] > 0 {
			char = 0
		}
		line += int(data[i])
		char += int(data[i+1])
		start := x.offset(Position{Line: line, Character: char})
		end := x.offset(Position{Line: line, Character: char + int(data[i+2])})
		typ := tokenTypes[data[i+3]]
		for b, m := range tokenModifiers {
			if data[i+4]&(1<<b) != 0 {
				typ += "." + m
			}
		}
		out = append(out, fmt.Sprintf("%d:%d %s %s", line+1, char+1, x.text[start:end], typ))
	}
	return out
}

func wordAt(line string, col int) string {
	isWord := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	s, e := min(col, len(line)), min(col, len(line))
	for s > 0 && isWord(line[s-1]) {
		s--
	}
	for e < len(line) && isWord(line[e]) {
		e++
	}
	if s == e {
		return "|"
	}
	return line[s:e]
}

// lineDiff shows the lines of got that differ from want, with context.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 40; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}
