#!/usr/bin/env bash
# The `ecolint-build` pre-commit hook (language: script): pre-commit runs this from its own clone of
# the repository. The first run builds ecolint there (Debian's build packages must be installed:
# `bash scripts/setup.sh`); later runs reuse that build. Arguments are ecolint's.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$repo/build-hook"
bin="$build/ecolint"
if [ ! -x "$bin" ]; then
  echo "ecolint: building once for pre-commit in $build ..." >&2
  extra=()
  # An already fetched, checksum-verified grammar tarball may be reused (offline set-ups, tests).
  if [ -n "${ECOLINT_TS_PYTHON_TGZ:-}" ]; then extra+=("-DECOLINT_TS_PYTHON_TGZ=$ECOLINT_TS_PYTHON_TGZ"); fi
  log="$repo/build-hook.log"
  if ! { cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DECOLINT_BUILD_TESTS=OFF "${extra[@]}" &&
         cmake --build "$build" --target ecolint -j"$(nproc)"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "ecolint: the build failed (log: $log). Install the build packages with 'bash scripts/setup.sh' or use the 'ecolint' hook with ecolint on PATH." >&2
    exit 2
  fi
fi
exec "$bin" "$@"
