package lsp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// JSON-RPC 2.0 over the LSP base protocol: each message is a JSON body
// preceded by a Content-Length header and a blank line.

// maxMessage bounds one message's body, so that a broken client cannot make
// the server allocate without limit. The compiler accepts documents of up
// to 4 MiB, and JSON escaping (\uXXXX) can make one several times larger.
const maxMessage = 64 << 20

// A message is any JSON-RPC message as read: a request has ID and Method, a
// notification only Method, a response ID and Result or Error.
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// isRequest reports whether m expects a response.
func (m *message) isRequest() bool { return len(m.ID) > 0 && m.Method != "" }

// An rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("jsonrpc error %d: %s", e.Code, e.Message) }

// The error codes the server answers with.
const (
	codeParseError           = -32700
	codeInvalidRequest       = -32600
	codeMethodNotFound       = -32601
	codeInvalidParams        = -32602
	codeInternalError        = -32603
	codeServerNotInitialized = -32002
	codeRequestCancelled     = -32800
	codeRequestFailed        = -32803
)

// A response is written with result always present (null included), as
// the protocol requires of a success.
type response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result"`
}

type errorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *rpcError       `json:"error"`
}

type notification struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  any    `json:"params"`
}

// A conn reads and writes framed messages; writes may come from any
// goroutine.
type conn struct {
	r  *bufio.Reader
	mu sync.Mutex
	w  io.Writer
}

func newConn(r io.Reader, w io.Writer) *conn {
	return &conn{r: bufio.NewReader(r), w: w}
}

// read returns the next message. A body that is not JSON is returned as a
// *rpcError with codeParseError, after which the stream is still in step.
func (c *conn) read() (*message, error) {
	length := -1
	for {
		// ReadSlice bounds a header line by the reader's buffer, so that a
		// client cannot make the server hold an endless line.
		raw, err := c.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return nil, fmt.Errorf("a header line longer than %d bytes", c.r.Size())
		}
		if err != nil {
			if err == io.EOF && length < 0 && len(raw) == 0 {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("reading a header: %w", err)
		}
		line := strings.TrimRight(string(raw), "\r\n")
		if line == "" {
			if length < 0 {
				continue // a stray blank line between messages
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed header %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 || n > maxMessage {
				return nil, fmt.Errorf("bad Content-Length %q", value)
			}
			length = n
		}
	}
	// The body grows as it arrives: a Content-Length of 64 MB followed by
	// nothing costs nothing.
	body, err := io.ReadAll(io.LimitReader(c.r, int64(length)))
	if err != nil {
		return nil, fmt.Errorf("reading a message body: %w", err)
	}
	if len(body) < length {
		return nil, fmt.Errorf("reading a message body: %w", io.ErrUnexpectedEOF)
	}
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, &rpcError{Code: codeParseError, Message: err.Error()}
	}
	return &m, nil
}

// write sends one message.
func (c *conn) write(v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return err
	}
	_, err = c.w.Write(body)
	return err
}

func (c *conn) reply(id json.RawMessage, result any, err error) error {
	if err != nil {
		e, ok := err.(*rpcError)
		if !ok {
			e = &rpcError{Code: codeRequestFailed, Message: err.Error()}
		}
		return c.write(errorResponse{JSONRPC: "2.0", ID: id, Error: e})
	}
	return c.write(response{JSONRPC: "2.0", ID: id, Result: result})
}

func (c *conn) notify(method string, params any) error {
	return c.write(notification{JSONRPC: "2.0", Method: method, Params: params})
}
