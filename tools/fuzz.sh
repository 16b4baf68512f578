#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz; clang, ASan + UBSan) and runs each one for
# DOWNLINE_FUZZ_SECONDS (default 30) on a corpus seeded from tests/data and examples.
# A finding stops the script with the harness's report; its input is kept as
# build/fuzz/findings/<harness>/crash-* (replay: build/fuzz/tests/fuzz/<harness> <file>).
# An hour each: DOWNLINE_FUZZ_SECONDS=3600 tools/fuzz.sh (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${DOWNLINE_FUZZ_SECONDS:-30}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

# seed <harness> <files…>: the corpus starts from the repository's own inputs.
seed() {
  local corpus=build/fuzz/corpus/$1
  shift
  mkdir -p "$corpus"
  for f in "$@"; do cp "$f" "$corpus/seed_$(echo "$f" | tr / _)"; done
}
seed fuzz_network_csv $(find tests/data examples/data -name '*network*.csv')
seed fuzz_ledger_csv $(find tests/data examples/data -name '*sales*.csv')
seed fuzz_state $(find tests/data -name '*state*.csv')
seed fuzz_back_office $(find tests/data examples/data -name '*overrides*.csv' -o -name '*adjustments*.csv')
plans=$(find tests/data examples -name '*.json' \( -name 'plan*.json' -o -path '*plans/*' \))
seed fuzz_plan_json $plans
seed fuzz_run $plans

for harness in fuzz_network_csv fuzz_ledger_csv fuzz_plan_json fuzz_state fuzz_run fuzz_back_office; do
  findings=build/fuzz/findings/$harness
  mkdir -p "$findings"
  echo "== $harness: ${seconds} s"
  build/fuzz/tests/fuzz/$harness -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/" build/fuzz/corpus/$harness 2>&1 | tail -n 12
  test "${PIPESTATUS[0]}" -eq 0
done
