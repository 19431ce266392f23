package main

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// apply applies a unified diff made by unifiedDiff to a, checking each
// context and deleted line against it.
func apply(t *testing.T, a, diff string) string {
	t.Helper()
	x := strings.SplitAfter(a, "\n")
	if x[len(x)-1] == "" {
		x = x[:len(x)-1]
	}
	lines := strings.SplitAfter(diff, "\n")
	var out []string
	next := 0 // next line of x to copy
	for k := 2; k < len(lines) && lines[k] != ""; k++ {
		l := lines[k]
		if strings.HasPrefix(l, "@@ ") {
			var from, n, to, m int
			if _, err := fmt.Sscanf(l, "@@ -%d,%d +%d,%d @@", &from, &n, &to, &m); err != nil {
				t.Fatalf("hunk header %q: %v", l, err)
			}
			for next < from-1 {
				out = append(out, x[next])
				next++
			}
			continue
		}
		if l == "\\ No newline at end of file\n" {
			out[len(out)-1] = strings.TrimSuffix(out[len(out)-1], "\n")
			continue
		}
		op, text := l[0], l[1:]
		switch op {
		case ' ', '-':
			if next >= len(x) || strings.TrimSuffix(x[next], "\n") != strings.TrimSuffix(text, "\n") {
				t.Fatalf("line %d: diff has %q, a has %q", next+1, text, x[min(next, len(x)-1)])
			}
			if op == ' ' {
				out = append(out, x[next])
			}
			next++
		case '+':
			out = append(out, text)
		default:
			t.Fatalf("bad diff line %q", l)
		}
	}
	out = append(out, x[next:]...)
	return strings.Join(out, "")
}

func TestUnifiedDiffApplies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 400 {
		a := randomLines(rng, rng.IntN(30), 5)
		b := mutate(rng, a, 5)
		if n%7 == 0 {
			b = strings.TrimSuffix(b, "\n")
		}
		if a == b {
			continue
		}
		d := unifiedDiff("f", []byte(a), []byte(b))
		if got := apply(t, a, d); got != b {
			t.Fatalf("case %d: the diff does not turn a into b\na:\n%s\nb:\n%s\ndiff:\n%s\ngot:\n%s", n, a, b, d, got)
		}
	}
}

// TestUnifiedDiffMinimal: a small change gives a small hunk.
func TestUnifiedDiffMinimal(t *testing.T) {
	a := "a\nb\nc\nd\ne\nf\ng\nh\ni\n"
	b := "a\nb\nc\nd\nE\nf\ng\nh\ni\n"
	want := "--- f\n+++ f (formatted)\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
	if got := unifiedDiff("f", []byte(a), []byte(b)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func randomLines(rng *rand.Rand, n, alphabet int) string {
	var b strings.Builder
	for range n {
		b.WriteString(strconv.Itoa(rng.IntN(alphabet)))
		b.WriteByte('\n')
	}
	return b.String()
}

func mutate(rng *rand.Rand, a string, alphabet int) string {
	lines := strings.SplitAfter(a, "\n")
	lines = lines[:len(lines)-1]
	var out []string
	for _, l := range lines {
		switch rng.IntN(6) {
		case 0: // delete
		case 1:
			out = append(out, strconv.Itoa(rng.IntN(alphabet))+"\n", l)
		case 2:
			out = append(out, strconv.Itoa(rng.IntN(alphabet))+"\n")
		default:
			out = append(out, l)
		}
	}
	return strings.Join(out, "")
}

// TestUnifiedDiffLarge diffs 30,000-line files: every line changed, and
// a change every few lines. The old table took 30,000² ints (7 GB).
func TestUnifiedDiffLarge(t *testing.T) {
	const n = 30000
	var every, some, orig strings.Builder
	for i := range n {
		fmt.Fprintf(&orig, "  c%d: conv %d k3\n", i, i%64)
		fmt.Fprintf(&every, "c%d : conv %d  k3\n", i, i%64)
		if i%5 == 0 {
			fmt.Fprintf(&some, "c%d : conv %d  k3\n", i, i%64)
		} else {
			fmt.Fprintf(&some, "  c%d: conv %d k3\n", i, i%64)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	random := randomLines(rng, n, 50)
	for _, tc := range []struct{ name, a, b string }{
		{"every line", every.String(), orig.String()},
		{"every fifth line", some.String(), orig.String()},
		{"random lines", random, randomLines(rng, n, 50)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			d := unifiedDiff("f", []byte(tc.a), []byte(tc.b))
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%v, %d MB allocated, %d bytes of diff", took, alloc>>20, len(d))
			if took > 3*time.Second {
				t.Errorf("took %v", took)
			}
			if alloc > 200<<20 {
				t.Errorf("allocated %d MB", alloc>>20)
			}
			if got := apply(t, tc.a, d); got != tc.b {
				t.Error("the diff does not turn a into b")
			}
		})
	}
}

// TestMyersShortest checks, on small inputs, that myers finds a shortest
// edit script: as many deletions and insertions as the longest common
// subsequence leaves.
func TestMyersShortest(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for n := range 2000 {
		x := make([]int, rng.IntN(40))
		for i := range x {
			x[i] = rng.IntN(4)
		}
		y := make([]int, rng.IntN(40))
		for i := range y {
			y[i] = rng.IntN(4)
		}
		del, ins := myers(x, y)
		edits := 0
		var kx, ky []int
		for i, d := range del {
			if d {
				edits++
			} else {
				kx = append(kx, x[i])
			}
		}
		for j, d := range ins {
			if d {
				edits++
			} else {
				ky = append(ky, y[j])
			}
		}
		if fmt.Sprint(kx) != fmt.Sprint(ky) {
			t.Fatalf("case %d: the kept lines differ: %v and %v", n, kx, ky)
		}
		if want := len(x) + len(y) - 2*lcs(x, y); edits != want {
			t.Fatalf("case %d: %d edits, want %d", n, edits, want)
		}
	}
}

// lcs is the quadratic reference.
func lcs(x, y []int) int {
	t := make([][]int, len(x)+1)
	for i := range t {
		t[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	return t[0][0]
}
