#!/usr/bin/env bash
# End-to-end CLI checks: exit codes, formats, --output, configuration, suppressions, baseline,
# --diff-base. SARIF files written here land in $SARIF_DIR for the schema test.
source "$(dirname "$0")/lib.sh"
SARIF_DIR="${SARIF_DIR:-$WORK/sarif}"
mkdir -p "$SARIF_DIR"
rm -f "$SARIF_DIR"/cli-*.json

R="$WORK/repo"
new_repo "$R"
cd "$R"
printf 'x = 1\n' > clean.py
printf 'import transformers\n%s\n' "$INT8_LINE" > bad.py

# --- exit codes and formats
expect_rc 0 "clean file" -- "$ECOLINT" clean.py
expect_contains "$OUT" "No findings in 1 file" "clean text summary"
expect_rc 1 "finding" -- "$ECOLINT" .
expect_contains "$OUT" "bad.py:2:" "text finding"
expect_rc 0 "--exit-zero" -- "$ECOLINT" --exit-zero .
expect_rc 2 "missing path" -- "$ECOLINT" does-not-exist.py
expect_rc 2 "bad format" -- "$ECOLINT" --format xml .
expect_rc 2 "bad fail level" -- "$ECOLINT" --fail-level loud .
expect_rc 2 "unknown option" -- "$ECOLINT" --frobnicate .
expect_rc 0 "fail-level error" -- "$ECOLINT" --fail-level error .
expect_rc 1 "json" -- "$ECOLINT" --format json .
echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["diagnostics"][0]["rule"]=="ECO001"' \
  || fail "json output"
expect_rc 1 "github" -- "$ECOLINT" --format github .
expect_contains "$OUT" "::warning file=bad.py,line=2,endLine=2,col=" "github annotation"
expect_contains "$OUT" "title=ECO001 int8-mixed-precision::" "github title"
expect_rc 1 "sarif" -- "$ECOLINT" --format sarif .
echo "$OUT" > "$SARIF_DIR/cli-findings.json"
expect_rc 0 "sarif clean" -- "$ECOLINT" --format sarif clean.py
echo "$OUT" > "$SARIF_DIR/cli-clean.json"
expect_contains "$OUT" '"results": []' "clean sarif has results: []"

# --- paths and options: everything after the first path (or --) is a path
printf 'x = 1\n' > '--exclude=*.py'
expect_rc 1 "-- ends the options" -- "$ECOLINT" -- '--exclude=*.py' bad.py
expect_contains "$OUT" "bad.py:2:" "the finding after an option-like file name"
expect_rc 1 "after the first path, an option-like name is a path" -- "$ECOLINT" clean.py '--exclude=*.py' bad.py
rm -- '--exclude=*.py'
expect_rc 2 "an option after a path is a usage error" -- "$ECOLINT" bad.py --format json
expect_contains "$ERR" "options go before the paths" "the usage error says why"
# A name without a dot may be a shell script (read when its first line is a shell's #!).
printf '#!/bin/sh\ntext-generation-launcher --model-id facebook/opt-6.7b --quantize bitsandbytes\n' > rules
expect_rc 1 "a path named like the subcommand, after --" -- "$ECOLINT" -- rules clean.py
expect_contains "$OUT" "rules:2:" "rules after -- is a path (a shell script with a finding)"
rm rules
expect_rc 0 "rules --triggers" -- "$ECOLINT" rules --triggers
expect_contains "$OUT" "ECO001	" "trigger rows name their rule"
expect_rc 0 "--help" -- "$ECOLINT" --help
for f in text json sarif github; do expect_contains "$OUT" "  $f: " "--help lists the format $f"; done
expect_contains "$OUT" "--no-inline-suppressions" "--help lists --no-inline-suppressions"
expect_rc 2 "bad --file-timeout" -- "$ECOLINT" --file-timeout -1 .
expect_rc 1 "-j above the CPUs" -- "$ECOLINT" -j 100000 .

# --- --output: written atomically, nothing on stdout, exit status unchanged
expect_rc 1 "--output" -- "$ECOLINT" --format sarif --output "$SARIF_DIR/cli-output.json" .
[ -z "$OUT" ] || fail "--output printed to stdout"
grep -q '"ruleId": "ECO001"' "$SARIF_DIR/cli-output.json" || fail "--output file content"
ls -a "$SARIF_DIR" | grep -q '\.tmp\.' && fail "--output left a temp file"
expect_rc 2 "--output into a missing directory" -- "$ECOLINT" --output "$WORK/nope/out.txt" .
expect_rc 2 "--output onto /dev/full" -- "$ECOLINT" --output /dev/full .
expect_contains "$ERR" "No space left on device" "ENOSPC is reported"
expect_rc 1 "--output onto /dev/null" -- "$ECOLINT" --output /dev/null .
expect_rc 2 "--write-baseline onto /dev/full" -- "$ECOLINT" --write-baseline /dev/full .

# --- suppressions (dropped from text, kept in SARIF with a justification)
cat > sup.py <<PY
$INT8_LINE  # ecolint: ignore[ECO001] demo box has 24 GB
# ecolint: ignore-next-line[ECO001]
$INT8_LINE
x = 1  # ecolint: ignore[ECO002] stale
y = 2  # ecolint: ignore
PY
expect_rc 0 "suppressed findings" -- "$ECOLINT" sup.py
expect_contains "$OUT" "suppression without rule ids is ignored" "bare ignore note"
expect_not_contains "$OUT" "unused suppression" "unused not reported by default"
expect_rc 0 "unused suppressions" -- "$ECOLINT" --report-unused-suppressions sup.py
expect_contains "$OUT" "sup.py:4:10: note: unused suppression: no ECO002 finding here to silence" "unused note"
printf 'report-unused-suppressions: true\n' > .ecolint.yaml
expect_rc 0 "unused suppressions from config" -- "$ECOLINT" sup.py
expect_contains "$OUT" "unused suppression: no ECO002" "config report-unused-suppressions"
expect_rc 0 "CLI overrides report-unused-suppressions" -- "$ECOLINT" --no-report-unused-suppressions sup.py
expect_not_contains "$OUT" "unused suppression" "--no-report-unused-suppressions"
rm .ecolint.yaml
expect_rc 0 "suppressed sarif" -- "$ECOLINT" --format sarif --sarif-include-suppressed --report-unused-suppressions sup.py
echo "$OUT" > "$SARIF_DIR/cli-suppressed.json"
expect_contains "$OUT" '"justification": "demo box has 24 GB"' "sarif suppression justification"
expect_contains "$OUT" '"kind": "inSource"' "sarif suppression kind"
mkdir -p y && printf 'base_model: meta-llama/Llama-2-7b-hf\nload_in_8bit: true\n' > y/c.yaml
expect_rc 1 "yaml finding" -- "$ECOLINT" y/c.yaml
printf 'base_model: meta-llama/Llama-2-7b-hf\nload_in_8bit: true  # ecolint: ignore[ECO001] fits\nx: 1  # ecolint: ignore\n' > y/c.yaml
expect_rc 0 "yaml suppression" -- "$ECOLINT" y/c.yaml
expect_contains "$OUT" "c.yaml:3:" "bare ignore in YAML is a note"
rm -rf y

# --- configuration: discovery, keys, errors, --config, --isolated, excludes
mkdir -p sub/deep vendor
printf '%s\n' "$INT8_LINE" > vendor/v.py
printf 'x = 1\n' > sub/deep/ok.py
printf 'exclude: [vendor]\nfail-level: warning\n' > .ecolint.yaml
expect_rc 1 "config found from a subdirectory path" -- "$ECOLINT" .
expect_not_contains "$OUT" "vendor/v.py" "excluded directory"
expect_rc 1 "explicit file is linted without --force-exclude" -- "$ECOLINT" vendor/v.py
expect_rc 0 "--force-exclude" -- "$ECOLINT" --force-exclude vendor/v.py
expect_rc 0 "--isolated ignores config" -- "$ECOLINT" --isolated --fail-level error .
printf '%s  # ecolint: ignore[ECO001] reviewed\n' "$INT8_LINE" > vendor/sup.py
expect_rc 1 "--no-inline-suppressions reports suppressed findings" -- "$ECOLINT" --no-inline-suppressions vendor/sup.py
expect_rc 0 "without it they stay suppressed" -- "$ECOLINT" vendor/sup.py
rm vendor/sup.py
expect_rc 1 "--isolated lints vendor" -- "$ECOLINT" --isolated vendor
printf 'ignore: [ECO001]\n' > sub/.ecolint.yaml
expect_rc 0 "nearest config wins" -- "$ECOLINT" sub
rm sub/.ecolint.yaml
# One run over many directories: each file gets its nearest configuration, however deep below it
# and whichever directory the walk met first (answers are remembered per directory); a
# pyproject.toml without our table on the way does not stop the search.
mkdir -p tree/m/a/b/c tree/m/a2 tree/n/a
printf 'ignore: [ECO001]\n' > tree/m/.ecolint.yaml
printf '[project]\nname = "x"\n' > tree/m/a/pyproject.toml
for f in tree/m/a/b/c/deep.py tree/m/a2/side.py tree/m/a/near.py tree/n/a/other.py; do printf '%s\n' "$INT8_LINE" > "$f"; done
expect_rc 1 "nested configurations in one run" -- "$ECOLINT" --exclude vendor --exclude sub .
expect_contains "$OUT" "tree/n/a/other.py" "a file under no nearer configuration is linted with the top one"
expect_not_contains "$OUT" "tree/m/" "every file under tree/m takes its ECO001 ignore"
rm -rf tree
printf 'per-file-ignores:\n  "bad.py": [ECO001]\nexclude: [vendor, sup.py]\n' > .ecolint.yaml
expect_rc 0 "per-file-ignores" -- "$ECOLINT" .
printf 'fail-level: error\n' > .ecolint.yaml
expect_rc 0 "config fail-level" -- "$ECOLINT" bad.py
expect_rc 1 "CLI overrides config" -- "$ECOLINT" --fail-level warning bad.py
printf 'colour: red\n' > .ecolint.yaml
expect_rc 2 "unknown key" -- "$ECOLINT" .
expect_contains "$ERR" "'colour': unknown setting" "unknown key message"
printf 'fail-level: [1\n' > .ecolint.yaml
expect_rc 2 "invalid yaml" -- "$ECOLINT" .
rm .ecolint.yaml
printf '[tool.ecolint]\nexclude = ["vendor", "sup.py"]\nselect = ["ECO002"]\n' > pyproject.toml
expect_rc 0 "pyproject select" -- "$ECOLINT" .
printf '[tool.ecolint]\nfail-level = "loud"\n' > pyproject.toml
expect_rc 2 "pyproject bad value" -- "$ECOLINT" .
rm pyproject.toml
printf 'select: [ECO002]\n' > "$WORK/other.yaml"
expect_rc 0 "--config FILE" -- "$ECOLINT" --config "$WORK/other.yaml" bad.py
expect_rc 2 "--config missing" -- "$ECOLINT" --config "$WORK/missing.yaml" bad.py
rm -rf vendor sub sup.py

# --- baseline round trip: moving code keeps it baselined, a new copy is new
expect_rc 0 "--write-baseline" -- "$ECOLINT" --write-baseline "$WORK/baseline.json" .
grep -q '"version": 1' "$WORK/baseline.json" || fail "baseline has a version"
expect_rc 0 "baseline hides old findings" -- "$ECOLINT" --baseline "$WORK/baseline.json" .
printf 'import os\n\n\nimport transformers\n    %s\n' "$INT8_LINE" > bad.py
expect_rc 0 "moved code stays baselined" -- "$ECOLINT" --baseline "$WORK/baseline.json" .
printf '%s\n' "$INT8_LINE" >> bad.py
expect_rc 1 "a second copy is new" -- "$ECOLINT" --baseline "$WORK/baseline.json" .
expect_contains "$OUT" "Found 1 finding" "only the new copy"
expect_rc 1 "baseline in sarif" -- "$ECOLINT" --format sarif --sarif-include-suppressed --baseline "$WORK/baseline.json" .
echo "$OUT" > "$SARIF_DIR/cli-baseline.json"
expect_contains "$OUT" '"kind": "external"' "baselined finding is an external suppression"
echo '{"version": 99, "findings": []}' > "$WORK/bad-baseline.json"
expect_rc 2 "unsupported baseline version" -- "$ECOLINT" --baseline "$WORK/bad-baseline.json" .
echo 'nope' > "$WORK/bad-baseline.json"
expect_rc 2 "corrupt baseline" -- "$ECOLINT" --baseline "$WORK/bad-baseline.json" .

# --- --diff-base: only lines changed since the merge base; untracked files count whole
printf 'import transformers\n%s\n' "$INT8_LINE" > bad.py
git add -A && git commit -qm base
git checkout -qb feature
printf 'import transformers\n%s\nx = 1\n%s\n' "$INT8_LINE" "$INT8_LINE" > bad.py
expect_rc 1 "--diff-base reports the changed line" -- "$ECOLINT" --diff-base main .
expect_contains "$OUT" "bad.py:4:" "changed line reported"
expect_not_contains "$OUT" "bad.py:2:" "unchanged line not reported"
git checkout -q bad.py
expect_rc 0 "--diff-base with no change" -- "$ECOLINT" --diff-base main .
printf '%s\n' "$INT8_LINE" > new.py
expect_rc 1 "untracked file counts as changed" -- "$ECOLINT" --diff-base main .
expect_contains "$OUT" "new.py:1:" "untracked file reported"
expect_rc 1 "--diff-base with a file argument" -- "$ECOLINT" --diff-base main new.py bad.py
expect_contains "$OUT" "Found 1 finding" "only the untracked file's finding"
expect_rc 2 "unknown ref" -- "$ECOLINT" --diff-base no-such-ref .
expect_rc 2 "not a repository" -- "$ECOLINT" --diff-base main "$WORK/home"

# --- the shipped CI example's flags for pull requests exist and gate
flags="$(sed -n 's/.*ECOLINT_FLAGS=\([^"]*\)".*/\1/p' "${ECOLINT_SOURCE_DIR:?}/docs/ci/github-actions.yml")"
[ -n "$flags" ] || fail "docs/ci/github-actions.yml sets ECOLINT_FLAGS for pull requests"
printf 'exclude: ["*"]\n' > .ecolint.yaml
printf '# ecolint: ignore-file[ECO001] trust me\n%s\n' "$INT8_LINE" > pr.py
expect_rc 0 "a pull request's config and comments silence a plain run" -- "$ECOLINT" --format github -- pr.py
# shellcheck disable=SC2086
expect_rc 1 "the CI example's pull-request flags: $flags" -- "$ECOLINT" $flags --format github -- pr.py
rm .ecolint.yaml pr.py

finish
