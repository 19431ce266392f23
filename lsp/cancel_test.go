package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cnnc/cnnc/compiler"
)

// blocker registers test methods: test/block waits until release is
// closed, test/count counts its runs, test/slow waits for its context (or
// ten seconds), test/slowwork runs ten seconds of interruptible work.
type blocker struct {
	release chan struct{}
	runs    int
}

func newBlocker(t *testing.T) *blocker {
	b := &blocker{release: make(chan struct{})}
	handlers["test/block"] = func(*Server, context.Context, json.RawMessage) (any, error) {
		<-b.release
		return "released", nil
	}
	handlers["test/count"] = func(*Server, context.Context, json.RawMessage) (any, error) {
		b.runs++
		return b.runs, nil
	}
	handlers["test/slow"] = func(_ *Server, ctx context.Context, _ json.RawMessage) (any, error) {
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
		}
		return "done", nil
	}
	handlers["test/slowwork"] = func(s *Server, ctx context.Context, _ json.RawMessage) (any, error) {
		return "done", s.interruptible(ctx, func() { time.Sleep(10 * time.Second) })
	}
	t.Cleanup(func() {
		for _, m := range []string{"test/block", "test/count", "test/slow", "test/slowwork"} {
			delete(handlers, m)
		}
	})
	return b
}

// send writes a request without waiting for its answer and returns its ID.
func (c *client) send(method string, params any) int {
	c.t.Helper()
	c.nextID++
	if err := c.conn.write(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params}); err != nil {
		c.t.Fatalf("send %s: %v", method, err)
	}
	return c.nextID
}

// answer waits for the response to request id.
func (c *client) answer(id int) *message {
	c.t.Helper()
	for i, m := range c.notes {
		if m.Method == "" && string(m.ID) == fmt.Sprint(id) {
			c.notes = append(c.notes[:i], c.notes[i+1:]...)
			return m
		}
	}
	for {
		m := c.next()
		if m.Method == "" && string(m.ID) == fmt.Sprint(id) {
			return m
		}
		c.notes = append(c.notes, m)
	}
}

func cancelled(m *message) bool { return m.Error != nil && m.Error.Code == codeRequestCancelled }

// TestCancelQueued cancels requests that wait behind a busy one: they are
// answered RequestCancelled without running, and the others still run.
func TestCancelQueued(t *testing.T) {
	b := newBlocker(t)
	c := newClient(t, nil)
	block := c.send("test/block", nil)
	first := c.send("test/count", nil)
	second := c.send("test/count", nil)
	third := c.send("test/count", nil)
	c.notify("$/cancelRequest", map[string]any{"id": second})
	c.notify("$/cancelRequest", map[string]any{"id": "not a request"})
	c.notify("$/cancelRequest", map[string]any{"id": 99999})
	time.Sleep(50 * time.Millisecond) // the cancellation is read before the block ends
	close(b.release)
	if m := c.answer(block); string(m.Result) != `"released"` {
		t.Fatalf("test/block: %+v", m)
	}
	if m := c.answer(first); string(m.Result) != "1" {
		t.Errorf("first count: %s %v", m.Result, m.Error)
	}
	if m := c.answer(second); !cancelled(m) {
		t.Errorf("the cancelled request: %s %v, want error %d", m.Result, m.Error, codeRequestCancelled)
	}
	if m := c.answer(third); string(m.Result) != "2" {
		t.Errorf("third count: %s %v, want 2 (the cancelled one must not run)", m.Result, m.Error)
	}
	// A cancellation of a request already answered changes nothing.
	c.notify("$/cancelRequest", map[string]any{"id": first})
	if m := c.call("test/count", nil); string(m.Result) != "3" {
		t.Errorf("a count after: %s %v", m.Result, m.Error)
	}
	if err := c.shutdown(); err != nil {
		t.Error(err)
	}
}

// TestCancelRunning cancels the request being served: its context ends,
// the answer is RequestCancelled at once, and work that cannot look at its
// context (interruptible) is left behind rather than waited for.
func TestCancelRunning(t *testing.T) {
	newBlocker(t)
	c := newClient(t, nil)
	for _, method := range []string{"test/slow", "test/slowwork"} {
		start := time.Now()
		id := c.send(method, nil)
		time.Sleep(20 * time.Millisecond)
		c.notify("$/cancelRequest", map[string]any{"id": id})
		if m := c.answer(id); !cancelled(m) {
			t.Errorf("%s cancelled: %s %v", method, m.Result, m.Error)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s answered %v after it was sent", method, d)
		}
	}
	// The interruptible work still holds its slot: the next waits for it
	// and can be cancelled while it waits.
	id := c.send("test/slowwork", nil)
	c.notify("$/cancelRequest", map[string]any{"id": id})
	if m := c.answer(id); !cancelled(m) {
		t.Errorf("slowwork waiting for the slot: %s %v", m.Result, m.Error)
	}
	var h any
	c.result("textDocument/hover", at("file:///nowhere.cnn", 0, 0), &h)
}

// TestCancelSupersededChanges queues three changes of a document behind a
// busy request: only the last is checked and published, and a hover after
// them answers from it.
func TestCancelSupersededChanges(t *testing.T) {
	b := newBlocker(t)
	checks := 0
	saved := check
	check = func(name string, src []byte, opts *compiler.Options) *compiler.Result {
		checks++
		return saved(name, src, opts)
	}
	defer func() { check = saved }()
	c := newClient(t, nil)
	uri := "file:///tmp/superseded.cnn"
	c.open(uri, "model m (input 1x8x8) < conv 4 k3 >\n")
	block := c.send("test/block", nil)
	var hovers []int
	for v := 2; v <= 4; v++ {
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": v},
			"contentChanges": []map[string]any{{"text": fmt.Sprintf("model m (input 1x8x8) < conv %d k3 p1; flatten; dense 10 in 7 >\n", v)}}})
		// An editor asks after each change and cancels when it changes again.
		id := c.send("textDocument/hover", at(uri, 0, 27))
		c.notify("$/cancelRequest", map[string]any{"id": id})
		hovers = append(hovers, id)
	}
	time.Sleep(50 * time.Millisecond)
	close(b.release)
	c.answer(block)
	for _, id := range hovers {
		if m := c.answer(id); !cancelled(m) {
			t.Errorf("a cancelled hover: %s %v", m.Result, m.Error)
		}
	}
	ds := c.diagnostics(uri)
	var h Hover
	c.result("textDocument/hover", at(uri, 0, 27), &h)
	if checks != 2 {
		t.Errorf("%d checks for an open and three queued changes, want 2", checks)
	}
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "256 flow in") {
		t.Errorf("diagnostics after the changes: %+v", ds)
	}
	for _, m := range c.notes {
		if p, ok := publishedFor(m, uri); ok {
			t.Errorf("diagnostics of a superseded version: %+v", p)
		}
	}
	if !strings.Contains(h.Contents.Value, "[N,4,8,8]") {
		t.Errorf("hover after the changes:\n%s", h.Contents.Value)
	}
}
