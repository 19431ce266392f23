package lsp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"testing"
	"time"
)

func frame(msgs ...any) []byte {
	var b bytes.Buffer
	for _, m := range msgs {
		body, _ := json.Marshal(m)
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	return b.Bytes()
}

func req(id int, method string, params any) map[string]any {
	return map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params}
}

func note(method string, params any) map[string]any {
	return map[string]any{"jsonrpc": "2.0", "method": method, "params": params}
}

// FuzzServe feeds arbitrary bytes to the server's message loop, as an
// editor's stdin: it must neither panic nor hang, whatever the framing,
// the JSON or the documents inside.
func FuzzServe(f *testing.F) {
	model, err := os.ReadFile("../models/resnet18.cnn")
	if err != nil {
		f.Fatal(err)
	}
	uri := "file:///tmp/fuzz/m.cnn"
	pos := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 4, "character": 12}}
	doc := map[string]any{"textDocument": map[string]any{"uri": uri}}
	session := frame(
		req(1, "initialize", map[string]any{"capabilities": map[string]any{}}),
		note("initialized", map[string]any{}),
		note("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "cnn", "version": 1, "text": string(model)}}),
		req(2, "textDocument/hover", pos),
		req(3, "textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 99, "character": 0}}}),
		req(4, "textDocument/definition", pos),
		req(5, "textDocument/completion", pos),
		req(6, "textDocument/documentSymbol", doc),
		req(7, "textDocument/semanticTokens/full", doc),
		req(8, "textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}),
		req(11, "textDocument/references", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 4, "character": 12}, "context": map[string]any{"includeDeclaration": true}}),
		req(12, "textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 4, "character": 12}, "newName": "x"}),
		req(13, "textDocument/signatureHelp", pos),
		req(14, "textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 99, "character": 0}}, "context": map[string]any{"diagnostics": []any{}}}),
		note("$/cancelRequest", map[string]any{"id": 14}),
		note("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": "model m (input 1x8x8) < conv 4 k3; dense 10 >"}}}),
		req(9, "textDocument/hover", pos),
		req(10, "shutdown", nil),
		note("exit", nil),
	)
	f.Add(session)
	f.Add(session[:len(session)/2])
	f.Add([]byte("Content-Length: 10\r\n\r\n{\"id\":1}xx"))
	f.Add([]byte("Content-Length: 99999999\r\n\r\n{"))
	f.Add([]byte("\r\n\r\nContent-Length: -1\r\n\r\n"))
	cache := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			Serve(bytes.NewReader(data), io.Discard, &Options{CacheDir: cache})
		}()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Serve did not return within 20 s on %d bytes", len(data))
		}
	})
}
