#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/build.sh -DECOLINT_BUILD_TESTS=ON
# Test tools from npm (SARIF schema validation), pinned by tests/tools/package-lock.json.
if [ -f tests/tools/package.json ]; then
  (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error)
fi
# Here a missing test tool (SARIF validator, pre-commit) fails the suite instead of skipping.
export ECOLINT_REQUIRE_TEST_TOOLS=1
ctest --test-dir build --output-on-failure -j"$(nproc)"
# The same suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
ECOLINT_BUILD_DIR=build-asan bash scripts/build.sh -DECOLINT_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
