#!/usr/bin/env bash
# The repository's .pre-commit-hooks.yaml driven by the real pre-commit tool, offline: a hook repo
# made from this checkout's hooks file, used by a project repo; the built ecolint is on PATH.
source "$(dirname "$0")/lib.sh"
SOURCE_DIR="${ECOLINT_SOURCE_DIR:?set ECOLINT_SOURCE_DIR}"
require_pre_commit
export PATH="$(dirname "$ECOLINT"):$PATH" PRE_COMMIT_HOME="$WORK/pre-commit-cache" PRE_COMMIT_COLOR=never

HOOKS="$WORK/hooks"
new_repo "$HOOKS"
cp "$SOURCE_DIR/.pre-commit-hooks.yaml" "$HOOKS/"
git -C "$HOOKS" add -A && git -C "$HOOKS" commit -qm hooks

P="$WORK/project"
new_repo "$P"
cd "$P"
use_hook_repo "$HOOKS" ecolint
printf 'x = 1\n' > clean.py
printf 'name: demo\n' > deploy.yaml
git add -A
expect_rc 0 "hook passes on clean files" -- pre-commit run --all-files
expect_contains "$OUT" "Passed" "pre-commit reports Passed"

printf '%s\n' "$INT8_LINE" > bad.py
git add bad.py
expect_rc 1 "hook fails on a finding" -- pre-commit run --all-files
expect_contains "$OUT" "bad.py:1:" "the finding is shown"
expect_contains "$OUT" "ECO001" "the rule is shown"

mkdir -p vendor && git mv bad.py vendor/bad.py
printf 'exclude: [vendor]\n' > .ecolint.yaml
git add -A
expect_rc 0 "an excluded file passed explicitly is not reported" -- pre-commit run --all-files
expect_not_contains "$OUT" "vendor/bad.py" "excluded file"

printf '%s  # ecolint: ignore[ECO001] accepted\n' "$INT8_LINE" > kept.py
git add kept.py
expect_rc 0 "a suppressed finding passes" -- pre-commit run --files kept.py

# Issue 15: file names are never options. pre-commit appends the names of committed files to the
# entry; one named `--exclude=*.py` made the hook pass, one named `-o.X.yaml` made ecolint
# overwrite `.X.yaml` with its report. The entry ends with `--`, and after the first path
# everything is a path anyway.
rm -f .ecolint.yaml kept.py && git rm -rq --cached . >/dev/null && rm -rf vendor
printf 'x = 1\n' > '--exclude=*.py'
printf '%s\n' "$INT8_LINE" > bad.py
git add -A
expect_rc 1 "a file named --exclude=*.py is a path, not an option" -- pre-commit run --all-files
expect_contains "$OUT" "bad.py:1:" "the finding is still reported"
printf 'keep: me\n' > .X.yaml
printf 'name: x\n' > '-o.X.yaml'
git add -A
expect_rc 1 "a file named -o.X.yaml is a path" -- pre-commit run --all-files
[ "$(cat .X.yaml)" = "keep: me" ] || fail ".X.yaml was overwritten with the report"
printf 'name: y\n' > ' -j0.yaml'
printf 'x = 2\n' > '-.py'
git add -A
expect_rc 1 "more option-like names" -- pre-commit run --all-files
expect_not_contains "$ERR$OUT" "ecolint: error" "no usage error"

finish
