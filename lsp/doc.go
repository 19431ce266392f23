// Package lsp is cnnc's language server: `cnnc lsp` speaks the Language
// Server Protocol 3.17 over stdio to editors.
//
// It sits beside the command line at the top of the pipeline,
// diag ← grammar ← compiler ← lsp ← cmd/cnnc, and shares its one analysis:
// every change of a document is checked with compiler.Check, exactly as
// `cnnc check` checks a file, and every feature answers from that result
// (the checked models' trees of shapes, the parsed syntax tree, and the
// checker's own name resolution through Result.LookupDef, LookupLet and
// Symbols).
//
// The protocol layer is a small hand-written JSON-RPC 2.0 implementation
// (jsonrpc.go) with only the LSP 3.17 types the server uses (protocol.go),
// rather than github.com/tliron/glsp: glsp speaks 3.16, so inlay hints and
// position encodings would be added by hand around it anyway, and the few
// hundred lines here are fewer than the dependency tree they would replace.
// Messages are read on a goroutine of their own into a queue and served
// one at a time in arrival order (queue.go). $/cancelRequest is honoured:
// a request cancelled while it waits is answered RequestCancelled without
// running, and the running one has its context cancelled, which the loops
// over a document check; parsing megabytes to format them, which the
// grammar cannot interrupt, runs aside (interruptible) and is left to
// finish. The check itself runs on didOpen and didChange, notifications
// that cannot be cancelled; it is bounded instead (compiler.MaxWork), and
// a didChange followed in the queue by another of the same document is not
// checked at all. A document over compiler.MaxFileSize is refused by the
// check and by every request at once.
//
// The server never crashes on a document: each request and notification
// recovers from a panic and answers an error, and when an edit leaves a
// file that does not parse, hover and inlay hints answer from the last
// analysis that parsed, moved to the lines that did not change.
package lsp
