package diag

import (
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	src := []byte("model m (input 3x8x8) <\n\tconv 8 k3 nobais\n>\n")
	get := func(string) []byte { return src }
	var l List
	d := l.Add(Range{Start: Pos{File: "m.cnn", Offset: 35, Line: 2, Col: 12}, End: Pos{File: "m.cnn", Offset: 41, Line: 2, Col: 18}},
		UnknownAttribute, "nobais is not an attribute of conv")
	d.Note("hint", "did you mean %s?", "nobias")
	d.Note("have", "[N, 3, 8, 8]")
	d.Related = []Related{{Range: Range{Start: Pos{File: "m.cnn", Offset: 0, Line: 1, Col: 1}, End: Pos{File: "m.cnn", Offset: 5, Line: 1, Col: 6}}, Message: "in this model"}}
	want := `m.cnn:2:12: error[UnknownAttribute]: nobais is not an attribute of conv
  |
2 | 	conv 8 k3 nobais
  | 	          ^^^^^^
  = hint: did you mean nobias?
  = have [N, 3, 8, 8]
  ::: m.cnn:1:1: in this model
  |
1 | model m (input 3x8x8) <
  | ^^^^^
`
	if got := Format(d, get); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if got := l.Error(); got != "m.cnn:2:12: nobais is not an attribute of conv" {
		t.Errorf("Error() = %q", got)
	}
}

func TestLongLine(t *testing.T) {
	line := strings.Repeat("a", 500) + "XYZ" + strings.Repeat("b", 500)
	d := &Diagnostic{Code: SyntaxError, Message: "m", Range: Range{Start: Pos{File: "f", Offset: 500, Line: 1, Col: 501}, End: Pos{File: "f", Offset: 503, Line: 1, Col: 504}}}
	out := Format(d, func(string) []byte { return []byte(line) })
	lines := strings.Split(out, "\n")
	src, carets := lines[2], lines[3]
	if len(src) > maxLine+20 {
		t.Errorf("source line not cut: %d bytes", len(src))
	}
	i := strings.Index(carets, "^^^")
	if i < 0 || src[i:i+3] != "XYZ" {
		t.Errorf("carets not under the subject:\n%s\n%s", src, carets)
	}
}

func TestSortDedup(t *testing.T) {
	var l List
	at := func(off int) Range { return Range{Start: Pos{File: "f", Offset: off, Line: 1, Col: off + 1}} }
	l.Add(at(9), UndefinedName, "b")
	l.Add(at(2), UndefinedName, "a")
	l.Add(at(9), UndefinedName, "b")
	l.Sort()
	l = l.Dedup()
	if len(l) != 2 || l[0].Message != "a" || l[1].Message != "b" {
		t.Errorf("got %v", l)
	}
	if !l.HasErrors() || l.Err() == nil {
		t.Error("errors not reported")
	}
}

// A position past the text of its line (at its "\r\n", at the end of the
// input) puts the caret just after the text.
func TestPastLineEnd(t *testing.T) {
	for _, src := range []string{"let \r\n", "let \n", "let "} {
		d := &Diagnostic{Code: SyntaxError, Message: "m", Range: Range{Start: Pos{File: "f", Offset: 4, Line: 1, Col: 5}}}
		want := "f:1:5: error[SyntaxError]: m\n  |\n1 | let \n  |     ^\n"
		if got := Format(d, func(string) []byte { return []byte(src) }); got != want {
			t.Errorf("%q: got:\n%q\nwant:\n%q", src, got, want)
		}
	}
}
