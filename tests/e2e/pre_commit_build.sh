#!/usr/bin/env bash
# The `ecolint-build` hook (language: script) driven by the real pre-commit, offline, with nothing
# on PATH: pre-commit clones a hook repository made from this checkout, the hook builds ecolint
# there on first use, blocks a bad file and passes a clean one.
source "$(dirname "$0")/lib.sh"
SOURCE_DIR="${ECOLINT_SOURCE_DIR:?set ECOLINT_SOURCE_DIR}"
require_pre_commit
export PRE_COMMIT_HOME="$WORK/pre-commit-cache" PRE_COMMIT_COLOR=never
# Reuse the grammar tarball the main build fetched and verified, so the hook's build stays offline.
export ECOLINT_TS_PYTHON_TGZ="${ECOLINT_TS_PYTHON_TGZ:?set ECOLINT_TS_PYTHON_TGZ}"

# The hook repository: this checkout's tracked files as they are in the work tree.
HOOKS="$WORK/hooks"
new_repo "$HOOKS"
(cd "$SOURCE_DIR" && git ls-files -z | xargs -0 tar -cf - 2>/dev/null) | tar -xf - -C "$HOOKS"
git -C "$HOOKS" add -A && git -C "$HOOKS" commit -qm hooks

P="$WORK/project"
new_repo "$P"
cd "$P"
use_hook_repo "$HOOKS" ecolint-build
printf '%s\n' "$INT8_LINE" > bad.py
git add -A
expect_rc 1 "the built hook fails on a finding" -- pre-commit run --all-files
expect_contains "$OUT" "bad.py:1:" "the finding is shown"
expect_contains "$OUT" "ECO001" "the rule is shown"

git rm -q --cached bad.py && rm bad.py
printf 'x = 1\n' > clean.py
git add -A
expect_rc 0 "the built hook passes on clean files (and reuses its build)" -- pre-commit run --all-files
expect_contains "$OUT" "Passed" "pre-commit reports Passed"
expect_not_contains "$ERR$OUT" "building once" "no second build"

finish
