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
timed() {  # timed NAME COMMAND …: one run, its figures appended to the log
  local name=$1
  shift
  /usr/bin/time -f "$name %e %U %S %M" -o "$log" -a "$@" >/dev/null
  tail -n 1 "$log" | awk '{printf "%-8s wall %6.2f s  cpu %6.2f s  rss %5.0f MB\n", $1, $2, $3 + $4, $5 / 1024}'
}
for round in $(seq "$rounds"); do
  timed csv "$cli" run --plan "$dir/u8.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$dir/payouts_csv.csv" --quiet
  timed dlnet "$cli" run --plan "$dir/u8.json" --network "$dir/network.dlnet" --sales "$dir/sales.csv" \
    --out "$dir/payouts_dlnet.csv" --quiet
  timed peer "$@"
done
cmp "$dir/payouts_csv.csv" "$dir/payouts_dlnet.csv" && echo "payouts from network.csv and network.dlnet identical"
uptime
awk '{ wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4) }
  function median(list,   v, n, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    for (k in wall) { mw[k] = median(wall[k]); mc[k] = median(cpu[k]) }
    for (k in wall) printf "median %-6s wall %6.2f s  cpu %6.2f s\n", k, mw[k], mc[k]
    printf "peer / dlnet: wall %.1fx  cpu %.1fx;  peer / csv: wall %.1fx  cpu %.1fx\n",
      mw["peer"] / mw["dlnet"], mc["peer"] / mc["dlnet"], mw["peer"] / mw["csv"], mc["peer"] / mc["csv"]
  }' "$log"
