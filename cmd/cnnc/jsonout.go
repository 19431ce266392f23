package main

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
)

// writeJSON prints v as every --json output is printed (docs/json.md):
// indented by two spaces, with <, > and & as they are rather than escaped
// for HTML, so that a derivation's arrows read as they do on the terminal.
// A map's "version" comes first and its other keys in sorted order.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if m, ok := v.(map[string]any); ok {
		keys := make([]string, 0, len(m))
		for k := range m {
			if k != "version" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		if _, ok := m["version"]; ok {
			keys = append([]string{"version"}, keys...)
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			enc.Encode(k)
			b.Truncate(b.Len() - 1) // Encode's newline
			b.WriteByte(':')
			if err := enc.Encode(m[k]); err != nil {
				return err
			}
			b.Truncate(b.Len() - 1)
		}
		b.WriteByte('}')
	} else if err := enc.Encode(v); err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, bytes.TrimSpace(b.Bytes()), "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err := w.Write(out.Bytes())
	return err
}
