#!/usr/bin/env bash
# U8 with member history, without state files and with --state-in and --state-out, alternating
# in the same rounds (issue 10's goal: at most 1.3× at 10M). Every run writes fresh outputs after
# `sync` (replacing a large file costs time of its own). Prints every run, the medians of wall
# and CPU seconds and their ratio, and checks that the state written equals the state read.
# usage: bench/state_u8.sh DIR ROUNDS
#   DIR holds network.csv, sales.csv and u8.json (SPEC formats). u8_history.json (U8 with
#   "active_periods": 2, "grace_periods": 1 and one rank everyone holds) and state.csv (the state
#   one run of it leaves) are made into DIR when missing.
set -euo pipefail
dir=$1
rounds=$2
cli=${DOWNLINE_CLI:-$(dirname "$0")/../build/release/downline}
log=$(mktemp)
out=$(mktemp -d)
trap 'rm -rf "$log" "$out"' EXIT
if [ ! -f "$dir/u8_history.json" ]; then
  python3 - "$dir/u8.json" "$dir/u8_history.json" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))
plan["name"] = "U8 history"
plan["qualification"]["active_periods"] = 2
plan["rank_rules"] = {"grace_periods": 1}
plan["ranks"] = [{"name": "Member", "pv": "0", "active": False}]
json.dump(plan, open(sys.argv[2], "w"), indent=1)
EOF
fi
[ -f "$dir/state.csv" ] || "$cli" run --plan "$dir/u8_history.json" --network "$dir/network.csv" \
  --sales "$dir/sales.csv" --out "$out/p.csv" --state-out "$dir/state.csv" --quiet
timed() {  # timed NAME COMMAND …: one run after sync, its figures appended to the log
  local name=$1
  shift
  rm -f "$out"/*
  sync
  /usr/bin/time -f "$name %e %U %S %M" -o "$log" -a "$@" >/dev/null
  tail -n 1 "$log" | awk '{printf "%-6s wall %6.2f s  cpu %6.2f s  rss %5.0f MB\n", $1, $2, $3 + $4, $5 / 1024}'
}
for round in $(seq "$rounds"); do
  timed plain "$cli" run --plan "$dir/u8_history.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$out/payouts.csv" --quiet
  timed state "$cli" run --plan "$dir/u8_history.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --state-in "$dir/state.csv" --state-out "$out/state.csv" --out "$out/payouts.csv" --quiet
  cmp -s "$out/state.csv" "$dir/state.csv" || { echo "the state written differs from the state read" >&2; exit 1; }
done
uptime
awk '{ wall[$1] = wall[$1] " " $2; cpu[$1] = cpu[$1] " " ($3 + $4) }
  function median(list,   v, n, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  END {
    for (k in wall) printf "median %-6s wall %6.2f s  cpu %6.2f s\n", k, median(wall[k]), median(cpu[k])
    printf "state / plain: wall %.2fx  cpu %.2fx\n", median(wall["state"]) / median(wall["plain"]),
      median(cpu["state"]) / median(cpu["plain"])
  }' "$log"
