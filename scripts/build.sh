#!/usr/bin/env bash
# Configures and builds ecolint into build/ (or $ECOLINT_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${ECOLINT_BUILD_DIR:-build}"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
