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
source "$(dirname "$0")/timing.sh"
fresh() {  # fresh NAME COMMAND …: timed, after removing the outputs and `sync`
  rm -f "$out"/*
  sync
  timed "$@"
}
for round in $(seq "$rounds"); do
  fresh plain "$cli" run --plan "$dir/u8_history.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$out/payouts.csv" --quiet
  fresh state "$cli" run --plan "$dir/u8_history.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --state-in "$dir/state.csv" --state-out "$out/state.csv" --out "$out/payouts.csv" --quiet
  cmp -s "$out/state.csv" "$dir/state.csv" || { echo "the state written differs from the state read" >&2; exit 1; }
done
uptime
print_medians
print_ratio state plain
