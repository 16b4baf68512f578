#!/usr/bin/env bash
# Fresh Debian machine → dependencies, a release build, and `downline demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
build/release/downline demo
