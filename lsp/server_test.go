package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cnnc/cnnc/compiler"
)

func TestLifecycle(t *testing.T) {
	sr, cw := io.Pipe()
	cr, sw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(sr, sw, &Options{CacheDir: t.TempDir()}); sw.Close() }()
	c := &client{t: t, conn: newConn(cr, cw), msgs: make(chan *message, 64)}
	go func() {
		for {
			m, err := c.conn.read()
			if err != nil {
				close(c.msgs)
				return
			}
			c.msgs <- m
		}
	}()

	if m := c.call("textDocument/hover", at("file:///x.cnn", 0, 0)); m.Error == nil || m.Error.Code != codeServerNotInitialized {
		t.Errorf("a request before initialize: %+v, want error %d", m, codeServerNotInitialized)
	}
	var init initializeResult
	c.result("initialize", map[string]any{"capabilities": map[string]any{}}, &init)
	if init.Capabilities.PositionEncoding != "utf-16" || !init.Capabilities.InlayHintProvider || init.Capabilities.TextDocumentSync.Change != 1 {
		t.Errorf("capabilities: %+v", init.Capabilities)
	}
	if m := c.call("workspace/frobnicate", nil); m.Error == nil || m.Error.Code != codeMethodNotFound {
		t.Errorf("an unknown method: %+v, want error %d", m, codeMethodNotFound)
	}
	// A body that is not JSON is answered and the stream stays in step.
	io.WriteString(cw, "Content-Length: 5\r\n\r\n{oops")
	if m := c.next(); m.Error == nil || m.Error.Code != codeParseError {
		t.Errorf("a broken message: %+v, want error %d", m, codeParseError)
	}
	c.notify("$/cancelRequest", map[string]any{"id": 1})
	c.notify("$/setTrace", map[string]any{"value": "off"})
	if m := c.call("textDocument/hover", map[string]any{"textDocument": 5}); m.Error == nil || m.Error.Code != codeInvalidParams {
		t.Errorf("bad parameters: %+v, want error %d", m, codeInvalidParams)
	}
	if m := c.call("textDocument/hover", at("file:///nowhere.cnn", 0, 0)); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("a hover in a document never opened: %+v, want null", m)
	}
	if m := c.call("shutdown", nil); m.Error != nil {
		t.Fatalf("shutdown: %v", m.Error)
	}
	if m := c.call("textDocument/hover", at("file:///x.cnn", 0, 0)); m.Error == nil || m.Error.Code != codeInvalidRequest {
		t.Errorf("a request after shutdown: %+v, want error %d", m, codeInvalidRequest)
	}
	c.notify("exit", nil)
	if err := <-done; err != nil {
		t.Errorf("Serve after shutdown and exit = %v, want nil", err)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	in := "Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"
	if err := Serve(strings.NewReader(in), io.Discard, nil); !errors.Is(err, ErrNoShutdown) {
		t.Errorf("Serve = %v, want ErrNoShutdown", err)
	}
	if err := Serve(strings.NewReader(""), io.Discard, nil); err != nil {
		t.Errorf("Serve on a closed stream = %v, want nil", err)
	}
	if err := Serve(strings.NewReader("Content-Length: x\r\n\r\n"), io.Discard, nil); err == nil {
		t.Error("Serve on a bad header: no error")
	}
}

// TestHalfTyped edits a model into a state that does not parse: the
// diagnostics report the syntax error, while hover and inlay hints answer
// from the last text that parsed on the lines the edit did not touch.
func TestHalfTyped(t *testing.T) {
	c := newClient(t, nil)
	src := readFile(t, "../models/resnet18.cnn")
	uri := fileURI(t, "../models/resnet18.cnn")
	if ds := c.open(uri, src); len(ds) != 0 {
		t.Fatalf("resnet18 has diagnostics: %v", ds)
	}
	var before []InlayHint
	c.result("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": map[string]any{"start": pos(0, 0), "end": pos(100, 0)}}, &before)

	// A line inserted after layer1, half typed, with an unclosed bracket.
	lines := strings.Split(src, "\n")
	edited := strings.Join(append(append(append([]string{}, lines[:7]...), "  extra: conv 64 (k3"), lines[7:]...), "\n")
	ds := c.change(uri, 2, edited)
	if len(ds) == 0 || ds[0].Code != "SyntaxError" || ds[0].Range.Start.Line != 7 {
		t.Fatalf("diagnostics after the edit: %+v, want a SyntaxError on line 8", ds)
	}
	var after []InlayHint
	c.result("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": map[string]any{"start": pos(0, 0), "end": pos(100, 0)}}, &after)
	if len(after) != len(before) {
		t.Fatalf("%d hints after the edit, %d before: %v", len(after), len(before), after)
	}
	for i := range before {
		want := before[i].Position.Line
		if want >= 7 {
			want++
		}
		if after[i].Label != before[i].Label || after[i].Position.Line != want {
			t.Errorf("hint %d after the edit: %+v, want %+v on line %d", i, after[i], before[i], want)
		}
	}
	var h Hover
	c.result("textDocument/hover", at(uri, 8, 12), &h) // layer3's basic_stage, moved down a line
	if !strings.Contains(h.Contents.Value, "basic_stage(256, 2, s=2)") || !strings.Contains(h.Contents.Value, "[N,128,28,28] → [N,256,14,14]") {
		t.Errorf("hover on layer3 after the edit:\n%s", h.Contents.Value)
	}
	c.result("textDocument/hover", at(uri, 6, 12), &h) // layer2's, above the edit
	if !strings.Contains(h.Contents.Value, "basic_stage(128, 2, s=2)") {
		t.Errorf("hover on layer2 after the edit:\n%s", h.Contents.Value)
	}
	var loc Location
	c.result("textDocument/definition", at(uri, 8, 12), &loc)
	if !strings.HasSuffix(loc.URI, "/resnet.cnn") {
		t.Errorf("definition of basic_stage after the edit: %+v", loc)
	}
	// Formatting leaves a file that does not parse alone.
	var edits []TextEdit
	c.result("textDocument/formatting", doc(uri), &edits)
	if len(edits) != 0 {
		t.Errorf("formatting a file that does not parse: %v", edits)
	}
}

// TestEveryPrefix types models/googlenet.cnn a few characters at a time
// and asks for everything at the cursor after each change: no request may
// fail, whatever the text.
func TestEveryPrefix(t *testing.T) {
	c := newClient(t, nil)
	src := readFile(t, "../models/googlenet.cnn")
	uri := fileURI(t, "../models/googlenet.cnn")
	c.open(uri, "")
	step := 7
	if testing.Short() {
		step = 61
	}
	for n, v := 0, 2; n <= len(src); n, v = n+step, v+1 {
		text := src[:n]
		c.change(uri, v, text)
		x := newLineIndex([]byte(text))
		p := x.position(len(text))
		for _, method := range []string{"hover", "definition", "completion", "signatureHelp", "references"} {
			if m := c.call("textDocument/"+method, at(uri, p.Line, p.Character)); m.Error != nil {
				t.Fatalf("%s after %d bytes: %v", method, n, m.Error)
			}
		}
		for _, method := range []string{"documentSymbol", "formatting", "semanticTokens/full"} {
			if m := c.call("textDocument/"+method, doc(uri)); m.Error != nil {
				t.Fatalf("%s after %d bytes: %v", method, n, m.Error)
			}
		}
		if m := c.call("textDocument/codeAction", request(uri, "codeAction", 0, 0)); m.Error != nil {
			t.Fatalf("codeAction after %d bytes: %v", n, m.Error)
		}
		if m := c.call("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri},
			"range": map[string]any{"start": pos(0, 0), "end": pos(p.Line+1, 0)}}); m.Error != nil {
			t.Fatalf("inlayHint after %d bytes: %v", n, m.Error)
		}
	}
}

// TestPanic makes a request and the check panic: the server answers an
// error, reports the crash as a diagnostic, and goes on serving.
func TestPanic(t *testing.T) {
	handlers["test/panic"] = func(*Server, context.Context, json.RawMessage) (any, error) { panic("boom") }
	c := newClient(t, nil)
	defer func() {
		c.shutdown()
		delete(handlers, "test/panic")
	}()
	if m := c.call("test/panic", nil); m.Error == nil || m.Error.Code != codeInternalError || !strings.Contains(m.Error.Message, "boom") {
		t.Errorf("a panicking request: %+v", m)
	}
	saved := check
	check = func(string, []byte, *compiler.Options) *compiler.Result { panic("check exploded") }
	defer func() { check = saved }()
	ds := c.open("file:///tmp/x.cnn", "model m (input 1x2x2) < relu >\n")
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "check exploded") {
		t.Errorf("diagnostics of a check that panicked: %+v", ds)
	}
	for _, method := range []string{"hover", "definition", "completion"} {
		if m := c.call("textDocument/"+method, at("file:///tmp/x.cnn", 0, 25)); m.Error != nil {
			t.Errorf("%s after a panicked check: %v", method, m.Error)
		}
	}
	for _, method := range []string{"documentSymbol", "formatting", "semanticTokens/full"} {
		if m := c.call("textDocument/"+method, doc("file:///tmp/x.cnn")); m.Error != nil {
			t.Errorf("%s after a panicked check: %v", method, m.Error)
		}
	}
	check = saved
	if ds := c.change("file:///tmp/x.cnn", 2, "model m (input 1x2x2) < relu >\n"); len(ds) != 0 {
		t.Errorf("diagnostics once the check works again: %+v", ds)
	}
}

// TestImports checks a document that imports another open one: the
// importer sees the editor's text, and is checked again when it changes.
func TestImports(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.cnn")
	main := filepath.Join(dir, "main.cnn")
	os.WriteFile(lib, []byte("def head(n) = < flatten; dense n >\n"), 0o644)
	c := newClient(t, nil)
	mainText := "import \"lib.cnn\"\nmodel m (input 1x4x4) < head(10) >\n"
	if ds := c.open(pathToURI(main), mainText); len(ds) != 0 {
		t.Fatalf("main: %+v", ds)
	}
	c.open(pathToURI(lib), "def head(n) = < flatten; dense n >\n")
	c.diagnostics(pathToURI(main)) // checked again with the editor's text of lib
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": pathToURI(lib), "version": 2},
		"contentChanges": []map[string]any{{"text": "def head(n) = < dense n >\n"}}})
	ds := c.diagnostics(pathToURI(main))
	if len(ds) != 1 || ds[0].Code != "NeedsFlatten" || ds[0].Range.Start.Line != 1 {
		t.Fatalf("main after lib lost its flatten: %+v", ds)
	}
	if len(ds[0].RelatedInformation) == 0 || ds[0].RelatedInformation[0].Location.URI != pathToURI(lib) {
		t.Errorf("related information: %+v", ds[0].RelatedInformation)
	}
	var loc Location
	c.result("textDocument/definition", at(pathToURI(main), 0, 10), &loc)
	if loc.URI != pathToURI(lib) {
		t.Errorf("definition of the import: %+v", loc)
	}
	c.result("textDocument/definition", at(pathToURI(main), 1, 26), &loc)
	if loc.URI != pathToURI(lib) || loc.Range.Start != (Position{0, 4}) {
		t.Errorf("definition of head: %+v", loc)
	}
}

// TestStdlibCache checks that definitions in the standard library land
// in files that hold its text, and that a library file opened from there
// is the library: hovering one of its lines shows the expansions of the
// models open beside it.
func TestStdlibCache(t *testing.T) {
	cache := t.TempDir()
	c := newClient(t, &Options{CacheDir: cache})
	uri := fileURI(t, "../models/resnet18.cnn")
	c.open(uri, readFile(t, "../models/resnet18.cnn"))
	var loc Location
	c.result("textDocument/definition", at(uri, 6, 12), &loc)
	path, ok := uriToPath(loc.URI)
	if !ok || !strings.HasPrefix(path, cache) {
		t.Fatalf("definition of basic_stage: %+v, want a file under %s", loc, cache)
	}
	text := readFile(t, path)
	if text != string(compiler.StdlibSource("stdlib/resnet.cnn")) {
		t.Errorf("%s differs from the embedded stdlib/resnet.cnn", path)
	}
	if ds := c.open(loc.URI, text); len(ds) != 0 {
		t.Errorf("diagnostics of the library file: %+v", ds)
	}
	var h Hover
	c.result("textDocument/hover", at(loc.URI, 4, 10), &h) // conv1 of basic_block
	if !strings.Contains(h.Contents.Value, "8 expansions") || !strings.Contains(h.Contents.Value, "layer2.0.conv1: [N,64,56,56] → [N,128,28,28]") {
		t.Errorf("hover in the library:\n%s", h.Contents.Value)
	}
}

func TestURIs(t *testing.T) {
	for _, p := range []string{"/tmp/a b/c.cnn", "/x/é.cnn", "/plain.cnn"} {
		back, ok := uriToPath(pathToURI(p))
		if !ok || back != p {
			t.Errorf("%q → %s → %q", p, pathToURI(p), back)
		}
	}
	if _, ok := uriToPath("untitled:Untitled-1"); ok {
		t.Error("an untitled URI has a path")
	}
}

func TestUTF16(t *testing.T) {
	x := newLineIndex([]byte("a😀é\nb"))
	for _, tc := range []struct {
		off int
		p   Position
	}{{0, Position{0, 0}}, {1, Position{0, 1}}, {5, Position{0, 3}}, {7, Position{0, 4}}, {8, Position{1, 0}}, {9, Position{1, 1}}} {
		if got := x.position(tc.off); got != tc.p {
			t.Errorf("position(%d) = %v, want %v", tc.off, got, tc.p)
		}
		if got := x.offset(tc.p); got != tc.off {
			t.Errorf("offset(%v) = %d, want %d", tc.p, got, tc.off)
		}
	}
	if got := x.offset(Position{0, 99}); got != 7 {
		t.Errorf("a column past the line's end: %d, want 7", got)
	}
}

// TestStaleDefinition jumps from a model that no longer parses to a
// definition below the edit: the answer comes from the last text that
// parsed and is moved to the lines of the current one.
func TestStaleDefinition(t *testing.T) {
	c := newClient(t, nil)
	uri := "file:///tmp/stale.cnn"
	src := "model m (input 1x8x8) <\n  a: blk(4)\n>\n\ndef blk(c) = < conv c k3 p1 >\n"
	c.open(uri, src)
	c.change(uri, 2, strings.Replace(src, "  a: blk(4)\n", "  a: blk(4)\n  b: conv (\n", 1))
	var loc Location
	c.result("textDocument/definition", at(uri, 1, 6), &loc)
	if loc.URI != uri || loc.Range.Start != (Position{5, 4}) {
		t.Errorf("definition of blk after the edit: %+v, want line 5, column 4", loc)
	}
}

// TestStdlibUnwritable checks that a cache that cannot be written costs
// the jumps into the library and nothing else.
func TestStdlibUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	c := newClient(t, &Options{CacheDir: filepath.Join(file, "cache")})
	uri := fileURI(t, "../models/resnet18.cnn")
	c.open(uri, readFile(t, "../models/resnet18.cnn"))
	if m := c.call("textDocument/definition", at(uri, 6, 12)); m.Error != nil || string(m.Result) != "null" {
		t.Errorf("definition into a library that could not be written: %s %v", m.Result, m.Error)
	}
	var h Hover
	c.result("textDocument/hover", at(uri, 6, 12), &h)
	if !strings.Contains(h.Contents.Value, "basic_stage") {
		t.Errorf("hover: %q", h.Contents.Value)
	}
}
