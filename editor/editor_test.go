// Package editor_test runs the end-to-end tests of the editor support
// from go test, each skipped with a message when its tool is missing:
// headless Neovim and node's LSP client talking to a freshly built cnnc
// lsp, the TextMate grammar's tests and the Vim syntax test. editor/test.sh
// runs the same for CI, where every tool must be there.
package editor_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	buildOnce sync.Once
	cnnc      string
	buildErr  error
	buildOut  []byte
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binary builds cnnc once for the tests that start it.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "cnnc-editor-")
		if buildErr != nil {
			return
		}
		cnnc = filepath.Join(buildDir, "cnnc")
		buildOut, buildErr = exec.Command("go", "build", "-o", cnnc, "../cmd/cnnc").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build ../cmd/cnnc: %v\n%s", buildErr, buildOut)
	}
	return cnnc
}

func need(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s is not installed; editor/test.sh runs this test in CI", tool)
	}
}

func needModule(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join("node_modules", dir)); err != nil {
		t.Skipf("node_modules/%s is absent; run npm ci in editor/ (editor/test.sh does)", dir)
	}
}

func run(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	out, err := cmd.CombinedOutput()
	t.Logf("%s\n%s", strings.Join(cmd.Args, " "), out)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Args[0], err)
	}
}

func TestNeovim(t *testing.T) {
	need(t, "nvim")
	bin := binary(t)
	tmp := t.TempDir()
	src, err := os.ReadFile("../models/resnet18.cnn")
	if err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(tmp, "resnet18.cnn")
	os.WriteFile(model, []byte(strings.Replace(string(src), "fc: dense 10", "fc: dense 10 in 1000", 1)), 0o644)
	cmd := exec.Command("timeout", "60", "nvim", "--headless", "--clean", "-c", "luafile nvim/test/e2e.lua")
	cmd.Env = append(os.Environ(), "CNNC="+bin, "CNNC_MODEL="+model,
		"XDG_CACHE_HOME="+tmp, "XDG_DATA_HOME="+tmp, "XDG_STATE_HOME="+tmp, "XDG_CONFIG_HOME="+tmp)
	run(t, cmd)
}

func TestNodeClient(t *testing.T) {
	need(t, "node")
	needModule(t, "vscode-languageserver-protocol")
	cmd := exec.Command("node", "--test", "test/lsp.test.mjs")
	cmd.Env = append(os.Environ(), "CNNC="+binary(t))
	run(t, cmd)
}

func TestTextMateGrammar(t *testing.T) {
	need(t, "node")
	needModule(t, "vscode-tmgrammar-test")
	cmd := exec.Command("../node_modules/.bin/vscode-tmgrammar-test", "test/*.cnn")
	cmd.Dir = "vscode"
	run(t, cmd)
}

func TestVimSyntax(t *testing.T) {
	need(t, "vim")
	run(t, exec.Command("vim", "-N", "-u", "NONE", "-i", "NONE", "-es", "-S", "vim/test/check.vim"))
}
