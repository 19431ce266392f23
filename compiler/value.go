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
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.String()
	}
	if len(v) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
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
