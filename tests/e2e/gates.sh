#!/usr/bin/env bash
# End-to-end checks of what CI gates and real repositories need (issue 19): SARIF for code
# scanning, per-file configuration, rule selection as Ruff merges it, unknown GPUs, severities,
# --diff-base by identity. SARIF files written here land in $SARIF_DIR for the schema test.
source "$(dirname "$0")/lib.sh"
SARIF_DIR="${SARIF_DIR:-$WORK/sarif}"
mkdir -p "$SARIF_DIR"
rm -f "$SARIF_DIR"/gates-*.json

R="$WORK/repo"
new_repo "$R"
cd "$R"

# --- SARIF for code scanning: no suppressed or baselined results; URIs from the repository top
mkdir -p src/app
cat > src/app/mixed.py <<PY
$INT8_LINE  # ecolint: ignore[ECO001] demo box
$INT8_LINE
PY
printf '%s\n' "$INT8_LINE" > src/app/old.py
cd src
"$ECOLINT" --write-baseline "$WORK/baseline.json" app/old.py 2>/dev/null
expect_rc 1 "sarif from a subdirectory" -- "$ECOLINT" --format sarif --baseline "$WORK/baseline.json" app
echo "$OUT" > "$SARIF_DIR/gates-subdir.json"
results="$(echo "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"][0]["results"]; print(len(r), " ".join(x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for x in r), sum("suppressions" in x for x in r))')"
[ "$results" = "1 src/app/mixed.py 0" ] || fail "exactly one open result, repo-relative (got: $results)"
root="$(echo "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"])')"
[ "$root" = "file://$R/" ] || fail "%SRCROOT% is the work tree's top (got: $root)"
expect_rc 1 "--sarif-include-suppressed" -- "$ECOLINT" --format sarif --sarif-include-suppressed --baseline "$WORK/baseline.json" app
echo "$OUT" > "$SARIF_DIR/gates-include-suppressed.json"
kinds="$(echo "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"][0]["results"]; print(" ".join(sorted(s["kind"] for x in r for s in x.get("suppressions",[]))), len(r))')"
[ "$kinds" = "external inSource 3" ] || fail "suppressed and baselined kept on request (got: $kinds)"
expect_rc 1 "github annotations from a subdirectory" -- "$ECOLINT" --format github app
expect_contains "$OUT" "file=src/app/mixed.py," "annotation path from the repository top"
expect_rc 1 "--project-root" -- "$ECOLINT" --format sarif --project-root "$R/src" app
expect_contains "$OUT" '"uri": "app/mixed.py"' "--project-root sets the URI base"
expect_rc 1 "text output keeps paths as given" -- "$ECOLINT" app
expect_contains "$OUT" "app/mixed.py:2:" "text path relative to the working directory"
cd "$R"
rm -rf src


finish
