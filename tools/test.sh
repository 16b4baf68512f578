#!/usr/bin/env bash
# Builds (release) and runs every test: C++ unit tests, the CLI suites, golden cases, the C API
# and Python suites (the Python one also against `pip install .` in a fresh venv).
# DOWNLINE_SANITIZE=1 also builds and runs the unit tests under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"
# The Python package as users get it: `pip install .` into a fresh venv, then the same pytest
# suite against the installed package (DOWNLINE_SKIP_PIP=1 skips this step).
if [ "${DOWNLINE_SKIP_PIP:-0}" != 1 ]; then
  venv="$PWD/build/venv-test"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check . pytest hypothesis
  (cd build && "$venv/bin/python" -m pytest -q -p no:cacheprovider ../tests/python)
fi
if [ "${DOWNLINE_SANITIZE:-0}" = 1 ]; then
  cmake --preset sanitize >/dev/null
  cmake --build --preset sanitize -j "$jobs"
  ctest --preset sanitize -j "$jobs"
  # Each libFuzzer harness for a short fixed budget (DOWNLINE_FUZZ_SECONDS, default 30).
  tools/fuzz.sh
fi
