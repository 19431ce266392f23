package compiler

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cnnc/cnnc/diag"
)

// TestDiagnosticsDoc checks that docs/diagnostics.md documents every code
// and that each section's example produces its code.
func TestDiagnosticsDoc(t *testing.T) {
	src, err := os.ReadFile("../docs/diagnostics.md")
	if err != nil {
		t.Fatal(err)
	}
	sections := regexp.MustCompile(`(?m)^## (\w+)\n`).FindAllStringSubmatchIndex(string(src), -1)
	example := regexp.MustCompile("(?s)```cnn\n(.*?)```")
	documented := map[diag.Code]bool{}
	for i, s := range sections {
		code := diag.Code(src[s[2]:s[3]])
		end := len(src)
		if i+1 < len(sections) {
			end = sections[i+1][0]
		}
		body := string(src[s[1]:end])
		documented[code] = true
		m := example.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no example", code)
			continue
		}
		r := Check("example.cnn", []byte(m[1]), &Options{ReadFile: func(string) ([]byte, error) { return nil, os.ErrNotExist }})
		found := code == diag.UnknownModel && len(r.Models) == 0 // reported by the commands
		var got []string
		for _, d := range r.Diags {
			found = found || d.Code == code
			got = append(got, string(d.Code)+": "+d.Message)
		}
		if !found {
			t.Errorf("%s: the example does not produce it; it gives:\n%s", code, strings.Join(got, "\n"))
		}
	}
	for _, c := range diag.Codes {
		if !documented[c] {
			t.Errorf("docs/diagnostics.md does not document %s", c)
		}
	}
}
