#!/usr/bin/env bash
# The language server at the protocol level (tests/e2e/lsp_client.py, a client written with
# Python's standard library): errors for bad input and early requests, position encodings, text
# and notebook document sync, configuration files and settings changing, hover, code actions,
# shutdown and exit. Without python3: fail under scripts/test.sh, otherwise skip (exit 77).
source "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then
  msg="python3 is not installed (scripts/setup.sh --test installs it)"
  if [ "${ECOLINT_REQUIRE_TEST_TOOLS:-0}" = 1 ]; then echo "FAIL: $msg" >&2; exit 1; fi
  echo "SKIP: $msg" >&2
  exit 77
fi
timeout 200 python3 "$(dirname "$0")/lsp_client.py" "$ECOLINT" "$WORK" || fail "the protocol-level checks"
finish
