#!/usr/bin/env bash
# Held-out check of `downline compare` (issue 13): each plan's column of compare.csv equals
# the member totals of a separate `downline run` of that plan, member by member, and each
# plan's summary in compare's --summary-json equals that run's --summary-json.
# usage: bench/compare_u8_check.sh DIR
#   after bench/compare_u8.sh DIR (which writes DIR/variants/u8_0.json … u8_7.json).
set -euo pipefail
dir=$1
cli=${DOWNLINE_CLI:-$(dirname "$0")/../build/release/downline}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plans=()
for i in 0 1 2 3 4 5 6 7; do plans+=(--plan "$dir/variants/u8_$i.json"); done
"$cli" compare "${plans[@]}" --network "$dir/network.csv" --sales "$dir/sales.csv" \
  --out "$work/compare.csv" --summary-json "$work/compare.json" --quiet
for i in 0 1 2 3 4 5 6 7; do
  "$cli" run --plan "$dir/variants/u8_$i.json" --network "$dir/network.csv" --sales "$dir/sales.csv" \
    --out "$work/payouts_$i.csv" --summary-json "$work/summary_$i.json" --quiet
done
python3 - "$work" <<'PY'
import csv, json, sys
from collections import defaultdict
from decimal import Decimal
work = sys.argv[1]
with open(f"{work}/compare.csv", newline="") as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
summaries = json.load(open(f"{work}/compare.json"))["plans"]
failures = 0
for i, name in enumerate(header[1:]):
    totals = defaultdict(Decimal)  # a separate run's total per member
    with open(f"{work}/payouts_{i}.csv", newline="") as f:
        for r in csv.DictReader(f):
            totals[r["member_id"]] += Decimal(r["amount"])
    column = {r[0]: Decimal(r[i + 1]) for r in rows if Decimal(r[i + 1]) != 0}
    paid = {m: t for m, t in totals.items() if t != 0}
    same_members = column == paid
    same_summary = summaries[i] == json.load(open(f"{work}/summary_{i}.json"))
    print(f"{name}: {len(paid)} members paid; totals {'equal' if same_members else 'DIFFER'}; "
          f"summary {'equal' if same_summary else 'DIFFERS'}")
    failures += (not same_members) + (not same_summary)
print(f"{len(rows)} compare.csv rows; {'all equal' if failures == 0 else f'{failures} differences'}")
sys.exit(1 if failures else 0)
PY
