// End-to-end test of cnnc lsp through node's LSP client library,
// vscode-languageserver-protocol, the one VS Code's client is built on.
// Run by editor/test.sh as
//
//   CNNC=path/to/cnnc node --test editor/test/lsp.test.mjs
//
// It skips, saying why, when the package is not installed (npm ci in
// editor/) or CNNC is not set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

let lsp = null;
try {
  lsp = require('vscode-languageserver-protocol/node');
} catch {
  // reported as the reason for skipping
}
const cnnc = process.env.CNNC;
const skip = !lsp
  ? 'vscode-languageserver-protocol is not installed: run npm ci in editor/'
  : !cnnc
    ? 'CNNC does not name a cnnc binary: run editor/test.sh'
    : false;

let child, conn, tmp, uri, text;
const published = new Map(); // uri → the latest diagnostics
const waiting = new Map(); // uri → resolve of the next ones

function nextDiagnostics(u) {
  return new Promise((resolve) => waiting.set(u, resolve));
}

before(async () => {
  if (skip) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnnc-node-'));
  const model = path.join(tmp, 'resnet18.cnn');
  text = fs.readFileSync(path.join(root, 'models', 'resnet18.cnn'), 'utf8').replace('fc: dense 10', 'fc: dense 10 in 1000');
  fs.writeFileSync(model, text);
  uri = pathToFileURL(model).href;
  child = spawn(cnnc, ['lsp'], { env: { ...process.env, XDG_CACHE_HOME: tmp }, stdio: ['pipe', 'pipe', 'inherit'] });
  conn = lsp.createProtocolConnection(new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
  conn.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => {
    published.set(p.uri, p.diagnostics);
    const resolve = waiting.get(p.uri);
    if (resolve) {
      waiting.delete(p.uri);
      resolve(p.diagnostics);
    }
  });
  conn.listen();
  const init = await conn.sendRequest(lsp.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
  assert.equal(init.serverInfo.name, 'cnnc');
  assert.equal(init.capabilities.positionEncoding, 'utf-16');
  assert.ok(init.capabilities.inlayHintProvider);
  await conn.sendNotification(lsp.InitializedNotification.type, {});
  const diags = nextDiagnostics(uri);
  await conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'cnn', version: 1, text },
  });
  await diags;
});

after(async () => {
  if (skip) return;
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  await conn.sendRequest(lsp.ShutdownRequest.type);
  await conn.sendNotification(lsp.ExitNotification.type);
  assert.equal(await exited, 0, 'cnnc lsp exit status');
  conn.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const pos = (line, character) => ({ textDocument: { uri }, position: { line, character } });

test('diagnostics: the injected error, its line and range', { skip }, () => {
  const diags = published.get(uri);
  assert.equal(diags.length, 1);
  assert.equal(diags[0].code, 'MismatchedShape');
  assert.deepEqual(diags[0].range, { start: { line: 10, character: 18 }, end: { line: 10, character: 22 } });
  assert.match(diags[0].message, /expects 1000 input features, 512 flow in/);
  assert.match(diags[0].message, /hint: write `in 1\*1\*512`/);
});

test('hover: a call shows its definition and its shapes', { skip }, async () => {
  const h = await conn.sendRequest(lsp.HoverRequest.type, pos(6, 12));
  assert.equal(h.contents.kind, 'markdown');
  assert.match(h.contents.value, /def basic_stage\(c, n, s=1\)/);
  assert.match(h.contents.value, /\*\*layer2\*\* · `basic_stage\(128, 2, s=2\)`/);
  assert.match(h.contents.value, /\[N,64,56,56\] → \[N,128,28,28\]/);
  assert.match(h.contents.value, /parameters: 525,568/);
});

test('inlay hints: the output shape at the end of each line', { skip }, async () => {
  const hints = await conn.sendRequest(lsp.InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
  });
  const byLine = Object.fromEntries(hints.map((h) => [h.position.line, h.label]));
  assert.deepEqual(byLine, {
    3: '→ [N,64,112,112]',
    4: '→ [N,64,56,56]',
    5: '→ [N,64,56,56]',
    6: '→ [N,128,28,28]',
    7: '→ [N,256,14,14]',
    8: '→ [N,512,7,7]',
    9: '→ [N,512]',
    10: '→ [N,10]', // fc's error is its in, not its output
  });
  const conv1 = hints.find((h) => h.position.line === 3);
  assert.equal(conv1.position.character, text.split('\n')[3].length);
});

test('definition: a standard library block opens in the cache', { skip }, async () => {
  const loc = await conn.sendRequest(lsp.DefinitionRequest.type, pos(5, 12));
  assert.match(loc.uri, /\/cnnc\/stdlib-[0-9a-f]+\/resnet\.cnn$/);
  const lines = fs.readFileSync(fileURLToPath(loc.uri), 'utf8').split('\n');
  assert.match(lines[loc.range.start.line].slice(loc.range.start.character), /^basic_stage\(/);
});

test('formatting: a loose line comes back in cnnc fmt layout', { skip }, async () => {
  const loose = text.replace('  maxpool: maxpool k3 s2 p1', '  maxpool:maxpool  k3 s2   p1');
  const diags = nextDiagnostics(uri);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: loose }],
  });
  await diags;
  const edits = await conn.sendRequest(lsp.DocumentFormattingRequest.type, {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.deepEqual(edits, [{
    range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } },
    newText: '  maxpool: maxpool k3 s2 p1\n',
  }]);
});

test('a half-typed line: a syntax error, and the hints of the lines around it', { skip }, async () => {
  const lines = text.split('\n');
  lines.splice(7, 0, '  extra: conv 64 (k3');
  const diags = nextDiagnostics(uri);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 3 },
    contentChanges: [{ text: lines.join('\n') }],
  });
  const got = await diags;
  assert.equal(got[0].code, 'SyntaxError');
  assert.equal(got[0].range.start.line, 7);
  const hints = await conn.sendRequest(lsp.InlayHintRequest.type, {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 13, character: 0 } },
  });
  assert.equal(hints.find((h) => h.position.line === 8)?.label, '→ [N,256,14,14]');
});

test('symbols, completion and semantic tokens answer', { skip }, async () => {
  const symbols = await conn.sendRequest(lsp.DocumentSymbolRequest.type, { textDocument: { uri } });
  assert.ok(Array.isArray(symbols));
  const items = await conn.sendRequest(lsp.CompletionRequest.type, pos(4, 2));
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('conv') && labels.includes('basic_block'), labels.join(' '));
  const toks = await conn.sendRequest(lsp.SemanticTokensRequest.type, { textDocument: { uri } });
  assert.ok(toks.data.length > 0 && toks.data.length % 5 === 0);
});

test('quick fix: the hint of the injected error as an edit', { skip }, async () => {
  const diags = nextDiagnostics(uri);
  await conn.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version: 4 },
    contentChanges: [{ text }],
  });
  const got = await diags;
  const actions = await conn.sendRequest(lsp.CodeActionRequest.type, {
    textDocument: { uri },
    range: got[0].range,
    context: { diagnostics: got },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].kind, 'quickfix');
  assert.equal(actions[0].title, 'write `in 1*1*512`');
  assert.deepEqual(actions[0].edit.changes[uri], [{ range: got[0].range, newText: '1*1*512' }]);
});

test('rename: a member, and a refusal for the standard library', { skip }, async () => {
  const prep = await conn.sendRequest(lsp.PrepareRenameRequest.type, pos(5, 3));
  assert.deepEqual(prep, { range: { start: { line: 5, character: 2 }, end: { line: 5, character: 8 } }, placeholder: 'layer1' });
  const edit = await conn.sendRequest(lsp.RenameRequest.type, { ...pos(5, 3), newName: 'stage1' });
  assert.deepEqual(edit.changes[uri], [{ range: prep.range, newText: 'stage1' }]);
  await assert.rejects(conn.sendRequest(lsp.RenameRequest.type, { ...pos(5, 12), newName: 'stage' }),
    (e) => e.code === -32803 && /standard library/.test(e.message));
  const refs = await conn.sendRequest(lsp.ReferencesRequest.type, { ...pos(5, 12), context: { includeDeclaration: true } });
  assert.equal(refs.length, 5); // the declaration in the library, four calls
});

test('signature help: the parameter being written in a call', { skip }, async () => {
  const line = text.split('\n')[6]; // layer2: basic_stage(128, 2, s=2)
  const help = await conn.sendRequest(lsp.SignatureHelpRequest.type, pos(6, line.indexOf('s=2') + 1));
  assert.equal(help.signatures[0].label, 'basic_stage(c, n, s=1)');
  assert.equal(help.activeParameter, 2);
  const [from, to] = help.signatures[0].parameters[2].label;
  assert.equal(help.signatures[0].label.slice(from, to), 's=1');
});

test('cancellation: a request cancelled while it waits is answered RequestCancelled', { skip }, async () => {
  // A document whose check takes a while keeps the server busy; a hover
  // sent behind it and cancelled at once never runs.
  const big = path.join(tmp, 'big.cnn');
  const bigText = Array.from({ length: 400 }, (_, i) => text.replace('resnet18', `m${i}`)).join('\n');
  const bigURI = pathToFileURL(big).href;
  await conn.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: bigURI, languageId: 'cnn', version: 1, text: bigText },
  });
  const source = new lsp.CancellationTokenSource();
  const hover = conn.sendRequest(lsp.HoverRequest.type, pos(6, 12), source.token);
  source.cancel();
  await assert.rejects(hover, (e) => e.code === lsp.LSPErrorCodes.RequestCancelled);
});
