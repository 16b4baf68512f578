#!/usr/bin/env bash
# `downline compare` of 8 variants of the U8 plan against one `downline run` of U8, on the
# same files, whole process; prints wall seconds and peak RSS of each ("downline" is the run,
# "other" the compare), repeated.
# usage: bench/compare_u8.sh DIR [REPEATS]
#   DIR holds network.csv, sales.csv and u8.json (SPEC formats); the variants are written
#   to DIR/variants/ (U8 with its level rates scaled by 0.6 … 1.3, each with its own name).
set -euo pipefail
dir=$1
repeats=${2:-3}
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
# One `downline run` of U8, then compare, measured alike.
exec "$(dirname "$0")/u8_whole_cli.sh" "$dir" "$repeats" -- \
  "$cli" compare "${plans[@]}" --network "$dir/network.csv" --sales "$dir/sales.csv" --out "$dir/compare.csv" --quiet
