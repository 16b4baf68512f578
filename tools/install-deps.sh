#!/usr/bin/env bash
# Installs what building and testing downline needs on Debian (run as root, or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential cmake ninja-build pkg-config python3 python3-dev python3-pip python3-venv \
  libeigen3-dev libfmt-dev libtbb-dev nlohmann-json3-dev catch2 libbenchmark-dev \
  libpq-dev postgresql \
  clang libclang-rt-dev \
  chromium >/dev/null  # chromium: the HTML report's browser test (tests/cli/test_report.py); clang: tools/fuzz.sh
python_packages="pytest hypothesis numpy pandas pybind11 scikit-build-core pyarrow polars"  # pyarrow, polars: Arrow tests
python3 -m pip install -q --disable-pip-version-check $python_packages 2>/dev/null ||
  python3 -m pip install -q --disable-pip-version-check --break-system-packages $python_packages
