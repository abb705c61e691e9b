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

# --- configuration per file, nearest first: the same whatever the order of paths, and on a walk
mkdir -p sub
printf '%s\n' "$INT8_LINE" > top.py
printf '%s\n' "$INT8_LINE" > sub/inner.py
printf 'ignore: [ECO001]\n' > sub/.ecolint.yaml
expect_rc 1 "nested config, top first" -- "$ECOLINT" top.py sub/inner.py
expect_contains "$OUT" "Found 1 finding" "top first: only top.py"
expect_rc 1 "nested config, inner first" -- "$ECOLINT" sub/inner.py top.py
expect_contains "$OUT" "Found 1 finding" "inner first: only top.py"
expect_contains "$OUT" "top.py:1:" "inner first: top.py's finding"
expect_rc 1 "nested config on a directory walk" -- "$ECOLINT" .
expect_contains "$OUT" "Found 1 finding" "walk: only top.py"
expect_not_contains "$OUT" "sub/inner.py:" "walk: sub/.ecolint.yaml applies to sub/"
printf 'colour: red\n' > sub/.ecolint.yaml
expect_rc 2 "a broken nested config is an error" -- "$ECOLINT" .
expect_contains "$ERR" "sub/.ecolint.yaml" "the error names the nested file"
rm -rf sub top.py

# --- command line and configuration merge as Ruff's
printf '%s\n' "$INT8_LINE" > bad.py
printf 'ignore: [ECO001]\n' > .ecolint.yaml
expect_rc 0 "config ignore" -- "$ECOLINT" bad.py
expect_rc 1 "--select overrides the config's ignore" -- "$ECOLINT" --select ECO001 bad.py
expect_rc 0 "--ignore adds to the config's ignore" -- "$ECOLINT" --ignore ECO003 bad.py
printf 'select: [ECO002]\n' > .ecolint.yaml
expect_rc 0 "config select" -- "$ECOLINT" bad.py
expect_rc 1 "--extend-select adds to the config's select" -- "$ECOLINT" --extend-select ECO001 bad.py
printf 'select: [ECO002]\nextend-select: [ECO001]\n' > .ecolint.yaml
expect_rc 1 "config extend-select" -- "$ECOLINT" bad.py
expect_rc 0 "--extend-ignore" -- "$ECOLINT" --extend-ignore ECO001 bad.py
printf 'select: []\n' > .ecolint.yaml
expect_rc 0 "select: [] selects no rule" -- "$ECOLINT" bad.py
expect_rc 2 "unknown --extend-select" -- "$ECOLINT" --extend-select ECO9 bad.py

# --- severity per rule, so --fail-level error can gate
printf 'severity: {ECO001: error}\n' > .ecolint.yaml
expect_rc 1 "configured error fails --fail-level error" -- "$ECOLINT" --fail-level error --format json bad.py
expect_contains "$OUT" '"severity": "error"' "the finding is an error"
expect_rc 1 "severity in sarif" -- "$ECOLINT" --format sarif bad.py
echo "$OUT" > "$SARIF_DIR/gates-severity.json"
expect_contains "$OUT" '"level": "error"' "sarif level from the configuration"
printf 'severity: {ECO001: note}\n' > .ecolint.yaml
expect_rc 0 "a note does not fail the default level" -- "$ECOLINT" bad.py
rm .ecolint.yaml bad.py

# --- GPUs: the common ones resolve; an unknown one is a warning, exit by the findings
printf '%s\n' "$INT8_LINE" > bad.py
printf 'x = 1\n' > clean.py
for gpu in V100 A10 A30 A40 L40 L40S "RTX 3090" "RTX 3080" "RTX A6000" "RTX 6000 Ada" B200 GB200 H20 MI250 MI300X; do
  expect_rc 0 "--gpu $gpu" -- "$ECOLINT" --gpu "$gpu" clean.py
  expect_not_contains "$ERR" "unknown GPU" "--gpu $gpu is known"
done
expect_rc 1 "unknown --gpu: findings still fail" -- "$ECOLINT" --gpu X9000 bad.py
expect_contains "$ERR" "warning: unknown GPU 'X9000'" "unknown GPU warning on stderr"
expect_not_contains "$OUT" "unknown GPU" "no warning in the report"
expect_rc 0 "unknown --gpu on a clean file exits 0" -- "$ECOLINT" --gpu X9000 clean.py
printf 'gpu: X9000\n' > .ecolint.yaml
expect_rc 0 "unknown gpu in the configuration" -- "$ECOLINT" clean.py
expect_contains "$ERR" "(from " "the warning names the configuration"
rm .ecolint.yaml bad.py clean.py

# --- --diff-base: findings new since the merge base, by identity, wherever the edit was
cat > nf4.py <<'PY'
from transformers import AutoModelForCausalLM, BitsAndBytesConfig
MODEL = "Qwen/Qwen2.5-14B-Instruct"
cfg = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4")
m = AutoModelForCausalLM.from_pretrained(MODEL, quantization_config=cfg)
PY
printf 'import transformers\n%s\n' "$INT8_LINE" > old.py
git add -A && git commit -qm base
git checkout -qb feature
expect_rc 0 "no change, no finding" -- "$ECOLINT" --diff-base main .
sed -i 's/14B/0.5B/' nf4.py
expect_rc 1 "a finding caused by an edit on another line" -- "$ECOLINT" --diff-base main .
expect_contains "$OUT" "nf4.py:" "the new ECO002 finding on an unchanged line"
expect_contains "$OUT" "ECO002" "the new finding's rule"
expect_not_contains "$OUT" "old.py" "an unchanged file's finding is old"
printf 'import os\nimport transformers\n%s\n' "$INT8_LINE" > old.py
expect_rc 0 "moved finding is not new" -- "$ECOLINT" --diff-base main old.py
expect_contains "$OUT" "No findings" "old.py's finding only moved"
printf '%s\n' "$INT8_LINE" >> old.py
expect_rc 1 "a second copy is new" -- "$ECOLINT" --diff-base main old.py
expect_contains "$OUT" "old.py:4:" "the copy is reported"
expect_not_contains "$OUT" "old.py:3:" "the original is not"
git checkout -q main
git branch -qD feature 2>/dev/null || true
git checkout -q -- . 2>/dev/null
rm -f nf4.py old.py

# --- --help: one usage line, no CLI11 leftovers
expect_rc 0 "--help" -- "$ECOLINT" --help
[ "$(printf '%s\n' "$OUT" | grep -c 'Usage:')" = 1 ] || fail "--help prints Usage: once"
expect_not_contains "$OUT" "{true}" "--help shows no flag defaults"
expect_not_contains "$OUT" "{false}" "--help shows no flag defaults"
expect_not_contains "$OUT" "Excludes:" "--help shows no Excludes: lists"
expect_contains "$OUT" "--report-unused-suppressions,--no-report-unused-suppressions" "the flag pair"
expect_contains "$OUT" "--config FILE" "a metavariable"

# --- the example workflow parses, builds only the linter, and needs no undocumented variable
python3 - "${ECOLINT_SOURCE_DIR:?}/docs/ci/github-actions.yml" <<'PY' || fail "docs/ci/github-actions.yml"
import re, sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
steps = doc["jobs"]["ecolint"]["steps"]
runs = "\n".join(s.get("run", "") for s in steps)
build = [s for s in steps if "cmake --build" in s.get("run", "")]
assert build, "a step builds ecolint"
assert "--target ecolint" in build[0]["run"] and "ECOLINT_BUILD_TESTS=OFF" in build[0]["run"], "only the linter is built"
assert "cmake --install" in runs, "the workflow installs ecolint"
text = open(sys.argv[1]).read()
assert "vars." not in text, "no repository variable the reader must create"
used = set(re.findall(r"\$\{?(ECOLINT_[A-Z_]+)", runs))
defined = set(doc.get("env", {})) | {"ECOLINT_FLAGS"}
assert used <= defined, f"variables used but not defined: {used - defined}"
for name in doc["env"]:
    assert re.search(r"^#.*" + name, text, re.M), f"{name} is explained in the header"
PY

# --- smaller items: a missing path is an error on stderr; the report stays clean
printf 'x = 1\n' > clean.py
expect_rc 2 "missing path" -- "$ECOLINT" clean.py does-not-exist.py
expect_contains "$ERR" "ecolint: error: does-not-exist.py: No such file or directory" "missing path on stderr"
expect_not_contains "$OUT" "does-not-exist.py" "no note about it in the report"
expect_rc 2 "missing path, SARIF" -- "$ECOLINT" --format sarif clean.py does-not-exist.py
echo "$OUT" > "$SARIF_DIR/gates-missing.json"
expect_contains "$OUT" '"executionSuccessful": false' "SARIF says the run was not successful"
rm clean.py

printf 'x = 1\n' > clean.py
expect_rc 0 "--price-per-kwh without a workload" -- "$ECOLINT" --price-per-kwh 0.2 clean.py
expect_contains "$ERR" "without tokens-per-day" "a price without a workload is a warning"
rm clean.py

# --- Ruff parity: concise format, --statistics
printf 'import transformers\n%s\n%s\n' "$INT8_LINE" "$INT8_LINE" > bad.py
expect_rc 1 "concise format" -- "$ECOLINT" --format concise bad.py
[ "$(printf '%s\n' "$OUT" | grep -c '^bad.py:[23]:[0-9]*: ECO001 ')" = 2 ] || fail "one line per finding"
expect_not_contains "$OUT" " | " "no source lines in the concise format"
expect_rc 1 "--statistics" -- "$ECOLINT" --statistics bad.py
[ "$OUT" = "$(printf '2\tECO001\tint8-mixed-precision')" ] || fail "statistics line (got: $OUT)"
expect_rc 1 "--statistics as JSON" -- "$ECOLINT" --statistics --format json bad.py
echo "$OUT" | python3 -c 'import json,sys; assert json.load(sys.stdin)==[{"code":"ECO001","name":"int8-mixed-precision","count":2}]' \
  || fail "statistics JSON"
expect_rc 2 "--statistics with sarif" -- "$ECOLINT" --statistics --format sarif bad.py
expect_rc 1 "duplicate lines: distinct SARIF fingerprints" -- "$ECOLINT" --format sarif bad.py
echo "$OUT" > "$SARIF_DIR/gates-duplicates.json"
echo "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"][0]["results"]; fps=[x["partialFingerprints"] for x in r]; assert len(r)==2 and fps[0]!=fps[1], fps' \
  || fail "two identical lines get distinct fingerprints"
rm bad.py

# --- Ruff parity: standard input, --show-files, --show-settings
mkdir -p sub
printf 'ignore: [ECO001]\n' > sub/.ecolint.yaml
expect_rc 1 "stdin as Python" -- sh -c "printf '%s\\n' '$INT8_LINE' | '$ECOLINT' -"
expect_contains "$OUT" "-:1:" "stdin is reported as -"
expect_rc 1 "stdin with --stdin-filename" -- sh -c "printf '%s\\n' '$INT8_LINE' | '$ECOLINT' --stdin-filename pkg/app.py -"
expect_contains "$OUT" "pkg/app.py:1:" "stdin is reported under its file name"
expect_rc 0 "stdin takes the named file's configuration" -- sh -c "printf '%s\\n' '$INT8_LINE' | '$ECOLINT' --stdin-filename sub/app.py -"
expect_rc 1 "stdin as YAML" -- sh -c "printf 'base_model: meta-llama/Llama-2-7b-hf\\nload_in_8bit: true\\n' | '$ECOLINT' --stdin-filename c.yaml -"
expect_contains "$OUT" "c.yaml:2:" "YAML from stdin"
expect_rc 2 "- among other paths" -- "$ECOLINT" - sub
printf '%s\n' "$INT8_LINE" > sub/a.py
printf 'x = 1\n' > b.py
mkdir -p vendor && printf 'x = 1\n' > vendor/v.py
printf 'exclude: [vendor]\n' > .ecolint.yaml
expect_rc 0 "--show-files" -- "$ECOLINT" --show-files .
[ "$OUT" = "$(printf '.ecolint.yaml\nb.py\nsub/.ecolint.yaml\nsub/a.py')" ] || fail "--show-files lists what a run lints, vendor excluded (got: $OUT)"
expect_rc 0 "--show-settings" -- "$ECOLINT" --show-settings sub/a.py
expect_contains "$OUT" "configuration: $R/sub/.ecolint.yaml" "the nearest configuration"
expect_contains "$OUT" "enabled rules: [ECO002, ECO003, ECO004]" "the rules it enables"
rm -rf sub vendor b.py .ecolint.yaml

# --- Ruff parity: `ecolint rule` by name, --all, as JSON
expect_rc 0 "rule by name" -- "$ECOLINT" rule int8-mixed-precision
expect_contains "$OUT" "ECO001" "the rule found by its name"
expect_rc 0 "rule --all" -- "$ECOLINT" rule --all
for r in ECO001 ECO002 ECO003 ECO004; do expect_contains "$OUT" "$r" "rule --all has $r"; done
expect_rc 0 "rule --all --format json" -- "$ECOLINT" rule --all --format json
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [x["code"] for x in d]==["ECO001","ECO002","ECO003","ECO004"] and all(x["explanation"] and x["name"] for x in d)' \
  || fail "rule --all as JSON"
expect_rc 0 "rule ECO003 --format json" -- "$ECOLINT" rule ECO003 --format json
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["code"]=="ECO003" and d["name"]=="unbatched-serving"' \
  || fail "one rule as JSON"
expect_rc 2 "rule without an id" -- "$ECOLINT" rule
expect_rc 2 "unknown rule" -- "$ECOLINT" rule no-such-rule

# --- the summary counts the files with findings, of the files examined
printf '%s\n' "$INT8_LINE" > bad.py
printf 'x = 1\n' > clean.py
expect_rc 1 "summary" -- "$ECOLINT" bad.py clean.py
expect_contains "$OUT" "Found 1 finding (ECO001: 1) in 1 of 2 files." "files with findings of files examined"
rm bad.py clean.py

finish
