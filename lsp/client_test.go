package lsp

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A client drives a server over in-memory pipes, as an editor would.
type client struct {
	t      testing.TB
	conn   *conn
	msgs   chan *message
	nextID int
	notes  []*message // notifications read while waiting for a response
	done   chan error // Serve's result
}

// newClient starts a server and initializes it.
func newClient(t testing.TB, opts *Options) *client {
	t.Helper()
	sr, cw := io.Pipe() // client → server
	cr, sw := io.Pipe() // server → client
	c := &client{t: t, conn: newConn(cr, cw), msgs: make(chan *message, 1024), done: make(chan error, 1)}
	if opts == nil {
		opts = &Options{CacheDir: t.TempDir()}
	}
	go func() {
		err := Serve(sr, sw, opts)
		sw.Close()
		c.done <- err
	}()
	go func() {
		defer close(c.msgs)
		for {
			m, err := c.conn.read()
			if err != nil {
				return
			}
			c.msgs <- m
		}
	}()
	t.Cleanup(func() { cw.Close() })
	c.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
	c.notify("initialized", map[string]any{})
	return c
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.notify(method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// call sends a request and returns its response.
func (c *client) call(method string, params any) *message {
	c.t.Helper()
	c.nextID++
	id := json.RawMessage(fmt.Sprint(c.nextID))
	if err := c.conn.write(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params}); err != nil {
		c.t.Fatalf("call %s: %v", method, err)
	}
	for {
		m := c.next()
		if m.Method == "" && string(m.ID) == string(id) {
			return m
		}
		c.notes = append(c.notes, m)
	}
}

// result calls method and decodes its result into v, failing on an error.
func (c *client) result(method string, params any, v any) {
	c.t.Helper()
	m := c.call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: %v", method, m.Error)
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		c.t.Fatalf("%s: decoding %s: %v", method, m.Result, err)
	}
}

func (c *client) next() *message {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatalf("the server closed the connection")
		}
		return m
	case <-time.After(20 * time.Second):
		c.t.Fatalf("no message from the server in 20s")
	}
	return nil
}

// diagnostics returns the next diagnostics published for uri.
func (c *client) diagnostics(uri string) []Diagnostic {
	c.t.Helper()
	for i, m := range c.notes {
		if p, ok := publishedFor(m, uri); ok {
			c.notes = append(c.notes[:i], c.notes[i+1:]...)
			return p.Diagnostics
		}
	}
	for {
		m := c.next()
		if p, ok := publishedFor(m, uri); ok {
			return p.Diagnostics
		}
		c.notes = append(c.notes, m)
	}
}

func publishedFor(m *message, uri string) (publishDiagnosticsParams, bool) {
	var p publishDiagnosticsParams
	if m.Method != "textDocument/publishDiagnostics" {
		return p, false
	}
	json.Unmarshal(m.Params, &p)
	return p, p.URI == uri
}

// open opens a document and returns its diagnostics.
func (c *client) open(uri, text string) []Diagnostic {
	c.t.Helper()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "cnn", "version": 1, "text": text}})
	return c.diagnostics(uri)
}

// change replaces a document's text and returns its diagnostics.
func (c *client) change(uri string, version int, text string) []Diagnostic {
	c.t.Helper()
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []map[string]any{{"text": text}}})
	return c.diagnostics(uri)
}

// shutdown ends the session properly and returns Serve's result.
func (c *client) shutdown() error {
	c.t.Helper()
	c.call("shutdown", nil)
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		return err
	case <-time.After(10 * time.Second):
		c.t.Fatal("the server did not exit")
	}
	return nil
}

func pos(line, char int) map[string]any {
	return map[string]any{"line": line, "character": char}
}

func at(uri string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos(line, char)}
}

func doc(uri string) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}}
}

// fileURI returns the URI of a path relative to the package directory.
func fileURI(t testing.TB, rel string) string {
	abs, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return pathToURI(abs)
}

func readFile(t testing.TB, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
