-- Headless Neovim as a real LSP client of `ecolint server` (its built-in client, no plugins):
-- open a file, wait for the ECO001 diagnostic, hover it, request the code actions, apply the
-- fix, and wait for the diagnostic to go. Neovim 0.7 (Debian 12) has vim.lsp.start_client;
-- later versions vim.lsp.start. Exits with :cquit 1 on failure.
local ecolint = assert(os.getenv("ECOLINT"), "set ECOLINT")
local file = assert(os.getenv("LSP_TEST_FILE"), "set LSP_TEST_FILE")
local timeout = 20000

local function say(msg) io.stdout:write(msg .. "\n") end
local function fail(msg)
  io.stderr:write("FAIL: " .. msg .. "\n")
  vim.cmd("cquit 1")
end

local function is_eco001(d)
  local lsp = d.user_data and d.user_data.lsp or {}
  return d.code == "ECO001" or lsp.code == "ECO001"
end

local function eco001(bufnr)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if is_eco001(d) then return d end
  end
  return nil
end

vim.cmd("filetype on")
vim.cmd("edit " .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local config = { name = "ecolint", cmd = { ecolint, "server" }, root_dir = vim.fn.fnamemodify(file, ":p:h") }
local client_id
if vim.lsp.start then
  client_id = vim.lsp.start(config)
else
  client_id = vim.lsp.start_client(config)
  if client_id then vim.lsp.buf_attach_client(bufnr, client_id) end
end
if not client_id then fail("the client did not start ecolint server") end

-- 1. The diagnostic arrives.
if not vim.wait(timeout, function() return eco001(bufnr) ~= nil end, 10) then
  fail("no ECO001 diagnostic within " .. timeout .. " ms")
end
local d = eco001(bufnr)
say(string.format("diagnostic: line %d col %d: %s", d.lnum + 1, d.col + 1, d.message:sub(1, 60)))
if d.source ~= "ecolint" then fail("diagnostic source is " .. tostring(d.source)) end

-- 2. Hover on it shows the rule's documentation.
vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", vim.lsp.util.make_position_params(), timeout)
local hover_text = ""
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then hover_text = r.result.contents.value or "" end
end
if not hover_text:find("Why it wastes energy", 1, true) or not hover_text:find("Evidence", 1, true) then
  fail("hover lacks the rule's why and evidence: " .. hover_text:sub(1, 200))
end
say("hover: " .. #hover_text .. " characters of Markdown")

-- 3. The code actions: the rule's fix and "ignore on this line".
local params = vim.lsp.util.make_range_params()
params.context = { diagnostics = {} }
local results = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, timeout)
local fix, ignore
for _, r in pairs(results or {}) do
  for _, action in ipairs(r.result or {}) do
    if action.title:find("llm_int8_threshold", 1, true) then fix = action end
    if action.title:find("ignore on this line", 1, true) then ignore = action end
  end
end
if not fix then fail("no code action with the ECO001 fix") end
if not ignore then fail("no 'ignore on this line' code action") end
if fix.kind ~= "quickfix" then fail("the fix's kind is " .. tostring(fix.kind)) end
say("code actions: " .. fix.title .. " | " .. ignore.title)

-- 4. Applying the fix edits the buffer; the client sends the change, the diagnostic goes.
local client = vim.lsp.get_client_by_id(client_id)
vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or "utf-16")
local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
if not line:find("llm_int8_threshold=0.0", 1, true) then fail("the buffer was not fixed: " .. line) end
say("fixed line: " .. line)
if not vim.wait(timeout, function() return eco001(bufnr) == nil end, 10) then
  fail("ECO001 is still reported after the fix")
end
say("the ECO001 diagnostic went away")

vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 10)
vim.cmd("qall!")
