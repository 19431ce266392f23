package lsp

import (
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
func Serve(r io.Reader, w io.Writer, opts *Options) error {
	s := newServer(r, w, opts)
	for !s.exited {
		m, err := s.conn.read()
		var perr *rpcError
		switch {
		case errors.As(err, &perr):
			s.conn.reply(json.RawMessage("null"), nil, perr)
			continue
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		}
		s.handle(m)
	}
	if !s.shutdown {
		return ErrNoShutdown
	}
	return nil
}

func newServer(r io.Reader, w io.Writer, opts *Options) *Server {
	s := &Server{conn: newConn(r, w), docs: map[string]*document{}, log: io.Discard}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.Log != nil {
		s.log = s.opts.Log
	}
	return s
}

// A handler answers a request (or acts on a notification, whose result
// is dropped) from its raw parameters.
type handler func(s *Server, params json.RawMessage) (any, error)

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
}

func nop(*Server, json.RawMessage) (any, error) { return nil, nil }

// handle dispatches one message. A panic in a handler is the server's
// bug, not the document's: it is logged and answered as an internal
// error, and the session goes on.
func (s *Server) handle(m *message) {
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
	case !ok:
		err = &rpcError{Code: codeMethodNotFound, Message: "method not supported: " + m.Method}
	case !s.started && m.Method != "initialize" && m.Method != "exit":
		err = &rpcError{Code: codeServerNotInitialized, Message: "the server is not initialized"}
	case s.shutdown && m.Method != "exit":
		err = &rpcError{Code: codeInvalidRequest, Message: "the server is shut down"}
	default:
		result, err = h(s, m.Params)
	}
	if req {
		s.conn.reply(m.ID, result, err)
	}
}

// decode unmarshals a request's parameters.
func decode[T any](raw json.RawMessage) (T, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, &rpcError{Code: codeInvalidParams, Message: err.Error()}
	}
	return v, nil
}

func (s *Server) initialize(json.RawMessage) (any, error) {
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
		},
		ServerInfo: serverInfo{Name: "cnnc", Version: s.opts.Version},
	}, nil
}

func (s *Server) shutdownRequest(json.RawMessage) (any, error) {
	s.shutdown = true
	return nil, nil
}

func (s *Server) exit(json.RawMessage) (any, error) {
	s.exited = true
	return nil, nil
}

func (s *Server) logf(format string, args ...any) {
	fmt.Fprintf(s.log, "cnnc lsp: "+format+"\n", args...)
}
