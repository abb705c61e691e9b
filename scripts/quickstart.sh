#!/usr/bin/env bash
# README command 1: install what is missing, build, and lint the shipped examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh -DECOLINT_BUILD_TESTS=OFF
echo
echo "\$ build/ecolint examples/"
set +e
build/ecolint examples/
status=$?
set -e
echo "(exit status $status: 0 no findings, 1 findings, 2 error)"
[ "$status" -le 1 ]
