#!/usr/bin/env bash
# Runs the end-to-end tests of cnnc's editor support, for CI:
#   - the TextMate grammar of the VS Code extension (vscode-tmgrammar-test),
#   - the Vim syntax file (headless vim comparing synIDattr names),
#   - cnnc lsp under headless Neovim (nvim/test/e2e.lua),
#   - cnnc lsp under node's vscode-languageserver-protocol client (test/),
#   - the VS Code extension packaged by vsce (go test ./editor checks the
#     .vsix's files and that its bundled client loads alone).
# It needs go, node and npm, vim, and nvim (0.7 or later) on PATH; it
# installs editor/node_modules from package-lock.json when they are absent.
# Each part runs even if one before failed; the exit status says whether
# all passed.
set -uo pipefail
cd "$(dirname "$0")"
for tool in go node npm vim nvim; do
  command -v "$tool" >/dev/null || { echo "editor/test.sh: $tool is not installed" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/home"
(cd .. && go build -o "$tmp/bin/cnnc" ./cmd/cnnc) || exit 1
for m in vscode-languageserver-protocol vscode-tmgrammar-test @vscode/vsce esbuild vscode-languageclient; do
  [ -d "node_modules/$m" ] || { npm ci --no-audit --no-fund || exit 1; break; }
done
status=0

echo "== TextMate grammar"
(cd vscode && ../node_modules/.bin/vscode-tmgrammar-test 'test/*.cnn') || status=1

echo "== Vim syntax"
vim -N -u NONE -i NONE -es -S vim/test/check.vim || status=1

echo "== Neovim"
sed 's/fc: dense 10/fc: dense 10 in 1000/' ../models/resnet18.cnn > "$tmp/resnet18.cnn"
h="$tmp/home"
CNNC="$tmp/bin/cnnc" CNNC_MODEL="$tmp/resnet18.cnn" \
  XDG_CACHE_HOME="$h" XDG_DATA_HOME="$h" XDG_STATE_HOME="$h" XDG_CONFIG_HOME="$h" \
  timeout 60 nvim --headless --clean -c "luafile nvim/test/e2e.lua" </dev/null || status=1

echo "== node (vscode-languageserver-protocol)"
CNNC="$tmp/bin/cnnc" node --test test/lsp.test.mjs || status=1

echo "== VS Code package (vsce)"
(cd vscode && ../node_modules/.bin/vsce package --out "$tmp/cnnc.vsix") || status=1

exit $status
