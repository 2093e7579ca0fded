-- End-to-end test of the tally plugin in a real Neovim, against the real server and the example
-- corpus. Run by editors/nvim/test/run.sh:
--
--   TALLY_BIN=/path/to/tally nvim --headless -u NONE -i NONE -c "luafile editors/nvim/test/e2e.lua"
--
-- Exits 0 when every check passed, 1 otherwise. Works on Neovim 0.7 and newer.

local here = debug.getinfo(1, "S").source:sub(2)
local plugin_dir = vim.fn.fnamemodify(here, ":p:h:h")
local repo = vim.fn.fnamemodify(plugin_dir, ":h:h")
local corpus = repo .. "/examples/aleppo-evacuation"
local tally_bin = os.getenv("TALLY_BIN") or "tally"
local timeout = tonumber(os.getenv("TALLY_TEST_TIMEOUT") or "20000")

local passed, failed = 0, 0
local function log(msg)
  io.stdout:write(msg .. "\n")
  io.stdout:flush()
end
local function check(name, cond, detail)
  if cond then
    passed = passed + 1
    log("ok   - " .. name)
  else
    failed = failed + 1
    log("FAIL - " .. name .. (detail and (": " .. detail) or ""))
  end
  return cond
end
local function finish()
  log(string.format("nvim-%s: %d passed, %d failed", tostring(vim.version().major .. "." .. vim.version().minor),
    passed, failed))
  vim.cmd((failed == 0 and passed > 0) and "qall!" or "cquit! 1")
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  vim.cmd("filetype on")
  vim.o.swapfile = false
  vim.o.shortmess = vim.o.shortmess .. "F"

  local tally = require("tally")
  tally.setup({
    cmd = { tally_bin, "lsp" },
    -- A severity override, to check that settings reach the server.
    settings = { tally = { diagnostics = { ["unsourced-figure"] = "error" } } },
  })

  -- 1. Open an article of the example corpus: the server starts and attaches.
  local article = corpus .. "/aleppo-notebook-2016-12-14-how-many.md"
  vim.cmd("edit " .. vim.fn.fnameescape(article))
  local buf = vim.api.nvim_get_current_buf()
  check("filetype is markdown", vim.bo.filetype == "markdown", vim.bo.filetype)
  if not check("server attaches", vim.wait(timeout, function()
    return #tally.clients(buf) > 0
  end, 50)) then
    error("no server: the other checks cannot pass", 0)
  end

  -- 2. The expected diagnostics arrive (the conflict needs the indexed corpus).
  local function codes()
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      -- Several diagnostics may share a code: keep the first one on the claim's line (9).
      local prev = seen[tostring(code)]
      if prev == nil or (prev.lnum ~= 8 and d.lnum == 8) then
        seen[tostring(code)] = d
      end
    end
    return seen
  end
  check("diagnostics: unsourced-figure and conflicting-figure", vim.wait(timeout, function()
    local s = codes()
    return s["unsourced-figure"] ~= nil and s["conflicting-figure"] ~= nil
  end, 50), vim.inspect(vim.tbl_keys(codes())))
  local s = codes()
  local unsourced, conflict = s["unsourced-figure"], s["conflicting-figure"]
  check("unsourced-figure is on line 9", unsourced and unsourced.lnum == 8)
  check("unsourced-figure severity follows the setting (error)",
    unsourced and unsourced.severity == vim.diagnostic.severity.ERROR,
    unsourced and tostring(unsourced.severity))
  check("conflicting-figure is a warning", conflict and conflict.severity == vim.diagnostic.severity.WARN)
  check("conflicting-figure names the other source",
    conflict and conflict.message:find("United Nations", 1, true) ~= nil, conflict and conflict.message)

  -- 3. Hover on the claim "[about 30,000]": a floating window with every reading of the event.
  local line9 = vim.api.nvim_buf_get_lines(buf, 8, 9, false)[1]
  local col = line9:find("[about 30,000]", 1, true)
  check("the claim is in the article", col ~= nil)
  vim.api.nvim_win_set_cursor(0, { 9, col + 2 })
  local main_win = vim.api.nvim_get_current_win()
  vim.lsp.buf.hover()
  local float_text
  check("hover opens a floating window", vim.wait(timeout, function()
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if w ~= main_win and vim.api.nvim_win_get_config(w).relative ~= "" then
        float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), "\n")
        return true
      end
    end
    return false
  end, 50))
  check("hover shows the event and the other reading",
    float_text and float_text:find("east-aleppo-besieged", 1, true) and float_text:find("United Nations", 1, true),
    float_text)
  -- Close the float (moving the cursor closes it).
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if w ~= main_win and vim.api.nvim_win_get_config(w).relative ~= "" then
      vim.api.nvim_win_close(w, true)
    end
  end

  -- 4. :TallyNextClaim jumps to the other claim of the event, in another article.
  local target = corpus .. "/humanitarian-dispatch-2016-12-09-shelters.md"
  local function at(file, lnum, byte_col)
    local name = vim.api.nvim_buf_get_name(0)
    local cur = vim.api.nvim_win_get_cursor(0)
    return vim.fn.resolve(name) == vim.fn.resolve(file) and cur[1] == lnum and cur[2] == byte_col
  end
  local target_lines = vim.fn.readfile(target)
  local target_col = target_lines[9]:find("[some 250,000 people]", 1, true) -- 1-based col of "["
  vim.cmd("TallyNextClaim")
  check(":TallyNextClaim moves the cursor to the next claim", vim.wait(timeout, function()
    return at(target, 9, target_col) -- 0-based byte col of the figure, after "["
  end, 50), vim.api.nvim_buf_get_name(0) .. " " .. vim.inspect(vim.api.nvim_win_get_cursor(0)))

  -- 5. :TallyPrevClaim goes back (two claims: previous of the second is the first).
  vim.cmd("TallyPrevClaim")
  check(":TallyPrevClaim moves the cursor back", vim.wait(timeout, function()
    return at(article, 9, col)
  end, 50), vim.api.nvim_buf_get_name(0) .. " " .. vim.inspect(vim.api.nvim_win_get_cursor(0)))

  -- 6. :TallyReadings puts both readings in the quickfix list.
  vim.cmd("TallyReadings")
  local qf
  check(":TallyReadings fills the quickfix list", vim.wait(timeout, function()
    qf = vim.fn.getqflist()
    return #qf == 2
  end, 50), qf and vim.inspect(#qf))
  if qf and #qf == 2 then
    local files = {}
    for _, item in ipairs(qf) do
      files[vim.fn.fnamemodify(vim.fn.bufname(item.bufnr), ":t")] = item.lnum
    end
    check("the readings are the two claims of the event",
      files["aleppo-notebook-2016-12-14-how-many.md"] == 9 and files["humanitarian-dispatch-2016-12-09-shelters.md"] == 9,
      vim.inspect(files))
  end
  vim.cmd("cclose")

  -- 7. :checkhealth tally reports the server.
  vim.cmd("checkhealth tally")
  local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  check(":checkhealth tally finds the server", health:find(": tally 0", 1, true) ~= nil, health)
  check(":checkhealth tally reports no error", health:find("ERROR", 1, true) == nil, health)

  -- 8. A Markdown file outside any corpus gets no server.
  local outside = vim.fn.tempname() .. ".md"
  vim.fn.writefile({ "# notes", "", "[1,200 fighters]{event=x}" }, outside)
  vim.cmd("edit " .. vim.fn.fnameescape(outside))
  vim.wait(300)
  check("no server outside a corpus", #tally.clients(0) == 0)
end)

if not ok then
  check("the test script ran to the end", false, tostring(err))
end
finish()
