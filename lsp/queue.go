package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
)

// The messages wait in a queue between the goroutine that reads them and
// the one that serves them, so that $/cancelRequest is seen as soon as it
// arrives: a request cancelled while it waits is answered
// RequestCancelled without being run, and the one running has its
// context cancelled, which the handlers that loop over a document check.
// A didChange that a later one of the same document makes moot is not
// checked (see superseded).

// An item is one message read, or the error that ended the reading.
type item struct {
	m   *message
	err error
}

// uri returns the document a didOpen, didChange or didClose is about, ""
// for any other message.
func (it item) uri() string {
	switch it.m.Method {
	case "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose":
		var p documentParams
		json.Unmarshal(it.m.Params, &p)
		return p.TextDocument.URI
	}
	return ""
}

type queue struct {
	mu      sync.Mutex
	ready   *sync.Cond
	items   []item
	pending map[string]bool // requests read and not yet answered, by ID; true once cancelled
	running string          // the ID of the request being served
	cancel  context.CancelFunc
}

func newQueue() *queue {
	q := &queue{pending: map[string]bool{}}
	q.ready = sync.NewCond(&q.mu)
	return q
}

// idKey is a request ID as a map key: its JSON text, so that 1 and "1"
// differ as the protocol says they do.
func idKey(id json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, id) != nil {
		return string(id)
	}
	return b.String()
}

// fill reads messages into q until exit, the end of the stream or an
// error that leaves it out of step; it runs on its own goroutine.
func (q *queue) fill(c *conn) {
	for {
		m, err := c.read()
		if _, ok := err.(*rpcError); err != nil && !ok {
			q.push(item{err: err})
			return
		}
		if err == nil && m.Method == "$/cancelRequest" {
			q.cancelRequest(m.Params)
			continue
		}
		q.push(item{m: m, err: err})
		if err == nil && m.Method == "exit" {
			return
		}
	}
}

func (q *queue) push(it item) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if it.m != nil && it.m.isRequest() {
		q.pending[idKey(it.m.ID)] = false
	}
	q.items = append(q.items, it)
	q.ready.Signal()
}

// cancelRequest marks a request that is waiting or running as cancelled;
// one already answered is forgotten, as the protocol allows.
func (q *queue) cancelRequest(params json.RawMessage) {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(params, &p) != nil || len(p.ID) == 0 {
		return
	}
	k := idKey(p.ID)
	q.mu.Lock()
	defer q.mu.Unlock()
	if _, ok := q.pending[k]; !ok {
		return
	}
	q.pending[k] = true
	if q.running == k && q.cancel != nil {
		q.cancel()
	}
}

// next waits for the next item. For a request it returns the context it
// runs under, already cancelled if the client cancelled it while it
// waited; done must be called once it is answered.
func (q *queue) next() (it item, ctx context.Context, done func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait()
	}
	it = q.items[0]
	q.items[0] = item{}
	q.items = q.items[1:]
	ctx, cancel := context.WithCancel(context.Background())
	if it.m == nil || !it.m.isRequest() {
		return it, ctx, cancel
	}
	k := idKey(it.m.ID)
	if q.pending[k] {
		cancel()
	}
	q.running, q.cancel = k, cancel
	return it, ctx, func() {
		cancel()
		q.mu.Lock()
		defer q.mu.Unlock()
		delete(q.pending, k)
		q.running, q.cancel = "", nil
	}
}

// superseded reports whether a didChange of uri waits in the queue with
// nothing before it that would read the document in between: only
// requests already cancelled and notifications about other documents.
// Checking the text of the change being served would then be wasted.
func (q *queue) superseded(uri string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range q.items {
		if it.m == nil {
			return false
		}
		if it.m.isRequest() {
			if !q.pending[idKey(it.m.ID)] {
				return false
			}
			continue
		}
		switch doc := it.uri(); {
		case doc == uri:
			return it.m.Method == "textDocument/didChange"
		case doc == "" && it.m.Method != "initialized" && it.m.Method != "textDocument/didSave" && it.m.Method != "$/setTrace":
			return false
		}
	}
	return false
}
