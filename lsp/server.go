package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
)

// Options configure a server.
type Options struct {
	// Version is reported to the client in serverInfo.
	Version string
	// CacheDir is where the standard library's files are written so that
	// go-to-definition can open them; "" means os.UserCacheDir()/cnnc.
	CacheDir string
	// Log receives the server's own messages (a request that panicked);
	// nil discards them. Never the protocol stream.
	Log io.Writer
}

// A Server is one language server session: the open documents and their
// analyses. Its methods run on one goroutine, the one that called Serve.
type Server struct {
	conn     *conn
	queue    *queue
	busy     chan struct{} // held while interruptible work runs
	opts     Options
	log      io.Writer
	docs     map[string]*document // by URI
	stdlib   string               // the materialised standard library's directory, once written
	started  bool                 // initialize was answered
	shutdown bool                 // shutdown was answered
	exited   bool
}

// ErrNoShutdown is returned by Serve when the client sent exit without
// shutdown first; the protocol asks the server to exit with status 1.
var ErrNoShutdown = errors.New("exit without shutdown")

// Serve runs a server on r and w until the client sends exit or closes r.
// Messages are read on a goroutine of their own and served one at a time,
// in order, on the caller's.
func Serve(r io.Reader, w io.Writer, opts *Options) error {
	s := newServer(r, w, opts)
	go s.queue.fill(s.conn)
	for !s.exited {
		it, ctx, done := s.queue.next()
		var perr *rpcError
		switch {
		case errors.As(it.err, &perr):
			s.conn.reply(json.RawMessage("null"), nil, perr)
		case it.err == io.EOF:
			return nil
		case it.err != nil:
			return it.err
		default:
			s.handle(ctx, it.m)
		}
		done()
	}
	if !s.shutdown {
		return ErrNoShutdown
	}
	return nil
}

func newServer(r io.Reader, w io.Writer, opts *Options) *Server {
	s := &Server{conn: newConn(r, w), queue: newQueue(), busy: make(chan struct{}, 1), docs: map[string]*document{}, log: io.Discard}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.Log != nil {
		s.log = s.opts.Log
	}
	return s
}

// A handler answers a request (or acts on a notification, whose result
// is dropped) from its raw parameters. ctx is cancelled when the client
// cancels the request; a handler that loops over a document checks it.
type handler func(s *Server, ctx context.Context, params json.RawMessage) (any, error)

var handlers = map[string]handler{
	"initialize":                       (*Server).initialize,
	"initialized":                      nop,
	"shutdown":                         (*Server).shutdownRequest,
	"exit":                             (*Server).exit,
	"textDocument/didOpen":             (*Server).didOpen,
	"textDocument/didChange":           (*Server).didChange,
	"textDocument/didClose":            (*Server).didClose,
	"textDocument/didSave":             nop,
	"textDocument/hover":               (*Server).hover,
	"textDocument/inlayHint":           (*Server).inlayHint,
	"textDocument/definition":          (*Server).definition,
	"textDocument/documentSymbol":      (*Server).documentSymbol,
	"textDocument/completion":          (*Server).completion,
	"textDocument/formatting":          (*Server).formatting,
	"textDocument/semanticTokens/full": (*Server).semanticTokens,
	"textDocument/references":          (*Server).references,
	"textDocument/prepareRename":       (*Server).prepareRename,
	"textDocument/rename":              (*Server).rename,
	"textDocument/codeAction":          (*Server).codeAction,
	"textDocument/signatureHelp":       (*Server).signatureHelp,
}

func nop(*Server, context.Context, json.RawMessage) (any, error) { return nil, nil }

// handle dispatches one message. A panic in a handler is the server's
// bug, not the document's: it is logged and answered as an internal
// error, and the session goes on. A request cancelled before or while it
// ran is answered RequestCancelled.
func (s *Server) handle(ctx context.Context, m *message) {
	req := m.isRequest()
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(s.log, "cnnc lsp: panic in %s: %v\n%s", m.Method, p, debug.Stack())
			if req {
				s.conn.reply(m.ID, nil, &rpcError{Code: codeInternalError, Message: fmt.Sprintf("internal error in %s: %v", m.Method, p)})
			}
		}
	}()
	if m.Method == "" {
		return // a response to a request the server never sends
	}
	h, ok := handlers[m.Method]
	var result any
	var err error
	switch {
	case req && ctx.Err() != nil:
		err = errCancelled
	case !ok:
		err = &rpcError{Code: codeMethodNotFound, Message: "method not supported: " + m.Method}
	case !s.started && m.Method != "initialize" && m.Method != "exit":
		err = &rpcError{Code: codeServerNotInitialized, Message: "the server is not initialized"}
	case s.shutdown && m.Method != "exit":
		err = &rpcError{Code: codeInvalidRequest, Message: "the server is shut down"}
	default:
		result, err = h(s, ctx, m.Params)
		if req && ctx.Err() != nil {
			result, err = nil, errCancelled
		}
	}
	if req {
		s.conn.reply(m.ID, result, err)
	}
}

var errCancelled = &rpcError{Code: codeRequestCancelled, Message: "the request was cancelled"}

// interruptible runs fn, which must touch nothing of the server's but
// immutable text, on a goroutine of its own and returns when fn does, or
// errCancelled as soon as ctx is cancelled: for the work whose loops are
// the grammar's and cannot look at ctx (parsing megabytes to format them).
// A cancelled fn finishes in the background; only one runs at a time, so
// cancelled work cannot pile up.
func (s *Server) interruptible(ctx context.Context, fn func()) error {
	select {
	case s.busy <- struct{}{}:
	case <-ctx.Done():
		return errCancelled
	}
	done := make(chan struct{})
	var crash any
	go func() {
		defer func() {
			crash = recover()
			<-s.busy
			close(done)
		}()
		fn()
	}()
	select {
	case <-done:
		if crash != nil {
			panic(crash) // the server's bug: handle answers an internal error
		}
		return nil
	case <-ctx.Done():
		return errCancelled
	}
}

// decode unmarshals a request's parameters, and checks those that can be
// wrong beyond their JSON types (a negative line) with their validate.
func decode[T any](raw json.RawMessage) (T, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, &rpcError{Code: codeInvalidParams, Message: err.Error()}
	}
	if c, ok := any(&v).(interface{ validate() error }); ok {
		if err := c.validate(); err != nil {
			return v, err
		}
	}
	return v, nil
}

func (s *Server) initialize(context.Context, json.RawMessage) (any, error) {
	s.started = true
	return initializeResult{
		Capabilities: serverCapabilities{
			PositionEncoding:           "utf-16",
			TextDocumentSync:           textDocumentSync{OpenClose: true, Change: 1},
			HoverProvider:              true,
			InlayHintProvider:          true,
			DefinitionProvider:         true,
			DocumentSymbolProvider:     true,
			DocumentFormattingProvider: true,
			CompletionProvider:         completionOptions{TriggerCharacters: []string{":", "="}},
			SemanticTokensProvider: semanticTokensOptions{
				Legend: semanticTokensLegend{TokenTypes: tokenTypes, TokenModifiers: tokenModifiers},
				Full:   true,
			},
			ReferencesProvider:    true,
			RenameProvider:        renameOptions{PrepareProvider: true},
			CodeActionProvider:    codeActionOptions{CodeActionKinds: []string{"quickfix"}},
			SignatureHelpProvider: signatureHelpOptions{TriggerCharacters: []string{"(", ","}, RetriggerCharacters: []string{"="}},
		},
		ServerInfo: serverInfo{Name: "cnnc", Version: s.opts.Version},
	}, nil
}

func (s *Server) shutdownRequest(context.Context, json.RawMessage) (any, error) {
	s.shutdown = true
	return nil, nil
}

func (s *Server) exit(context.Context, json.RawMessage) (any, error) {
	s.exited = true
	return nil, nil
}

func (s *Server) logf(format string, args ...any) {
	fmt.Fprintf(s.log, "cnnc lsp: "+format+"\n", args...)
}
