package compiler

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cnnc/cnnc/diag"
)

// lets returns n constants, each defined from the one before by f.
func lets(first string, n int, f func(prev string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "let a0 = %s\n", first)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "let a%d = %s\n", i, f(fmt.Sprintf("a%d", i-1)))
	}
	return b.String()
}

// TestHostileExpansion checks sources that once made the checker run for
// minutes or build messages of hundreds of megabytes: each must end
// promptly with a LimitExceeded diagnostic and short messages.
func TestHostileExpansion(t *testing.T) {
	double := func(p string) string { return "(" + p + ", " + p + ")" }
	cases := []struct {
		name, src string
		want      string // a regexp for one LimitExceeded message
	}{
		{"empty repeats", "model m (input 1x8x8) < repeat 99999 < repeat 99999 < repeat 99999 < > > > >",
			`more than 250000 members and repeat copies`},
		{"empty repeat in a definition", "def e() = < repeat 99999 < > >\nmodel m (input 1x8x8) < repeat 99999 < e() > >",
			`more than 250000 members and repeat copies`},
		{"doubling tuple", lets("1", 63, double) + "model m (input 1x8x8) < conv a63 k3 >",
			`a tuple of more than 65536 values`},
		{"chain of one-element tuples", lets("1", 5000, func(p string) string { return "(" + p + ",)" }) + "model m (input 1x8x8) < conv a5000 k3 >",
			`checking takes more than 1000000 steps`},
		{"dimension literal", "model m (input 1x8x8) < conv 8 k=1" + strings.Repeat("x1", 70000) + " >",
			`a tuple of more than 65536 values`},
		{"long expression repeated", "model m (input 1x8x8) < repeat 100000 < conv (" + strings.Repeat("1+", 2000) + "1) k1 > >",
			`checking takes more than 1000000 steps`},
		{"many models", strings.Repeat("model m (input 1x8x8) < repeat 100000 < relu; relu > >\n", 50),
			`checking takes more than 1000000 steps`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, elapsed := checkTimed(t, tc.src)
			re := regexp.MustCompile(tc.want)
			found := false
			for _, d := range r.Diags {
				if d.Code == diag.LimitExceeded && re.MatchString(d.Message) {
					found = true
				}
			}
			if !found {
				t.Errorf("no LimitExceeded diagnostic matching %q; have %v", tc.want, firstDiags(r.Diags))
			}
			if elapsed > time.Second {
				t.Logf("the check took %v", elapsed)
			}
		})
	}
}

// TestHintsBounded checks that the probes of smallestInput, run for every
// model whose map shrinks to nothing, share one bound: a file of many such
// models ends promptly and keeps its models' own diagnostics.
func TestHintsBounded(t *testing.T) {
	src := strings.Repeat("model m (input 1x8x8) < repeat 3000 < relu; relu >; conv 1 k9 >\n", 40)
	r, _ := checkTimed(t, src)
	shrunk := 0
	for _, d := range r.Diags {
		if d.Code == diag.NonPositiveSize {
			shrunk++
		}
	}
	if shrunk != 40 {
		t.Errorf("%d NonPositiveSize diagnostics, want one a model; have %v", shrunk, firstDiags(r.Diags))
	}
}

// checkTimed checks src, failing the test if that takes more than ten
// seconds (the bounds make it a fraction of one) or if any message is long.
func checkTimed(t *testing.T, src string) (*Result, time.Duration) {
	t.Helper()
	done := make(chan *Result, 1)
	start := time.Now()
	go func() { done <- Check("hostile.cnn", []byte(src), nil) }()
	select {
	case r := <-done:
		elapsed := time.Since(start)
		for _, d := range r.Diags {
			if n := len(diag.Format(d, r.Source)); n > 4000 {
				t.Errorf("a diagnostic of %d bytes: %.200s", n, d.Message)
			}
		}
		return r, elapsed
	case <-time.After(10 * time.Second):
		t.Fatal("the check did not end within 10 s")
		return nil, 0
	}
}

func firstDiags(l diag.List) string {
	var out []string
	for i, d := range l {
		if i == 5 {
			out = append(out, fmt.Sprintf("... %d more", len(l)-i))
			break
		}
		out = append(out, fmt.Sprintf("%s %q", d.Code, d.Message))
	}
	return strings.Join(out, "; ")
}

// TestTupleString checks that a tuple prints whole when short and cut
// short, with its count of values, when long, however many values it
// shares.
func TestTupleString(t *testing.T) {
	huge := Tuple{Int(1), Int(2)}
	for range 62 {
		huge = Tuple{huge, huge}
	}
	long := make(Tuple, 100)
	for i := range long {
		long[i] = Int(i)
	}
	chain := Tuple{Int(7)}
	for range 200 {
		chain = Tuple{chain}
	}
	for _, tc := range []struct {
		v    Tuple
		want string // a regexp for the whole text
	}{
		{Tuple{}, `^\(\)$`},
		{Tuple{Int(1)}, `^\(1,\)$`},
		{Tuple{Int(1), Float(2.5), Str("x")}, `^\(1, 2\.5, "x"\)$`},
		{Tuple{Tuple{Int(1), Int(2)}}, `^\(\(1, 2\),\)$`},
		{long, `^\(0, 1, 2, .*, \.\.\. 100 values\)$`},
		{huge, `^\(\(\(\(.*\.\.\. more than 1,048,576 values\)$`},
		{chain, `^\(\(\(\(.*\.\.\. 201 values\)$`},
	} {
		s := tc.v.String()
		if len(s) > 2000 || !regexp.MustCompile(tc.want).MatchString(s) {
			t.Errorf("String() = %.300q (%d bytes), want %s", s, len(s), tc.want)
		}
	}
}
