-- :checkhealth tally
local M = {}

local function reporter()
  local h = vim.health
  if h and h.start then -- 0.10+
    return h.start, h.ok, h.warn, h.error, h.info
  end
  if h and h.report_start then -- 0.8-0.9
    return h.report_start, h.report_ok, h.report_warn, h.report_error, h.report_info
  end
  h = require("health") -- 0.7
  return h.report_start, h.report_ok, h.report_warn, h.report_error, h.report_info
end

function M.check()
  local start, ok, warn, error, info = reporter()
  local tally = require("tally")

  start("tally: Neovim")
  local v = vim.version()
  local version = string.format("%d.%d.%d", v.major, v.minor, v.patch)
  if tally.has("0.11") then
    ok("Neovim " .. version .. ": vim.lsp.config / vim.lsp.enable")
  elseif tally.has("0.8") then
    ok("Neovim " .. version .. ": vim.lsp.start")
  elseif tally.has("0.7") then
    ok("Neovim " .. version .. ": vim.lsp.start_client")
  else
    error("Neovim " .. version .. " is too old: tally needs 0.7 or newer")
  end

  start("tally: setup")
  if tally.did_setup then
    ok('require("tally").setup() was called')
  else
    warn('require("tally").setup() was not called', { 'Add require("tally").setup({}) to your init.lua' })
  end

  start("tally: server")
  local cmd = tally.config.cmd
  if type(cmd) == "string" then
    cmd = { cmd }
  end
  local bin = cmd and cmd[1]
  if bin == nil or vim.fn.executable(bin) ~= 1 then
    error("the server `" .. tostring(bin) .. "` is not executable or not on PATH", {
      "Install tally: `cargo install --path .` in the tally repository (puts `tally` in ~/.cargo/bin)",
      'or point setup() at the binary: require("tally").setup({ cmd = { "/path/to/tally", "lsp" } })',
    })
  else
    local out = vim.fn.system({ bin, "--version" })
    if vim.v.shell_error == 0 then
      ok(vim.fn.exepath(bin) .. ": " .. vim.trim(out))
    else
      warn(bin .. " --version failed: " .. vim.trim(out))
    end
  end

  start("tally: current buffer")
  -- :checkhealth shows its report in a buffer of its own: look at the one it was called from.
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].buftype ~= "" or vim.api.nvim_buf_get_name(buf) == "" then
    local alt = vim.fn.bufnr("#")
    if alt > 0 then
      buf = alt
    end
  end
  local name = vim.api.nvim_buf_get_name(buf)
  local root = tally.find_root(name)
  if root then
    ok("corpus root: " .. root)
  else
    info((name == "" and "this buffer" or name) .. " is not inside a corpus (no " .. tally.config.root_marker .. " above it)")
  end
  local clients = tally.clients(buf)
  if #clients > 0 then
    ok("tally server attached (client id " .. clients[1].id .. ")")
  elseif root then
    warn("no tally server is attached to this buffer", { "Check :LspLog, and that the filetype is one of "
      .. table.concat(tally.config.filetypes, ", ") })
  end
end

return M
