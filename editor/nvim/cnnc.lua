-- cnnc for Neovim (0.7 and later): starts `cnnc lsp` for .cnn buffers.
--
-- Copy this file to ~/.config/nvim/lua/cnnc.lua and add to init.lua
--
--   require('cnnc').setup()
--
-- or pass options: require('cnnc').setup({ cmd = { '/path/to/cnnc', 'lsp' },
-- on_attach = function(client, bufnr) ... end }). For highlighting before
-- the server answers, add editor/vim to 'runtimepath' as well (see
-- editor/README.md). Inlay hints (the output shape of each line) are
-- turned on where Neovim can show them (0.10 and later), and 'omnifunc'
-- is the server's completion (CTRL-X CTRL-O), as 0.10 sets it itself.
local M = {}

local client_id -- Neovim 0.7 has no vim.lsp.start: one client, shared

local function on_attach(opts)
  return function(client, bufnr)
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
    if vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable then
      pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
    end
    if opts.on_attach then
      opts.on_attach(client, bufnr)
    end
  end
end

-- attach starts the server, or reuses it, for buffer bufnr.
function M.attach(bufnr, opts)
  opts = opts or {}
  local config = {
    name = 'cnnc',
    cmd = opts.cmd or { 'cnnc', 'lsp' },
    root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h'),
    on_attach = on_attach(opts),
  }
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  if not client_id or not vim.lsp.get_client_by_id(client_id) then
    config.root_dir = vim.fn.getcwd()
    client_id = vim.lsp.start_client(config)
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  return client_id
end

function M.setup(opts)
  opts = opts or {}
  local group = vim.api.nvim_create_augroup('cnnc', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group,
    pattern = '*.cnn',
    command = 'setfiletype cnn',
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'cnn',
    callback = function(args)
      M.attach(args.buf, opts)
    end,
  })
end

return M
