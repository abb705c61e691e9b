#!/usr/bin/env bash
# The language server with a real client: headless Neovim (Debian's `neovim`, its built-in LSP
# client) opens a file, gets the ECO001 diagnostic, hovers it, applies the code action's fix and
# sees the diagnostic go (tests/e2e/lsp/nvim_fix.lua). Without nvim: fail under scripts/test.sh
# (ECOLINT_REQUIRE_TEST_TOOLS=1), otherwise skip (exit 77).
source "$(dirname "$0")/lib.sh"
if ! command -v nvim >/dev/null 2>&1; then
  msg="nvim is not installed (scripts/setup.sh --test installs Debian's neovim)"
  if [ "${ECOLINT_REQUIRE_TEST_TOOLS:-0}" = 1 ]; then echo "FAIL: $msg" >&2; exit 1; fi
  echo "SKIP: $msg" >&2
  exit 77
fi
LUA="$(cd "$(dirname "$0")" && pwd)/lsp/nvim_fix.lua"
mkdir -p "$WORK/proj" "$WORK/xdg"
cat > "$WORK/proj/serve.py" <<'PY'
from transformers import AutoModelForCausalLM, BitsAndBytesConfig

quantization = BitsAndBytesConfig(load_in_8bit=True)
model = AutoModelForCausalLM.from_pretrained("mistralai/Mistral-7B-v0.1", quantization_config=quantization)
PY
export LSP_TEST_FILE="$WORK/proj/serve.py"
# No user configuration, plugins, shada or swap files; Neovim's own state goes to the temp dir.
export XDG_CONFIG_HOME="$WORK/xdg/config" XDG_DATA_HOME="$WORK/xdg/data" XDG_STATE_HOME="$WORK/xdg/state" \
  XDG_CACHE_HOME="$WORK/xdg/cache"
out="$(timeout 100 nvim --headless --clean -n -i NONE -c "luafile $LUA" 2>&1)"
rc=$?
echo "$out"
[ "$rc" = 0 ] || fail "headless Neovim exited $rc"
expect_contains "$out" "the ECO001 diagnostic went away" "nvim test"
# The file on disk is untouched: the fix went into the buffer, which was not saved.
grep -q "llm_int8_threshold" "$WORK/proj/serve.py" && fail "the file was written"
finish
