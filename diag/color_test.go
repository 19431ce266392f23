package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// sample is TestFormat's diagnostic: a subject, a hint, a have and a
// related location.
func sample() (*Diagnostic, SourceFunc) {
	src := []byte("model m (input 3x8x8) <\n\tconv 8 k3 nobais\n>\n")
	d := &Diagnostic{Severity: Error, Code: UnknownAttribute, Message: "nobais is not an attribute of conv",
		Range: Range{Start: Pos{File: "m.cnn", Offset: 35, Line: 2, Col: 12}, End: Pos{File: "m.cnn", Offset: 41, Line: 2, Col: 18}}}
	d.Note("hint", "did you mean %s?", "nobias")
	d.Note("have", "[N, 3, 8, 8]")
	d.Related = []Related{{Range: Range{Start: Pos{File: "m.cnn", Offset: 0, Line: 1, Col: 1}, End: Pos{File: "m.cnn", Offset: 5, Line: 1, Col: 6}}, Message: "in this model"}}
	d.Fix("write nobias", d.Range, "nobias")
	return d, func(string) []byte { return src }
}

// The coloured form is the plain one with rustc's escapes around the
// severity, the message, the gutter, the carets and the note labels.
func TestColor(t *testing.T) {
	d, src := sample()
	var b bytes.Buffer
	Printer{Color: true}.Fprint(&b, List{d}, src)
	const (
		R = "\x1b[0m"
		B = "\x1b[1m"
	)
	red, blue, green, cyan := "\x1b[1;31m", "\x1b[1;34m", "\x1b[1;32m", "\x1b[1;36m"
	want := B + "m.cnn:2:12:" + R + " " + red + "error[UnknownAttribute]" + R + B + ": nobais is not an attribute of conv" + R + "\n" +
		blue + "  |" + R + "\n" +
		blue + "2 |" + R + " \tconv 8 k3 nobais\n" +
		blue + "  |" + R + " \t          " + red + "^^^^^^" + R + "\n" +
		blue + "  =" + R + " " + cyan + "hint" + R + ": did you mean nobias?\n" +
		blue + "  =" + R + " " + green + "have" + R + " [N, 3, 8, 8]\n" +
		blue + "  :::" + R + " m.cnn:1:1: in this model\n" +
		blue + "  |" + R + "\n" +
		blue + "1 |" + R + " model m (input 3x8x8) <\n" +
		blue + "  |" + R + " " + blue + "^^^^^" + R + "\n"
	if got := b.String(); got != want {
		t.Errorf("got:\n%q\nwant:\n%q", got, want)
	}
	// Without the escapes it is the plain form.
	plain := stripEscapes(b.String())
	if f := Format(d, src); plain != f {
		t.Errorf("coloured form without escapes:\n%s\nplain form:\n%s", plain, f)
	}
	d.Severity = Warning
	b.Reset()
	Printer{Color: true}.Fprint(&b, List{d}, src)
	if !strings.Contains(b.String(), "\x1b[1;33mwarning[UnknownAttribute]") {
		t.Errorf("a warning is not bold yellow:\n%q", b.String())
	}
}

func stripEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			for i < len(s) && s[i] != 'm' {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestFprintCount(t *testing.T) {
	at := Range{Start: Pos{File: "f", Line: 1, Col: 1}}
	for _, tc := range []struct {
		errs, warns int
		want        string
	}{
		{0, 0, ""},
		{1, 0, "error: 1 error in models/x.cnn\n"},
		{3, 0, "error: 3 errors in models/x.cnn\n"},
		{2, 1, "error: 2 errors and 1 warning in models/x.cnn\n"},
		{0, 2, "warning: 2 warnings in models/x.cnn\n"},
	} {
		var l List
		for range tc.errs {
			l = append(l, &Diagnostic{Severity: Error, Range: at})
		}
		for range tc.warns {
			l = append(l, &Diagnostic{Severity: Warning, Range: at})
		}
		var b bytes.Buffer
		Printer{}.FprintCount(&b, l, "models/x.cnn")
		if b.String() != tc.want {
			t.Errorf("%d errors, %d warnings: got %q, want %q", tc.errs, tc.warns, b.String(), tc.want)
		}
	}
	var b bytes.Buffer
	Printer{Color: true}.FprintCount(&b, List{{Severity: Error, Range: at}}, "x")
	if want := "\x1b[1;31merror\x1b[0m\x1b[1m: 1 error in x\x1b[0m\n"; b.String() != want {
		t.Errorf("coloured count: got %q, want %q", b.String(), want)
	}
}

// The JSON form carries the notes, the related locations and the fixes,
// and empty arrays rather than null.
func TestToJSON(t *testing.T) {
	d, _ := sample()
	got, err := json.Marshal(ToJSON(d))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"file":"m.cnn","line":2,"col":12,"end_line":2,"end_col":18,"severity":"error","code":"UnknownAttribute",` +
		`"message":"nobais is not an attribute of conv",` +
		`"notes":[{"label":"hint","text":"did you mean nobias?"},{"label":"have","text":"[N, 3, 8, 8]"}],` +
		`"related":[{"file":"m.cnn","line":1,"col":1,"end_line":1,"end_col":6,"message":"in this model"}],` +
		`"fixes":[{"message":"write nobias","file":"m.cnn","line":2,"col":12,"end_line":2,"end_col":18,"new_text":"nobias"}]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got, _ = json.Marshal(ToJSON(&Diagnostic{Code: SyntaxError, Message: "m"}))
	if !strings.Contains(string(got), `"notes":[],"related":[],"fixes":[]`) {
		t.Errorf("no notes: got %s", got)
	}
}
