#!/usr/bin/env bash
# Whole-process U8 run (CSV in, payouts CSV out) of the downline CLI, side by side with
# another command on the same files, each repeated; prints wall seconds and peak RSS.
# usage: bench/u8_whole_cli.sh DIR [REPEATS] [-- OTHER COMMAND …]
#   DIR holds network.csv, sales.csv and u8.json (SPEC formats);
#   the other command (e.g. a NumPy or SQL implementation) is timed the same way.
set -euo pipefail
dir=$1; shift
repeats=${1:-3}; [ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
cli=${DOWNLINE_CLI:-$(dirname "$0")/../build/release/downline}
measure() {
  local name=$1; shift
  for i in $(seq "$repeats"); do
    /usr/bin/time -f "$name wall_s=%e user_s=%U sys_s=%S max_rss_kb=%M" "$@" >/dev/null
  done
}
measure downline "$cli" run --plan "$dir/u8.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
  --out "$dir/payouts_downline.csv" --quiet
if [ $# -gt 0 ]; then measure other "$@"; fi
