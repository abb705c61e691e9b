#!/usr/bin/env bash
# Validates every SARIF file the suite wrote (in $SARIF_DIR) and a few more made here against the
# official SARIF 2.1.0 schema, with ajv-cli + ajv-formats from tests/tools (installed by
# scripts/test.sh with `npm ci`). Without them: fail under scripts/test.sh
# (ECOLINT_REQUIRE_TEST_TOOLS=1), otherwise skip (exit 77).
source "$(dirname "$0")/lib.sh"
TOOLS="${ECOLINT_TEST_TOOLS:?set ECOLINT_TEST_TOOLS to tests/tools}"
SARIF_DIR="${SARIF_DIR:?set SARIF_DIR}"
AJV="$TOOLS/node_modules/.bin/ajv"
SCHEMA="$TOOLS/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"
if [ ! -x "$AJV" ] || [ ! -f "$SCHEMA" ] || [ ! -d "$TOOLS/node_modules/ajv-formats" ]; then
  msg="SARIF schema tools missing: run (cd tests/tools && npm ci) to install ajv-cli, ajv-formats and the SARIF schema"
  if [ "${ECOLINT_REQUIRE_TEST_TOOLS:-0}" = 1 ]; then
    echo "FAIL: $msg" >&2
    exit 1
  fi
  echo "SKIP: $msg" >&2
  exit 77
fi

# The validator must reject a broken log, or this test proves nothing.
printf '{"version": "2.0.0", "runs": [{"results": []}]}\n' > "$WORK/broken.json"
if "$AJV" validate --spec=draft2020 -c ajv-formats -s "$SCHEMA" -d "$WORK/broken.json" >/dev/null 2>&1; then
  fail "the validator accepted an invalid SARIF log"
fi

# More shapes: notes (unreadable, non-UTF-8, parse errors), odd file names, absolute paths.
P="$WORK/proj"
mkdir -p "$P/dir with space"
cd "$P"
printf '%s\n' "$INT8_LINE" > "dir with space/caf\xc3\xa9 100%%.py"
printf 'x = "\xff"\n' > latin1.py
printf 'def f(:\n  %s\n' "$INT8_LINE" > syntax.py
printf 'y = 1  # ecolint: ignore\n' > bare.py
"$ECOLINT" --format sarif . > "$SARIF_DIR/schema-mixed.json"
"$ECOLINT" --format sarif "$P/latin1.py" "$P/dir with space" > "$SARIF_DIR/schema-absolute.json"
"$ECOLINT" --format sarif missing.py > "$SARIF_DIR/schema-error.json"
"$ECOLINT" --format sarif --select ECO002 bare.py > "$SARIF_DIR/schema-clean.json"

files=()
for f in "$SARIF_DIR"/*.json; do [ -e "$f" ] && files+=(-d "$f"); done
count=$((${#files[@]} / 2))
[ "$count" -ge 4 ] || fail "expected SARIF files to validate in $SARIF_DIR, found $count"
# One ajv process for all files (node start-up dominates); it exits non-zero if any is invalid.
if ! out="$("$AJV" validate --spec=draft2020 --all-errors -c ajv-formats -s "$SCHEMA" "${files[@]}" 2>&1)"; then
  fail "SARIF output does not match the SARIF 2.1.0 schema"
  echo "$out" | grep -v ' valid$' | head -60 >&2
fi
echo "validated $count SARIF files"
finish
