# Helpers for the end-to-end tests (sourced). Each test runs in its own temp dir, isolated from the
# user's git configuration.
set -uo pipefail
ECOLINT="${ECOLINT:?set ECOLINT to the built binary}"
FAILURES=0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ecolint-e2e.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid \
  GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
mkdir -p "$HOME"

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }

# expect_rc WANT DESCRIPTION -- command...: runs the command, keeping stdout in $OUT, stderr in $ERR.
expect_rc() {
  local want="$1" what="$2"
  shift 3
  OUT="$("$@" 2>"$WORK/stderr")"
  local rc=$?
  ERR="$(cat "$WORK/stderr")"
  if [ "$rc" != "$want" ]; then
    fail "$what: exit $rc, expected $want"
    echo "  command: $*" >&2
    echo "  stdout: ${OUT:0:2000}" >&2
    echo "  stderr: ${ERR:0:2000}" >&2
  fi
}

expect_contains() {  # HAYSTACK NEEDLE DESCRIPTION
  case "$1" in *"$2"*) ;; *) fail "$3: output lacks '$2'"; echo "  got: ${1:0:2000}" >&2 ;; esac
}
expect_not_contains() {
  case "$1" in *"$2"*) fail "$3: output unexpectedly has '$2'"; echo "  got: ${1:0:2000}" >&2 ;; esac
}

new_repo() {  # DIR: an empty git work tree
  mkdir -p "$1" && git -C "$1" init -q -b main && git -C "$1" config commit.gpgsign false
}

finish() {
  if [ "$FAILURES" -gt 0 ]; then
    echo "$FAILURES check(s) failed" >&2
    exit 1
  fi
  echo "all checks passed"
}

# A line ECO001 reports, and a clean file.
INT8_LINE='m = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf", load_in_8bit=True)'

# Exits 77 (skip) when the real pre-commit client is missing, or fails when the test set-up
# promised it (ECOLINT_REQUIRE_TEST_TOOLS=1).
require_pre_commit() {
  if ! command -v pre-commit >/dev/null 2>&1; then
    local msg="pre-commit is not installed (scripts/setup.sh --test installs it)"
    if [ "${ECOLINT_REQUIRE_TEST_TOOLS:-0}" = 1 ]; then echo "FAIL: $msg" >&2; exit 1; fi
    echo "SKIP: $msg" >&2
    exit 77
  fi
}

# use_hook_repo HOOKS_DIR HOOK_ID: a pre-commit config in the current repo that uses one hook.
use_hook_repo() {
  cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $1
    rev: $(git -C "$1" rev-parse HEAD)
    hooks:
      - id: $2
YAML
}
