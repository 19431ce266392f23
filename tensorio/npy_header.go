package tensorio

import (
	"fmt"
	"strconv"
	"strings"
)

// An .npy header is a Python literal. numpy reads it with ast.literal_eval;
// pyParser reads the subset numpy writes:
//
//	value = dict | tuple | list | string | int | True | False | None
//	dict  = "{" [ string ":" value { "," string ":" value } [","] ] "}"
//	tuple = "(" [ value { "," value } [","] ] ")"
//	list  = "[" [ value { "," value } [","] ] "]"
//	int   = ["-"] digit {digit} ["L"]      (Python 2 wrote 3L)
//	string = "'" ... "'" | '"' ... '"'     (backslash escapes one character)
//
// Nesting is capped, and the header is capped at maxNpyHeader bytes, so a
// hostile header costs little.

type (
	pyDict struct {
		keys []string // in the order written
		m    map[string]any
	}
	pyTuple []any
	pyList  []any
)

const maxPyDepth = 8

type pyParser struct {
	s string
	i int
}

func (p *pyParser) errorf(format string, args ...any) error {
	return fmt.Errorf("header dict at byte %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// eat consumes c if it is next, after spaces.
func (p *pyParser) eat(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *pyParser) value(depth int) (any, error) {
	if depth > maxPyDepth {
		return nil, p.errorf("nested more than %d deep", maxPyDepth)
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, p.errorf("ends where a value should be")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		d := pyDict{m: map[string]any{}}
		for !p.eat('}') {
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, p.errorf("dict key is %s, want a string", pyKind(k))
			}
			if !p.eat(':') {
				return nil, p.errorf("want ':' after the key %q", key)
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if _, dup := d.m[key]; dup {
				return nil, p.errorf("key %q appears twice", key)
			}
			d.keys = append(d.keys, key)
			d.m[key] = v
			if !p.eat(',') && !p.eat('}') {
				return nil, p.errorf("want ',' or '}' after the value of %q", key)
			} else if p.s[p.i-1] == '}' {
				break
			}
		}
		return d, nil
	case c == '(' || c == '[':
		p.i++
		end := byte(')')
		if c == '[' {
			end = ']'
		}
		var items []any
		for !p.eat(end) {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			items = append(items, v)
			if !p.eat(',') && !p.eat(end) {
				return nil, p.errorf("want ',' or '%c' in a %s", end, map[byte]string{')': "tuple", ']': "list"}[end])
			} else if p.s[p.i-1] == end {
				break
			}
		}
		if c == '[' {
			return pyList(items), nil
		}
		return pyTuple(items), nil
	case c == '\'' || c == '"':
		return p.str(c)
	case c == '-' || c >= '0' && c <= '9':
		return p.int()
	default:
		start := p.i
		for p.i < len(p.s) && (p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z' ||
			p.i > start && (p.s[p.i] >= '0' && p.s[p.i] <= '9' || p.s[p.i] == '_')) {
			p.i++
		}
		switch word := p.s[start:p.i]; word {
		case "True":
			return true, nil
		case "False":
			return false, nil
		case "None":
			return nil, nil
		case "":
			return nil, p.errorf("unexpected %q", p.s[p.i])
		default:
			return nil, p.errorf("unexpected name %q", word)
		}
	}
}

func (p *pyParser) str(quote byte) (string, error) {
	start := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == quote:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case c == '\n':
			return "", p.errorf("string starting at byte %d runs past the line", start)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("string starting at byte %d is not closed", start)
}

func (p *pyParser) int() (int64, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	num := p.s[start:p.i]
	if p.i < len(p.s) && p.s[p.i] == 'L' {
		p.i++
	}
	if p.i < len(p.s) && strings.IndexByte(".eEjx_", p.s[p.i]) >= 0 {
		return 0, p.errorf("number %q is not an integer", p.s[start:p.i+1])
	}
	v, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		if num == "-" {
			return 0, p.errorf("'-' without digits")
		}
		return 0, p.errorf("integer %s does not fit in 64 bits", num)
	}
	return v, nil
}

// pyKind names the kind of a parsed value for messages.
func pyKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int64:
		return fmt.Sprintf("the integer %d", v)
	case string:
		return fmt.Sprintf("the string %q", v)
	case pyTuple:
		return "a tuple"
	case pyList:
		return "a list"
	case pyDict:
		return "a dict"
	}
	return fmt.Sprintf("%T", v)
}
