package compiler

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cnnc/cnnc/diag"
)

// An expectation is an `# ERROR Code "regexp"` marker: a diagnostic with
// that code whose message matches must start on the marker's line.
type expectation struct {
	line    int
	code    string
	re      *regexp.Regexp
	matched bool
}

var markerRE = regexp.MustCompile(`ERROR (\w+) "((?:[^"\\]|\\.)*)"`)

func expectations(t *testing.T, src []byte) []*expectation {
	var out []*expectation
	for i, line := range strings.Split(string(src), "\n") {
		k := strings.Index(line, "# ERROR")
		if k < 0 {
			continue
		}
		for _, m := range markerRE.FindAllStringSubmatch(line[k:], -1) {
			re, err := regexp.Compile(strings.ReplaceAll(m[2], `\"`, `"`))
			if err != nil {
				t.Fatalf("line %d: bad pattern %q: %v", i+1, m[2], err)
			}
			out = append(out, &expectation{line: i + 1, code: m[1], re: re})
		}
	}
	return out
}

// TestErrors checks every file of testdata/errors: each diagnostic must be
// announced by a marker on its line, and each marker must be met.
func TestErrors(t *testing.T) {
	files, _ := filepath.Glob("../testdata/errors/*.cnn")
	if len(files) == 0 {
		t.Fatal("no test files")
	}
	seen := map[diag.Code]bool{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want := expectations(t, src)
			r := Check(f, src, &Options{ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }})
			for _, d := range r.Diags {
				seen[d.Code] = true
				if d.Range.Start.File != f {
					t.Errorf("diagnostic in another file: %s", d.Error())
					continue
				}
				found := false
				for _, e := range want {
					if e.line == d.Range.Start.Line && e.code == string(d.Code) && e.re.MatchString(d.Message) {
						e.matched, found = true, true
					}
				}
				if !found {
					t.Errorf("unexpected diagnostic:\n%s", diag.Format(d, r.Source))
				}
			}
			for _, e := range want {
				if !e.matched {
					t.Errorf("%s:%d: no %s diagnostic matching %q; got on that line: %s", f, e.line, e.code, e.re, onLine(r.Diags, e.line))
				}
			}
		})
	}
	for _, c := range diag.Codes {
		if !seen[c] && c != diag.LimitExceeded && c != diag.ImportError && c != diag.UnknownModel {
			t.Errorf("no test file exercises %s", c)
		}
	}
}

func onLine(l diag.List, line int) string {
	var out []string
	for _, d := range l {
		if d.Range.Start.Line == line {
			out = append(out, fmt.Sprintf("%s %q", d.Code, d.Message))
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, "; ")
}
