#!/usr/bin/env bash
# `downline compare` of 8 variants of the U8 plan against one `downline run` of U8, on the
# same files, whole process, alternating (run, compare) each round; prints every run, the
# medians of wall and CPU (user + sys) seconds and their ratios (compare / run).
# usage: bench/compare_u8.sh DIR [ROUNDS]
#   DIR holds network.csv, sales.csv and u8.json (SPEC formats); the variants are written
#   to DIR/variants/ (U8 with its level rates scaled by 0.6 … 1.3, each with its own name).
#   bench/compare_u8_check.sh DIR then checks compare.csv against separate runs.
set -euo pipefail
dir=$1
rounds=${2:-5}
cli=${DOWNLINE_CLI:-$(dirname "$0")/../build/release/downline}
mkdir -p "$dir/variants"
python3 - "$dir" <<'PY'
import json, sys
from decimal import Decimal
d = sys.argv[1]
base = json.load(open(f"{d}/u8.json"))
for i, factor in enumerate(["0.6", "0.7", "0.8", "0.9", "1.0", "1.1", "1.2", "1.3"]):
    plan = json.loads(json.dumps(base))
    plan["name"] = f"U8 x{factor}"
    for bonus in plan["bonuses"]:
        bonus["rates"] = [f"{(Decimal(str(r).rstrip('%')) * Decimal(factor)).quantize(Decimal('0.0001'))}%" for r in bonus["rates"]]
    json.dump(plan, open(f"{d}/variants/u8_{i}.json", "w"), indent=1)
PY
plans=()
for i in 0 1 2 3 4 5 6 7; do plans+=(--plan "$dir/variants/u8_$i.json"); done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
source "$(dirname "$0")/timing.sh"
uptime
for round in $(seq "$rounds"); do
  timed run "$cli" run --plan "$dir/u8.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$dir/payouts_downline.csv" --quiet
  timed compare "$cli" compare "${plans[@]}" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$dir/compare.csv" --quiet
done
uptime
print_medians
print_ratio compare run
echo "(goal: compare at most 2x run, wall)"
