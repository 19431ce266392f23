package main

import (
	"github.com/cnnc/cnnc/lsp"
)

func init() {
	register(&command{name: "lsp", args: "[--stdio]",
		short: "run the language server (LSP 3.17 over stdin and stdout) for editors", run: runLSP})
}

// runLSP serves one editor session on the standard streams; the server's
// own messages go to stderr, which editors keep in their logs.
func runLSP(c *cli, args []string) int {
	fs := c.flags(lookup("lsp"))
	fs.Bool("stdio", true, "serve on stdin and stdout, the only transport (clients such as vscode-languageclient pass it)")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fs.Usage()
		return exitUsage
	}
	if err := lsp.Serve(c.stdin, c.stdout, &lsp.Options{Version: version, Log: c.stderr}); err != nil {
		c.errorf("lsp: %v", err)
		return exitError
	}
	return exitOK
}
