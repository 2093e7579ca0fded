-- tally for Neovim: starts `tally lsp` for Markdown and text articles inside a corpus (a folder
-- with a `tally.toml`), and adds :TallyNextClaim, :TallyPrevClaim and :TallyReadings.
--
--   require("tally").setup({
--     cmd = { "tally", "lsp" },                                  -- the server command
--     settings = { tally = { diagnostics = { ["unlinked-figure"] = "off" } } },
--   })
--
-- Works on Neovim 0.7 and newer: vim.lsp.config/vim.lsp.enable on 0.11+, vim.lsp.start on
-- 0.8-0.10, vim.lsp.start_client on 0.7.

local M = {}

M.name = "tally"

local defaults = {
  -- The server command: a list (`{ "tally", "lsp" }`) or a string (the binary; `lsp` is added).
  cmd = { "tally", "lsp" },
  -- Sent as initializationOptions and with workspace/didChangeConfiguration:
  -- { tally = { diagnostics = { ["<code>"] = "off"|"error"|"warning"|"info"|"hint" } } }.
  settings = {},
  filetypes = { "markdown", "text" },
  root_marker = "tally.toml",
  -- Called as on_attach(client, bufnr) when the server attaches to a buffer.
  on_attach = nil,
  -- Extra client capabilities, merged into the defaults.
  capabilities = nil,
}

M.config = vim.deepcopy(defaults)
M.did_setup = false

local function has(v)
  return vim.fn.has("nvim-" .. v) == 1
end
M.has = has

local uv = vim.uv or vim.loop

local function notify(msg, level)
  vim.notify("tally: " .. msg, level or vim.log.levels.INFO)
end

--- The corpus root of a file: the nearest folder upwards holding the root marker, or nil.
function M.find_root(path)
  if path == nil or path == "" then
    return nil
  end
  path = vim.fn.fnamemodify(path, ":p")
  local dir = vim.fn.isdirectory(path) == 1 and path or vim.fn.fnamemodify(path, ":h")
  dir = dir:gsub("/+$", "")
  if dir == "" then
    dir = "/"
  end
  while true do
    local candidate = (dir == "/" and "" or dir) .. "/" .. M.config.root_marker
    if uv.fs_stat(candidate) then
      return dir
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function normalize_cmd(cmd)
  if type(cmd) == "string" then
    return { cmd, "lsp" }
  end
  return cmd
end

local function normalize_settings(settings)
  settings = settings or {}
  if settings.tally == nil and next(settings) ~= nil then
    return { tally = settings }
  end
  return settings
end

--- The tally clients attached to a buffer (0 = current).
function M.clients(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local list
  if vim.lsp.get_clients then
    list = vim.lsp.get_clients({ bufnr = bufnr, name = M.name })
  else
    list = {}
    for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
      if c.name == M.name then
        table.insert(list, c)
      end
    end
  end
  return list
end

local function client_request(client, method, params, handler, bufnr)
  if has("0.11") then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function position_params(client)
  local win = vim.api.nvim_get_current_win()
  return vim.lsp.util.make_position_params(win, client.offset_encoding)
end

local function jump(location, client)
  if location == nil or location == vim.NIL then
    return false
  end
  vim.cmd("normal! m'")
  if vim.lsp.util.show_document then
    vim.lsp.util.show_document(location, client.offset_encoding, { focus = true })
  else
    vim.lsp.util.jump_to_location(location, client.offset_encoding)
  end
  return true
end

local function with_client(fn)
  local client = M.clients(0)[1]
  if client == nil then
    notify("no tally server is attached to this buffer (is it an article inside a folder with tally.toml?)",
      vim.log.levels.WARN)
    return
  end
  fn(client)
end

--- Jump to the next (step = 1) or previous (step = -1) claim of the event under the cursor.
function M.goto_claim(step)
  with_client(function(client)
    local p = position_params(client)
    local command = step < 0 and "tally.previousClaim" or "tally.nextClaim"
    local bufnr = vim.api.nvim_get_current_buf()
    client_request(client, "workspace/executeCommand", {
      command = command,
      arguments = { p.textDocument.uri, p.position },
    }, function(err, result)
      if err then
        notify(command .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      elseif not jump(result, client) then
        notify("no claim of an event under the cursor", vim.log.levels.WARN)
      end
    end, bufnr)
  end)
end

--- Put every reading of the event under the cursor into the quickfix list and open it.
function M.readings()
  with_client(function(client)
    local p = position_params(client)
    p.context = { includeDeclaration = false }
    local bufnr = vim.api.nvim_get_current_buf()
    client_request(client, "textDocument/references", p, function(err, result)
      if err then
        notify("readings failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
        return
      end
      if result == nil or result == vim.NIL or #result == 0 then
        notify("no claim of an event under the cursor", vim.log.levels.WARN)
        return
      end
      local items = vim.lsp.util.locations_to_items(result, client.offset_encoding)
      vim.fn.setqflist({}, " ", { title = "tally: readings (" .. #items .. ")", items = items })
      vim.cmd("botright copen")
    end, bufnr)
  end)
end

local function make_config(root)
  local c = M.config
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  if c.capabilities then
    capabilities = vim.tbl_deep_extend("force", capabilities, c.capabilities)
  end
  local conf = {
    name = M.name,
    cmd = normalize_cmd(c.cmd),
    root_dir = root,
    settings = normalize_settings(c.settings),
    init_options = normalize_settings(c.settings),
    capabilities = capabilities,
    on_attach = c.on_attach,
  }
  if root then
    conf.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
  end
  return conf
end

-- Neovim 0.7: one client per corpus root, started with vim.lsp.start_client.
local clients_by_root = {}

local function attach_legacy(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.bo[bufnr].buftype ~= "" or name == "" then
    return
  end
  local root = M.find_root(name)
  if root == nil then
    return
  end
  if has("0.8") then
    vim.lsp.start(make_config(root), { bufnr = bufnr })
    return
  end
  local id = clients_by_root[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client(make_config(root))
    if id == nil then
      notify("could not start " .. table.concat(normalize_cmd(M.config.cmd), " "), vim.log.levels.ERROR)
      return
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

local function define_commands()
  vim.api.nvim_create_user_command("TallyNextClaim", function()
    M.goto_claim(1)
  end, { desc = "tally: jump to the next claim of the event under the cursor" })
  vim.api.nvim_create_user_command("TallyPrevClaim", function()
    M.goto_claim(-1)
  end, { desc = "tally: jump to the previous claim of the event under the cursor" })
  vim.api.nvim_create_user_command("TallyReadings", function()
    M.readings()
  end, { desc = "tally: every reading of the event under the cursor, in the quickfix list" })
end

function M.setup(opts)
  if not has("0.7") then
    notify("needs Neovim 0.7 or newer", vim.log.levels.ERROR)
    return
  end
  M.config = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  if opts and opts.cmd then
    M.config.cmd = opts.cmd -- a list replaces the default list, never merges into it
  end
  if opts and opts.filetypes then
    M.config.filetypes = opts.filetypes
  end
  define_commands()

  if has("0.11") and vim.lsp.config and vim.lsp.enable then
    local conf = make_config(nil)
    conf.name = nil
    conf.root_dir = function(bufnr, on_dir)
      local root = M.find_root(vim.api.nvim_buf_get_name(bufnr))
      if root then
        on_dir(root)
      end
    end
    conf.workspace_folders = nil
    conf.filetypes = M.config.filetypes
    vim.lsp.config(M.name, conf)
    vim.lsp.enable(M.name)
  else
    local group = vim.api.nvim_create_augroup("tally", { clear = true })
    vim.api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = M.config.filetypes,
      callback = function(args)
        attach_legacy(args.buf)
      end,
    })
    -- Buffers already open when setup() runs.
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(M.config.filetypes, vim.bo[b].filetype) then
        attach_legacy(b)
      end
    end
  end
  M.did_setup = true
end

return M
