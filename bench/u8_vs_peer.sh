#!/usr/bin/env bash
# The U8 run of the downline CLI from network.csv and from the compiled network, alternating
# with another command (a peer implementation) on the same data, each round in the same order;
# prints every run and the medians of wall and CPU seconds, and the ratios of the medians.
# usage: bench/u8_vs_peer.sh DIR ROUNDS -- PEER COMMAND …
#   DIR holds network.csv, sales.csv and u8.json (SPEC formats); network.dlnet is compiled once
#   into DIR when missing. Example with the DuckDB peer of the project's peers folder:
#   bench/u8_vs_peer.sh /tmp/u8/spec 3 -- python3 peers/u8_duckdb.py /tmp/u8
set -euo pipefail
dir=$1
rounds=$2
shift 2
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || { echo "usage: $0 DIR ROUNDS -- PEER COMMAND ..." >&2; exit 2; }
cli=${DOWNLINE_CLI:-$(dirname "$0")/../build/release/downline}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
[ -f "$dir/network.dlnet" ] ||
  "$cli" compile-network --network "$dir/network.csv" --plan "$dir/u8.json" --out "$dir/network.dlnet" --quiet
source "$(dirname "$0")/timing.sh"
for round in $(seq "$rounds"); do
  timed csv "$cli" run --plan "$dir/u8.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$dir/payouts_csv.csv" --quiet
  timed dlnet "$cli" run --plan "$dir/u8.json" --network "$dir/network.dlnet" --sales "$dir/sales.csv" \
    --out "$dir/payouts_dlnet.csv" --quiet
  timed peer "$@"
done
cmp "$dir/payouts_csv.csv" "$dir/payouts_dlnet.csv" && echo "payouts from network.csv and network.dlnet identical"
uptime
print_medians
print_ratio peer dlnet
print_ratio peer csv
