// The cnnc extension: starts `cnnc lsp` for .cnn files. Everything else,
// diagnostics, hovers, inlay hints, definitions, formatting, comes from the
// server; highlighting before it answers from syntaxes/cnn.tmLanguage.json.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('cnnc').get('path') || 'cnnc';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient('cnnc', 'cnnc', { run: server, debug: server }, {
    documentSelector: [{ language: 'cnn' }],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
