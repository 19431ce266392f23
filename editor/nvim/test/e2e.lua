-- End-to-end test of cnnc lsp with a real client: headless Neovim (0.7)
-- opens a copy of models/resnet18.cnn with an error in it and checks
-- 'omnifunc', the diagnostic, a hover, the inlay hints, a jump into the
-- standard library, a formatting edit, the error's quick fix and a rename.
-- Run by editor/test.sh as
--
--   CNNC=path/to/cnnc CNNC_MODEL=copy.cnn nvim --headless --clean -c "luafile editor/nvim/test/e2e.lua"
--
-- It exits 0 when every check passed, non-zero (cq) at the first failure.
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local cnnc = dofile(here .. '/../cnnc.lua')
vim.opt.runtimepath:prepend(here .. '/../../vim')
vim.cmd('filetype plugin on')
vim.cmd('syntax on')

local passed = 0
local function fail(msg)
  io.stderr:write('nvim: FAIL: ' .. msg .. '\n')
  io.stderr:write(string.format('nvim: %d passed, 1 failed\n', passed))
  vim.cmd('cq!')
end
local function ok(cond, msg)
  if not cond then
    fail(msg)
  end
  passed = passed + 1
end

local function request(bufnr, method, params)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, 10000)
  if not res then
    fail(method .. ': no answer: ' .. tostring(err))
  end
  for _, r in pairs(res) do
    if r.error then
      fail(method .. ': ' .. vim.inspect(r.error))
    end
    return r.result
  end
  fail(method .. ': no client answered')
end

local ok_run, err = pcall(function()
  cnnc.setup({ cmd = { os.getenv('CNNC'), 'lsp' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('CNNC_MODEL')))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  ok(vim.bo.filetype == 'cnn', 'filetype is ' .. vim.bo.filetype)

  -- The injected error: fc claims 1000 input features where 512 flow in.
  vim.wait(15000, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  local diags = vim.diagnostic.get(bufnr)
  ok(#diags == 1, 'want 1 diagnostic, have ' .. vim.inspect(diags))
  ok(vim.bo[bufnr].omnifunc == 'v:lua.vim.lsp.omnifunc', "'omnifunc' is " .. vim.bo[bufnr].omnifunc)
  local d = diags[1]
  ok(d.lnum == 10 and d.col == 18 and d.end_lnum == 10 and d.end_col == 22,
    'diagnostic range ' .. vim.inspect({ d.lnum, d.col, d.end_lnum, d.end_col }) .. ', want line 10, columns 18 to 22')
  ok(d.code == 'MismatchedShape' and d.message:find('expects 1000 input features, 512 flow in', 1, true),
    'diagnostic ' .. vim.inspect(d))

  -- Hover on layer2's call: the definition and the shapes.
  local hover = request(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 6, character = 12 } })
  local text = hover and hover.contents and hover.contents.value or ''
  ok(text:find('def basic_stage(c, n, s=1)', 1, true) and text:find('[N,64,56,56] → [N,128,28,28]', 1, true),
    'hover on layer2:\n' .. text)

  -- Inlay hints, as a raw request: Neovim 0.7 cannot show them.
  local hints = request(bufnr, 'textDocument/inlayHint', {
    textDocument = { uri = uri },
    range = { start = { line = 0, character = 0 }, ['end'] = { line = 20, character = 0 } },
  })
  local labels = {}
  for _, h in ipairs(hints or {}) do
    labels[h.position.line] = h.label
  end
  ok(labels[3] == '→ [N,64,112,112]' and labels[5] == '→ [N,64,56,56]' and labels[9] == '→ [N,512]',
    'inlay hints ' .. vim.inspect(labels))

  -- Go to the definition of basic_stage: a file of the standard library.
  local defs = request(bufnr, 'textDocument/definition', { textDocument = { uri = uri }, position = { line = 6, character = 12 } })
  local loc = defs and (defs.uri and defs or defs[1])
  ok(loc and loc.uri:find('/cnnc/stdlib%-%x+/resnet%.cnn$'), 'definition ' .. vim.inspect(defs))
  vim.lsp.util.jump_to_location(loc, 'utf-16')
  ok(vim.api.nvim_buf_get_name(0):find('resnet%.cnn$') and vim.fn.getline('.'):find('^def basic_stage'),
    'after the jump: ' .. vim.api.nvim_buf_get_name(0) .. ':' .. vim.fn.line('.') .. ': ' .. vim.fn.getline('.'))
  vim.cmd('buffer ' .. bufnr)

  -- Formatting: a line written loosely comes back in cnnc fmt's layout.
  vim.api.nvim_buf_set_lines(bufnr, 4, 5, false, { '  maxpool:maxpool  k3 s2   p1' })
  local edits = request(bufnr, 'textDocument/formatting', { textDocument = { uri = uri }, options = { tabSize = 2, insertSpaces = true } })
  ok(edits and #edits == 1, 'formatting edits ' .. vim.inspect(edits))
  vim.lsp.util.apply_text_edits(edits, bufnr, 'utf-16')
  local line = vim.api.nvim_buf_get_lines(bufnr, 4, 5, false)[1]
  ok(line == '  maxpool: maxpool k3 s2 p1', 'line 5 after formatting: ' .. line)

  -- The quick fix of the error: the hint's `in` as an edit.
  local actions = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = { start = { line = 10, character = 18 }, ['end'] = { line = 10, character = 18 } },
    context = { diagnostics = {} },
  })
  ok(actions and #actions == 1 and actions[1].title == 'write `in 1*1*512`', 'code actions ' .. vim.inspect(actions))
  vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
  line = vim.api.nvim_buf_get_lines(bufnr, 10, 11, false)[1]
  ok(line == '  fc: dense 10 in 1*1*512', 'line 11 after the quick fix: ' .. line)

  -- Rename a member.
  local renamed = request(bufnr, 'textDocument/rename', { textDocument = { uri = uri }, position = { line = 5, character = 3 }, newName = 'stage1' })
  vim.lsp.util.apply_workspace_edit(renamed, 'utf-16')
  line = vim.api.nvim_buf_get_lines(bufnr, 5, 6, false)[1]
  ok(line == '  stage1: basic_stage(64, 2)', 'line 6 after the rename: ' .. line)
end)
if not ok_run then
  fail(tostring(err))
end
io.stdout:write(string.format('nvim: %d passed, 0 failed\n', passed))
vim.cmd('qa!')
