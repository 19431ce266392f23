package cnnc_test

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for each package of the module, the module's packages it
// may import: the pipeline's one-way dependencies (diag ← grammar ←
// compiler → runtime; the root package over compiler and runtime; the
// command over everything; nothing over the command).
var allowed = map[string][]string{
	"act":                                {},
	"diag":                               {},
	"grammar":                            {"diag", "grammar/internal/exprsyntax"},
	"grammar/internal/exprsyntax":        {},
	"stdlib":                             {},
	"compiler":                           {"act", "diag", "grammar", "stdlib", "internal/fsutil"},
	"internal/lower":                     {"act", "compiler", "runtime"},
	"runtime":                            {"act", "runtime/kernel", "internal/hugepage"},
	"runtime/kernel":                     {"act", "internal/hugepage"},
	"runtime/kernel/internal/asmgen":     {},
	"runtime/kernel/internal/cmd/asmgen": {"runtime/kernel/internal/asmgen"},
	"tensorio":                           {"internal/hugepage", "internal/fsutil"},
	"internal/hugepage":                  {},
	"internal/fsutil":                    {},
	"lsp":                                {"act", "diag", "grammar", "compiler", "stdlib"},
	"":                                   {"act", "diag", "compiler", "internal/lower", "runtime", "runtime/kernel", "tensorio", "internal/hugepage", "internal/fsutil"},
	"cmd/cnnc":                           {"", "act", "diag", "grammar", "compiler", "runtime", "tensorio", "lsp", "internal/hugepage", "internal/fsutil"},
}

func TestImportGraph(t *testing.T) {
	const mod = "github.com/cnnc/cnnc"
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ":")
		name := strings.TrimPrefix(strings.TrimPrefix(pkg, mod), "/")
		if strings.HasPrefix(name, "editor") {
			continue
		}
		ok, known := allowed[name]
		if !known {
			t.Errorf("package %s is not in the dependency table", pkg)
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			dep := strings.TrimPrefix(strings.TrimPrefix(imp, mod), "/")
			if !contains(ok, dep) {
				t.Errorf("%s imports %s, which the pipeline does not allow", pkg, imp)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
