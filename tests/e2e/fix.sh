#!/usr/bin/env bash
# Fixes from the command line, on a copy of examples/: --diff --unsafe-fixes prints a diff and
# changes nothing; --fix alone applies nothing (every fix is unsafe) and says so; --fix
# --unsafe-fixes leaves no fixable finding and every file still parses (Python compiles, YAML
# loads, notebooks are valid JSON with the same cells). Also: BOM, CRLF and permissions kept,
# findings hidden by per-file-ignores or --diff-base left alone, and SARIF with fixes (written to
# $SARIF_DIR for the schema test).
source "$(dirname "$0")/lib.sh"
SRC="${ECOLINT_SOURCE_DIR:?set ECOLINT_SOURCE_DIR}"
SARIF_DIR="${SARIF_DIR:-$WORK/sarif}"
mkdir -p "$SARIF_DIR"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3 is not installed" >&2; exit 77; }

E="$WORK/examples"
cp -r "$SRC/examples" "$E"
cd "$E"
snapshot() { find . -type f -print0 | sort -z | xargs -0 sha256sum; }
before="$(snapshot)"

expect_rc 1 "SARIF with fixes" -- "$ECOLINT" --format sarif .
echo "$OUT" > "$SARIF_DIR/fix-examples.json"
echo "$OUT" | python3 -c '
import json, sys
results = json.load(sys.stdin)["runs"][0]["results"]
fixes = [f for r in results for f in r.get("fixes", [])]
assert len(fixes) >= 8, len(fixes)
for f in fixes:
    assert f["properties"]["applicability"] == "unsafe"
    for change in f["artifactChanges"]:
        assert change["replacements"] and "deletedRegion" in change["replacements"][0]
' || fail "SARIF results carry their fixes"

expect_rc 1 "--diff --unsafe-fixes" -- "$ECOLINT" --diff --unsafe-fixes .
expect_contains "$OUT" "--- a/serve_int8.py" "diff header"
expect_contains "$OUT" "+    load_in_8bit=True, llm_int8_threshold=0.0," "the ECO001 edit in the diff"
expect_contains "$OUT" "-          args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\", \"--quantize\"" "a YAML edit in the diff"
expect_contains "$ERR" "would be applied" "diff summary on stderr"
expect_not_contains "$OUT" "ECO001 8-bit" "no report with --diff"
echo "$OUT" > "$WORK/examples.diff"
[ "$(snapshot)" = "$before" ] || fail "--diff changed files"
# The diff is a patch `patch` accepts.
if command -v patch >/dev/null 2>&1; then
  patch -p1 --dry-run -s < "$WORK/examples.diff" >/dev/null || fail "patch does not accept the diff"
fi

expect_rc 1 "--fix without --unsafe-fixes" -- "$ECOLINT" --fix .
expect_contains "$ERR" "--unsafe-fixes applies them" "hint about unsafe fixes"
[ "$(snapshot)" = "$before" ] || fail "--fix applied unsafe fixes"
expect_rc 1 "--show-fixes lists the available fixes" -- "$ECOLINT" --show-fixes .
expect_contains "$ERR" "serve_int8.py:8:5: ECO001 fix available (unsafe): add llm_int8_threshold=0.0" "show-fixes"

expect_rc 1 "--fix --unsafe-fixes" -- "$ECOLINT" --fix --unsafe-fixes --show-fixes .
expect_contains "$ERR" "ecolint: fixed 9 findings in 7 files" "fix summary"
expect_contains "$ERR" "ECO002 fixed (unsafe)" "show-fixes after --fix"
expect_contains "$OUT" "eval_prompts.py:19:20: ECO003" "the finding without an edit remains"
expect_contains "$OUT" "Found 1 finding" "only it remains"
expect_rc 0 "nothing left to fix" -- "$ECOLINT" --diff --unsafe-fixes .
[ -z "$OUT" ] || fail "a second --diff still has changes"
ls -a deploy notebooks . | grep -q '\.ecolint\.' && fail "a temporary file was left behind"

for f in $(find . -name '*.py'); do python3 -m py_compile "$f" || fail "$f does not compile after --fix"; done
python3 - "$SRC/examples" <<'PY' || fail "fixed YAML or notebooks do not load"
import glob, json, os, sys
import yaml
for f in glob.glob("deploy/*.y*ml"):
    list(yaml.safe_load_all(open(f)))
for f in glob.glob("notebooks/*.ipynb"):
    a, b = json.load(open(os.path.join(sys.argv[1], f))), json.load(open(f))
    assert [c["cell_type"] for c in a["cells"]] == [c["cell_type"] for c in b["cells"]], f
    assert [len(c["source"]) for c in a["cells"]] == [len(c["source"]) for c in b["cells"]], f
PY

# --- encoding, line breaks and permissions are kept
P="$WORK/proj"
mkdir -p "$P/tests"
cd "$P"
printf '\xef\xbb\xbfq = BitsAndBytesConfig(load_in_8bit=True)\r\nx = 1\r\n' > bom.py
chmod 0751 bom.py
expect_rc 0 "fix a BOM + CRLF file" -- "$ECOLINT" --fix --unsafe-fixes bom.py
python3 - <<'PY' || fail "BOM or CRLF lost"
data = open("bom.py", "rb").read()
assert data == b"\xef\xbb\xbfq = BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=0.0)\r\nx = 1\r\n", data
PY
[ "$(stat -c %a bom.py)" = 751 ] || fail "permissions not kept ($(stat -c %a bom.py))"

# --- findings the filters hide are not fixed
printf '%s\n' "$INT8_LINE" > tests/t.py
printf '%s\n' "$INT8_LINE" > kept.py
printf 'per-file-ignores: {"tests/**": [ECO001]}\n' > .ecolint.yaml
expect_rc 0 "per-file-ignores are not fixed" -- "$ECOLINT" --fix --unsafe-fixes .
grep -q llm_int8_threshold tests/t.py && fail "a per-file-ignored finding was fixed"
grep -q llm_int8_threshold kept.py || fail "the reported finding was not fixed"
printf '%s  # ecolint: ignore[ECO001] demo\n' "$INT8_LINE" > suppressed.py
expect_rc 0 "suppressed findings are not fixed" -- "$ECOLINT" --fix --unsafe-fixes suppressed.py
grep -q llm_int8_threshold suppressed.py && fail "a suppressed finding was fixed"
finish
