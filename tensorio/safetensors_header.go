package tensorio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The header is read token by token rather than unmarshalled into a map so
// that duplicate names are seen (encoding/json keeps the last silently), the
// header's order is kept, and each bad field gets its own message.

type headerParser struct {
	dec *json.Decoder
}

func parseSafetensorsHeader(hdr []byte) (*SafetensorsFile, error) {
	if !utf8.Valid(hdr) {
		return nil, newError(fmtSafetensors, "header", ErrMalformed, "header is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.UseNumber()
	p := headerParser{dec}
	f := &SafetensorsFile{byName: map[string]int{}}
	if err := p.delim('{', "header", "the header"); err != nil {
		return nil, err
	}
	sawMetadata := false
	for dec.More() {
		name, err := p.key("header")
		if err != nil {
			return nil, err
		}
		field := fmt.Sprintf("tensor %q", name)
		if name == "__metadata__" {
			if sawMetadata {
				return nil, newError(fmtSafetensors, "__metadata__", ErrMalformed, "appears twice in the header")
			}
			sawMetadata = true
			if f.Metadata, err = p.metadata(); err != nil {
				return nil, err
			}
			continue
		}
		if len(f.tensors) == MaxSafetensorsTensors {
			return nil, newError(fmtSafetensors, "header", ErrTooLarge,
				"header lists more than %d tensors, the limit", MaxSafetensorsTensors)
		}
		if _, dup := f.byName[name]; dup {
			return nil, newError(fmtSafetensors, field, ErrMalformed, "name appears twice in the header")
		}
		t, err := p.tensor(name, field)
		if err != nil {
			return nil, err
		}
		f.byName[name] = len(f.tensors)
		f.tensors = append(f.tensors, t)
	}
	if _, err := p.token("header"); err != nil { // the closing brace
		return nil, err
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, p.syntaxErr("header", err)
		}
		return nil, newError(fmtSafetensors, "header", ErrMalformed,
			"unexpected %s after the header's object, at byte %d", describe(tok), dec.InputOffset())
	}
	return f, nil
}

// token returns the next JSON token, naming field in a syntax error.
func (p headerParser) token(field string) (json.Token, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntaxErr(field, err)
	}
	return tok, nil
}

// key returns the next object key. The decoder reports anything else at a
// key's place as a syntax error; the check here only keeps a decoder bug
// from becoming a panic.
func (p headerParser) key(field string) (string, error) {
	tok, err := p.token(field)
	if err != nil {
		return "", err
	}
	k, ok := tok.(string)
	if !ok {
		return "", newError(fmtSafetensors, field, ErrMalformed, "object key is %s, want a string", describe(tok))
	}
	return k, nil
}

func (p headerParser) syntaxErr(field string, err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return newError(fmtSafetensors, field, ErrMalformed, "header JSON ends early")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return newError(fmtSafetensors, field, ErrMalformed, "invalid JSON at byte %d of the header: %s", se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	}
	return newError(fmtSafetensors, field, ErrMalformed, "invalid JSON: %v", err)
}

// delim reads the opening delimiter d of what, a value of field.
func (p headerParser) delim(d json.Delim, field, what string) error {
	tok, err := p.token(field)
	if err != nil {
		return err
	}
	if tok != d {
		want := map[json.Delim]string{'{': "an object", '[': "an array"}[d]
		return newError(fmtSafetensors, field, ErrMalformed, "%s is %s, want %s", what, describe(tok), want)
	}
	return nil
}

// metadata reads the __metadata__ object: string keys to string values, or null.
func (p headerParser) metadata() (map[string]string, error) {
	const field = "__metadata__"
	tok, err := p.token(field)
	if err != nil {
		return nil, err
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('{') {
		return nil, newError(fmtSafetensors, field, ErrMalformed, "is %s, want an object of strings", describe(tok))
	}
	m := map[string]string{}
	for p.dec.More() {
		key, err := p.key(field)
		if err != nil {
			return nil, err
		}
		v, err := p.token(field)
		if err != nil {
			return nil, err
		}
		s, ok := v.(string)
		if !ok {
			return nil, newError(fmtSafetensors, field, ErrMalformed, "value of %q is %s, want a string", key, describe(v))
		}
		if _, dup := m[key]; dup {
			return nil, newError(fmtSafetensors, field, ErrMalformed, "key %q appears twice", key)
		}
		m[key] = s
	}
	_, err = p.token(field)
	return m, err
}

// tensor reads one tensor entry: {"dtype": ..., "shape": [...], "data_offsets": [b, e]}.
func (p headerParser) tensor(name, field string) (TensorInfo, error) {
	t := TensorInfo{Name: name}
	if err := p.delim('{', field, "the entry"); err != nil {
		return t, err
	}
	seen := map[string]bool{}
	for p.dec.More() {
		key, err := p.key(field)
		if err != nil {
			return t, err
		}
		if seen[key] {
			return t, newError(fmtSafetensors, field, ErrMalformed, "%s appears twice", key)
		}
		seen[key] = true
		switch key {
		case "dtype":
			v, err := p.token(field)
			if err != nil {
				return t, err
			}
			s, ok := v.(string)
			if !ok {
				return t, newError(fmtSafetensors, field, ErrMalformed, "dtype is %s, want a string", describe(v))
			}
			if _, ok := dtypeBits[s]; !ok {
				return t, newError(fmtSafetensors, field, ErrUnsupported, "unknown dtype %q (known: %s)", s, knownDtypes())
			}
			t.Dtype = s
		case "shape":
			if t.Shape, err = p.ints(field, "shape", MaxRank); err != nil {
				return t, err
			}
		case "data_offsets":
			offs, err := p.ints(field, "data_offsets", 2)
			if err != nil {
				return t, err
			}
			if len(offs) != 2 {
				return t, newError(fmtSafetensors, field, ErrMalformed, "data_offsets has %d values, want 2 (begin, end)", len(offs))
			}
			t.Begin, t.End = offs[0], offs[1]
		default: // ignored, as the reference implementation ignores unknown fields
			var skip json.RawMessage
			if err := p.dec.Decode(&skip); err != nil {
				return t, p.syntaxErr(field, err)
			}
		}
	}
	if _, err := p.token(field); err != nil {
		return t, err
	}
	for _, k := range []string{"dtype", "shape", "data_offsets"} {
		if !seen[k] {
			return t, newError(fmtSafetensors, field, ErrMalformed, "entry has no %s", k)
		}
	}
	if t.Shape == nil {
		t.Shape = []int64{}
	}
	return t, nil
}

// ints reads an array of at most max non-negative integers.
func (p headerParser) ints(field, key string, max int) ([]int64, error) {
	if err := p.delim('[', field, key); err != nil {
		return nil, err
	}
	var out []int64
	for p.dec.More() {
		tok, err := p.token(field)
		if err != nil {
			return nil, err
		}
		if len(out) == max {
			return nil, newError(fmtSafetensors, field, ErrMalformed, "%s has more than %d values", key, max)
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, newError(fmtSafetensors, field, ErrMalformed, "%s[%d] is %s, want an integer", key, len(out), describe(tok))
		}
		v, err := strconv.ParseInt(string(num), 10, 64)
		switch {
		case err != nil && errors.Is(err, strconv.ErrRange):
			return nil, newError(fmtSafetensors, field, ErrMalformed, "%s[%d], %s, overflows 64 bits", key, len(out), num)
		case err != nil:
			return nil, newError(fmtSafetensors, field, ErrMalformed, "%s[%d], %s, is not an integer", key, len(out), num)
		case v < 0:
			return nil, newError(fmtSafetensors, field, ErrMalformed, "%s[%d], %d, is negative", key, len(out), v)
		}
		out = append(out, v)
	}
	_, err := p.token(field)
	return out, err
}

// describe names the kind of a JSON token for a message.
func describe(tok json.Token) string {
	switch v := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		switch v {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", string(v))
	case string:
		if len(v) > 40 {
			v = v[:40] + "..."
		}
		return fmt.Sprintf("the string %q", v)
	case json.Number:
		return "the number " + string(v)
	case bool:
		return fmt.Sprintf("%t", v)
	}
	return fmt.Sprintf("%v", tok)
}

func knownDtypes() string {
	names := make([]string, 0, len(dtypeBits))
	for k := range dtypeBits {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
