#!/usr/bin/env bash
# Builds (release) and runs every test: C++ unit tests, the CLI suites, golden cases.
# DOWNLINE_SANITIZE=1 also builds and runs the unit tests under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"
if [ "${DOWNLINE_SANITIZE:-0}" = 1 ]; then
  cmake --preset sanitize >/dev/null
  cmake --build --preset sanitize -j "$jobs"
  ctest --preset sanitize -j "$jobs"
fi
