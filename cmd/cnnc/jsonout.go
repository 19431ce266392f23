package main

import (
	"encoding/json"
	"io"
)

// writeJSON prints v as every --json output is printed (docs/json.md):
// indented by two spaces, with <, > and & as they are rather than escaped
// for HTML, so that a derivation's arrows read as they do on the terminal.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
