package tensorio

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tensorio sits below the runtime and the CLI: it imports nothing of the
// module but the leaves internal/hugepage and internal/fsutil.
func TestImportsNothingOfTheModule(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/cnnc/cnnc") && path != "github.com/cnnc/cnnc/internal/hugepage" && path != "github.com/cnnc/cnnc/internal/fsutil" {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
}
