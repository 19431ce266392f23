// Package editor_test runs the end-to-end tests of the editor support
// from go test, each skipped with a message when its tool is missing:
// headless Neovim and node's LSP client talking to a freshly built cnnc
// lsp, the TextMate grammar's tests and the Vim syntax test. editor/test.sh
// runs the same for CI, where every tool must be there.
package editor_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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

// TestVSCodePackage packages the VS Code extension with vsce, as a
// release would, and checks the .vsix: the files the extension needs,
// none it does not (sources, tests, node_modules), and a client bundled
// so that it loads with no node_modules beside it.
func TestVSCodePackage(t *testing.T) {
	need(t, "node")
	v, _ := exec.Command("node", "-p", "process.versions.node.split('.')[0]").Output()
	if major, err := strconv.Atoi(strings.TrimSpace(string(v))); err != nil || major < 20 {
		t.Skipf("vsce needs node 20 or later, have %q", v)
	}
	for _, m := range []string{"@vscode/vsce", "esbuild", "vscode-languageclient"} {
		needModule(t, m)
	}
	tmp := t.TempDir()
	vsix := filepath.Join(tmp, "cnnc.vsix")
	cmd := exec.Command("../node_modules/.bin/vsce", "package", "--out", vsix)
	cmd.Dir = "vscode"
	run(t, cmd)
	z, err := zip.OpenReader(vsix)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
		for _, bad := range []string{"extension/node_modules/", "extension/test/", "extension/extension.js", "extension/.vscodeignore"} {
			if strings.HasPrefix(f.Name, bad) {
				t.Errorf("the package holds %s", f.Name)
			}
		}
	}
	for _, want := range []string{"extension.vsixmanifest", "extension/package.json", "extension/readme.md", "extension/LICENSE.txt",
		"extension/icon.png", "extension/dist/extension.js", "extension/language-configuration.json", "extension/syntaxes/cnn.tmLanguage.json"} {
		if files[want] == nil {
			t.Errorf("the package lacks %s", want)
		}
	}
	if t.Failed() {
		return
	}
	var manifest struct {
		Main string `json:"main"`
		Icon string `json:"icon"`
	}
	if err := json.Unmarshal(unzip(t, files["extension/package.json"]), &manifest); err != nil || manifest.Main != "./dist/extension.js" || manifest.Icon != "icon.png" {
		t.Errorf("package.json: main %q, icon %q (%v)", manifest.Main, manifest.Icon, err)
	}
	if png := unzip(t, files["extension/icon.png"]); !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Error("icon.png is not a PNG")
	}
	// The client, alone in a directory, loads with a stand-in for the
	// vscode module and exports activate and deactivate.
	alone := filepath.Join(tmp, "alone")
	os.MkdirAll(alone, 0o755)
	os.WriteFile(filepath.Join(alone, "load.js"), []byte(loadBundle), 0o644)
	if err := os.WriteFile(filepath.Join(alone, "extension.js"), unzip(t, files["extension/dist/extension.js"]), 0o644); err != nil {
		t.Fatal(err)
	}
	load := exec.Command("node", "load.js", "./extension.js")
	load.Dir = alone
	run(t, load)
}

// loadBundle requires the bundle named by its argument with `vscode`
// answered by a stand-in whose every property is a constructible stub.
const loadBundle = `
const Module = require('module');
const stub = () => new Proxy(function () {}, {
  get: (t, p) => (p === 'prototype' ? {} : typeof p === 'symbol' ? undefined : stub()),
  construct: () => stub(),
  apply: () => stub(),
});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub() };
const ext = require(require('path').resolve(process.argv[2]));
if (typeof ext.activate !== 'function' || typeof ext.deactivate !== 'function') {
  console.error('the bundle exports', Object.keys(ext));
  process.exit(1);
}
console.log('the bundled client loads alone and exports activate and deactivate');
`

func unzip(t *testing.T, f *zip.File) []byte {
	t.Helper()
	r, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLicense checks that the extension's LICENSE, which vsce packages,
// is the repository's.
func TestLicense(t *testing.T) {
	root, err := os.ReadFile("../LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	ext, err := os.ReadFile("vscode/LICENSE")
	if err != nil || !bytes.Equal(root, ext) {
		t.Errorf("editor/vscode/LICENSE differs from LICENSE (%v): copy it", err)
	}
	if !bytes.Contains(root, []byte("MIT License")) || !bytes.Contains(root, []byte("Copyright (c) 2026 the cnnc authors")) {
		t.Error("LICENSE is not the MIT license of the cnnc authors")
	}
}
