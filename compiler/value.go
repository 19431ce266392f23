package compiler

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A Value is what an expression evaluates to: Int, Float, Tuple or Str.
type Value interface {
	String() string
	kind() string
}

// Int is a 64-bit integer value.
type Int int64

// Float is a floating-point value.
type Float float64

// Tuple is a tuple value; a dimension literal such as 1x7 is a tuple too.
type Tuple []Value

// Str is a string value.
type Str string

func (v Int) String() string   { return strconv.FormatInt(int64(v), 10) }
func (v Float) String() string { return strconv.FormatFloat(float64(v), 'g', -1, 64) }
func (v Str) String() string   { return strconv.Quote(string(v)) }
func (v Tuple) String() string {
	var b strings.Builder
	if writeTuple(&b, v, maxShown) {
		return b.String()
	}
	n, exact := tupleSize(v, maxCounted)
	if !exact {
		return b.String() + " more than " + groupDigits(maxCounted) + " values)"
	}
	return b.String() + " " + groupDigits(n) + " values)"
}

// maxShown bounds the bytes of a tuple printed in a message, and
// maxCounted the values counted to say how many were left out: a tuple of
// shared parts (let a2 = (a1, a1)) may hold more values than memory could.
const (
	maxShown   = 120
	maxCounted = 1 << 20
)

// writeTuple prints t into b while b holds at most max bytes; past that
// it writes "..." for the rest of each tuple and reports false, leaving
// the outermost tuple open for the caller to close.
func writeTuple(b *strings.Builder, t Tuple, max int) bool {
	b.WriteByte('(')
	for i, e := range t {
		if i > 0 {
			b.WriteString(", ")
		}
		if b.Len() >= max {
			b.WriteString("...")
			return false
		}
		if et, ok := e.(Tuple); ok {
			if !writeTuple(b, et, max) {
				b.WriteString("), ...")
				return false
			}
			continue
		}
		b.WriteString(e.String())
	}
	if len(t) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return true
}

// tupleSize counts the values in t, those of nested tuples included,
// visiting at most about limit of them: exact is false when there are
// more than limit, and n is then a lower bound.
func tupleSize(t Tuple, limit int64) (n int64, exact bool) {
	n = int64(len(t))
	if n > limit {
		return n, false
	}
	for _, e := range t {
		if et, ok := e.(Tuple); ok && len(et) > 0 {
			m, ok := tupleSize(et, limit-n)
			n += m
			if !ok || n > limit {
				return n, false
			}
		}
	}
	return n, true
}

// groupDigits writes n with thousands separators: 4,294,967,296.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func (Int) kind() string   { return "an integer" }
func (Float) kind() string { return "a number" }
func (Tuple) kind() string { return "a tuple" }
func (Str) kind() string   { return "a string" }

// asFloat returns v as a float64 if it is a number.
func asFloat(v Value) (float64, bool) {
	switch v := v.(type) {
	case Int:
		return float64(v), true
	case Float:
		return float64(v), true
	}
	return 0, false
}

// checked integer arithmetic: ok is false on overflow.
func addInt(a, b int64) (int64, bool) {
	c := a + b
	return c, (c > a) == (b > 0) || b == 0
}

func mulInt(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	c := a * b
	if c/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return c, true
}

// product multiplies sizes, reporting overflow.
func product(dims ...int64) (int64, bool) {
	p := int64(1)
	for _, d := range dims {
		var ok bool
		if p, ok = mulInt(p, d); !ok {
			return 0, false
		}
	}
	return p, true
}

func parseDims(s string) (Tuple, error) {
	parts := strings.Split(s, "x")
	t := make(Tuple, len(parts))
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s does not fit in 64 bits", p)
		}
		t[i] = Int(n)
	}
	return t, nil
}
