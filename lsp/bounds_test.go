package lsp

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cnnc/cnnc/compiler"
)

// positionMethods take a document and a position; rangeMethods a document
// and a range; documentMethods a document.
var (
	positionMethods = []string{"hover", "definition", "completion", "references", "prepareRename", "rename", "signatureHelp"}
	rangeMethods    = []string{"inlayHint", "codeAction"}
	documentMethods = []string{"documentSymbol", "formatting", "semanticTokens/full"}
)

// request builds the parameters of a textDocument method at a position
// (a range from it to the line below, for the range methods).
func request(uri, method string, line, char int) map[string]any {
	p := at(uri, line, char)
	switch method {
	case "rename":
		p["newName"] = "renamed"
	case "references":
		p["context"] = map[string]any{"includeDeclaration": true}
	}
	for _, m := range rangeMethods {
		if m == method {
			delete(p, "position")
			p["range"] = map[string]any{"start": pos(line, char), "end": pos(line+1, 0)}
			p["context"] = map[string]any{"diagnostics": []any{}}
		}
	}
	for _, m := range documentMethods {
		if m == method {
			delete(p, "position")
			p["options"] = map[string]any{"tabSize": 2, "insertSpaces": true}
		}
	}
	return p
}

// TestLargeDocument opens documents over the compiler's 4 MiB limit: the
// diagnostic says so, and every request is answered within a second (it
// once took 51 s and 1.3 GB to format one of 10 MB), formatting with an
// error that says why, the others with empty answers.
func TestLargeDocument(t *testing.T) {
	model := readFile(t, "../models/resnet18.cnn")
	many := strings.Repeat(model, 10<<20/len(model)+1)
	oneLine := strings.Repeat("conv 8 k3; relu; ", 10<<20/17+1)
	wide := strings.Repeat("é😀", 10<<20/6+1) // no ASCII fast path for columns
	c := newClient(t, nil)
	for name, text := range map[string]string{"models": many, "one line": "model m (input 1x8x8) < " + oneLine + " >\n", "wide": wide} {
		t.Run(name, func(t *testing.T) {
			uri := "file:///tmp/large/" + strings.ReplaceAll(name, " ", "_") + ".cnn"
			start := time.Now()
			ds := c.open(uri, text)
			if len(ds) != 1 || ds[0].Code != "LimitExceeded" || !strings.Contains(ds[0].Message, "over the limit") {
				t.Errorf("diagnostics: %+v", ds)
			}
			if d := time.Since(start); d > 3*time.Second && !raceEnabled {
				t.Errorf("opening took %v", d) // sending 10 MB of JSON and reading it back
			}
			x := newLineIndex([]byte(text))
			last := x.lines() - 1
			for _, method := range append(append(append([]string{}, positionMethods...), rangeMethods...), documentMethods...) {
				for _, p := range []Position{{0, 0}, {0, 5 << 20}, {last / 2, 3}, {last, 1 << 30}} {
					start := time.Now()
					m := c.call("textDocument/"+method, request(uri, method, p.Line, p.Character))
					if d := time.Since(start); d > time.Second {
						t.Errorf("%s at %v took %v", method, p, d)
					}
					switch {
					case method == "formatting":
						if m.Error == nil || m.Error.Code != codeRequestFailed || !strings.Contains(m.Error.Message, "over the limit") {
							t.Errorf("formatting: %s %v, want an error saying the file is too large", m.Result, m.Error)
						}
					case m.Error != nil:
						t.Errorf("%s at %v: %v", method, p, m.Error)
					case !emptyResult(string(m.Result)):
						t.Errorf("%s at %v: %.200s, want an empty answer", method, p, m.Result)
					}
				}
			}
		})
	}
	if err := c.shutdown(); err != nil {
		t.Error(err)
	}
}

func emptyResult(s string) bool {
	switch s {
	case "null", "[]", `{"data":[]}`:
		return true
	}
	return false
}

// TestLongLines checks documents under the limit whose lines are long:
// converting positions must not cost a scan of the line, so that semantic
// tokens and inlay hints over a line of a megabyte take well under a second
// more than the check itself.
func TestLongLines(t *testing.T) {
	for _, text := range []string{
		"model m (input 1x8x8) < " + strings.Repeat("relu; ", 1<<20/6) + " >\n",
		"# é😀" + strings.Repeat("é😀", 1<<20/6) + "\nmodel m (input 1x8x8) < relu >\n",
	} {
		x := newLineIndex([]byte(text))
		start := time.Now()
		for off := 0; off < len(text); off += 97 {
			for !utf8.RuneStart(text[off]) {
				off++
			}
			p := x.position(off)
			if back := x.offset(p); back != off {
				t.Fatalf("offset(position(%d)) = %d", off, back)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d conversions over a line of %d bytes took %v", len(text)/97, len(text), d)
		}
	}
}

// TestPositions asks every position-taking method at positions inside
// and outside several documents, negative ones included: the answer is a
// result, or InvalidParams for a position the protocol cannot express,
// never an internal error (a panic) and never a hang.
func TestPositions(t *testing.T) {
	c := newClient(t, nil)
	docs := map[string]string{
		"resnet":  readFile(t, "../models/resnet18.cnn"),
		"typed":   "let w = 8\ndef b(c) = < conv c k3 p1; relu >\nmodel m (input 1x28x28) <\n  a: b(w\n  c: conv 8 k3 p",
		"empty":   "",
		"newline": "\n\n",
		"wide":    "# é😀\r\nmodel m (input 1x8x8) < conv 8 k3 ; relu > # 😀\r\n",
	}
	for name, text := range docs {
		uri := "file:///tmp/positions/" + name + ".cnn"
		c.open(uri, text)
		x := newLineIndex([]byte(text))
		n := x.lines()
		lines := []int{-1 << 31, -1, 0, 1, n / 2, n - 1, n, n + 1, 1 << 31}
		chars := []int{-1 << 31, -1, 0, 1, 2, 3, 7, 30, 1 << 20, 1<<31 - 1}
		for _, method := range append(append([]string{}, positionMethods...), rangeMethods...) {
			for _, l := range lines {
				for _, ch := range chars {
					m := c.call("textDocument/"+method, request(uri, method, l, ch))
					negative := l < 0 || ch < 0
					switch {
					case negative && (m.Error == nil || m.Error.Code != codeInvalidParams):
						t.Errorf("%s in %s at %d:%d: %s %v, want InvalidParams", method, name, l, ch, m.Result, m.Error)
					case negative:
					case m.Error == nil:
					case m.Error.Code == codeRequestFailed && strings.Contains(method, "ename"):
						// a name that cannot be renamed: the editor shows why
					default:
						t.Fatalf("%s in %s at %d:%d: %v", method, name, l, ch, m.Error)
					}
				}
			}
		}
	}
	// A position that is not a number at all.
	if m := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": "file:///tmp/positions/resnet.cnn"},
		"position": map[string]any{"line": 1e30, "character": "x"}}); m.Error == nil || m.Error.Code != codeInvalidParams {
		t.Errorf("a position of the wrong type: %s %v", m.Result, m.Error)
	}
	if err := c.shutdown(); err != nil {
		t.Error(err)
	}
}

// TestLimitsAgree keeps the server's bounds in step with the compiler's.
func TestLimitsAgree(t *testing.T) {
	if maxMessage < 6*compiler.MaxFileSize {
		t.Errorf("maxMessage %d cannot carry a document of %d bytes with JSON escapes", maxMessage, compiler.MaxFileSize)
	}
	if maxLinePrefix >= compiler.MaxFileSize {
		t.Error(fmt.Sprint("maxLinePrefix does not bound anything: ", maxLinePrefix))
	}
}
